"""The folders of ``eakte demo`` (no Qt here: the command line decides on them before the
window, and Qt, are loaded)."""

from __future__ import annotations

from pathlib import Path

from sync.cli.commands import fresh_demo_folder

SERVER_DIR_NAME = "demo-server"


def prepare_demo_store(folder: Path | None) -> Path:
    """An empty demo store folder, made fresh each run: the demo's records come from the
    embedded server with the first sync."""
    return fresh_demo_folder(
        folder, "Demodaten vom eingebauten Demo-Server, jederzeit neu erzeugbar.\n"
    )


def demo_server_dir(store_dir: Path) -> Path:
    """The embedded server's data folder: beside the demo store, kept between runs."""
    return store_dir.parent / SERVER_DIR_NAME
