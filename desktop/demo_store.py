"""The folders of ``eakte demo`` (no Qt here: the command line decides on them before the
window, and Qt, are loaded)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sync.cli.commands import DEMO_MARKER
from sync.errors import ValidationError
from sync.store.paths import default_store_dir

SERVER_DIR_NAME = "demo-server"


def prepare_demo_store(folder: Path | None) -> Path:
    """An empty demo store folder (default: ``demo-store`` beside the user's store), made
    fresh each run: the demo's records come from the embedded server with the first sync.
    A folder that holds something other than a demo store is never wiped."""
    demo_dir = folder if folder is not None else default_store_dir().parent / "demo-store"
    if demo_dir.exists() and any(demo_dir.iterdir()):
        if not (demo_dir / DEMO_MARKER).exists():
            raise ValidationError(
                f"Der Ordner „{demo_dir}“ ist kein Demo-Datenbestand und wird nicht "
                "überschrieben. Bitte einen leeren Ordner angeben."
            )
        shutil.rmtree(demo_dir)
    demo_dir.mkdir(parents=True, exist_ok=True)
    (demo_dir / DEMO_MARKER).write_text(
        "Demodaten vom eingebauten Demo-Server, jederzeit neu erzeugbar.\n", encoding="utf-8"
    )
    return demo_dir


def demo_server_dir(store_dir: Path) -> Path:
    """The embedded server's data folder: beside the demo store, kept between runs."""
    return store_dir.parent / SERVER_DIR_NAME
