"""The status bar: figures read in the background, refreshed after announced changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QStatusBar
from sqlalchemy import delete, func, select

from desktop.context import AppContext, Change
from desktop.status_bar import StatusBarController, last_sync_text, pending_text
from sync.records.model import OutboxEntry, StoreSetting
from sync.records.status import LAST_SYNC_KEY, LocalStatus, local_status
from sync.store.database import Store


def test_local_status_counts_the_outbox_and_reads_the_stamp(demo_copy: Store) -> None:
    with demo_copy.read() as s:
        queued = s.scalar(select(func.count()).select_from(OutboxEntry))
        status = local_status(s)
    assert status.pending_changes == queued > 0
    assert status.last_sync is None and status.conflicts == 0
    stamp = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    with demo_copy.write() as s:
        s.add(StoreSetting(key=LAST_SYNC_KEY, value=stamp.isoformat()))
    with demo_copy.read() as s:
        assert local_status(s).last_sync == stamp
    with demo_copy.write() as s:
        s.get_one(StoreSetting, LAST_SYNC_KEY).value = "kaputt"
    with demo_copy.read() as s:
        assert local_status(s).last_sync is None  # damaged stamp: "never", not a crash


def test_texts() -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert pending_text(LocalStatus(1, 0, None)) == "1 Änderung wartet auf Synchronisierung"
    assert pending_text(LocalStatus(0, 0, now)) == "Keine Änderungen offen"
    assert last_sync_text(LocalStatus(0, 0, None)) == "Zuletzt synchronisiert: nie"
    today = last_sync_text(LocalStatus(0, 0, now - timedelta(minutes=5)), now)
    assert today.startswith("Zuletzt synchronisiert: heute ")
    earlier = last_sync_text(LocalStatus(0, 0, now - timedelta(days=3)), now)
    assert "heute" not in earlier and "23" in earlier


def test_refreshes_after_an_announced_change(qtbot, demo_copy: Store) -> None:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    context = AppContext(demo_copy, demo_copy.root)
    controller = StatusBarController(context, bar)
    qtbot.waitUntil(lambda: controller.status is not None, timeout=5000)
    assert "warten auf Synchronisierung" in controller.pending.text()
    assert controller.connection.text() == "Offline"
    with demo_copy.write() as s:
        s.execute(delete(OutboxEntry))
    context.events.announce(Change.of(records=("x",)))
    qtbot.waitUntil(lambda: controller.status.pending_changes == 0, timeout=5000)
    assert controller.pending.text() == "Noch nichts zu senden"
    context.loader.wait()
