"""``eakte demo``: the embedded server starts, the demo user logs in, the first sync fills the
empty store in the background, and ``--screenshot`` waits for it; the server stops at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from desktop.app import ScreenshotWhenLoaded
from desktop.cli import main
from desktop.demo_store import SERVER_DIR_NAME
from sync.embedded import READY_NAME
from sync.records.model import Document
from sync.store.database import Store


@pytest.mark.usefixtures("restores_process_hooks")
def test_demo_screenshot_waits_for_the_first_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no user settings
    seen: dict[str, object] = {}
    save = ScreenshotWhenLoaded._save

    def saving(self: ScreenshotWhenLoaded) -> None:
        if not self.done:
            window = self.window
            seen["connection"] = window.status.connection.text()
            seen["last_sync"] = window.status.last_sync.text()
            seen["units"] = window.model.rowCount()
            seen["document"] = window.viewer.current_document_id
        save(self)

    monkeypatch.setattr(ScreenshotWhenLoaded, "_save", saving)
    store_dir = tmp_path / "demo-store"
    png = tmp_path / "shot.png"
    assert main(["demo", "--screenshot", str(png), "--store", str(store_dir)]) == 0
    assert seen["connection"] == "Online"
    assert str(seen["last_sync"]).startswith("Zuletzt synchronisiert: heute")
    assert isinstance(seen["units"], int) and seen["units"] > 3
    assert seen["document"] is not None  # the showcase document, synced and shown
    assert QImage(str(png)).width() >= 800
    server_dir = tmp_path / SERVER_DIR_NAME
    assert (server_dir / "server.sqlite3").exists()
    assert not (server_dir / READY_NAME).exists()  # stopped with the window
    with Store.open(store_dir, create=False) as store, store.read() as s:
        assert s.get(Document, seen["document"]) is not None
