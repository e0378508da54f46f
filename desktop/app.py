"""Starting the window: logging and crash reports first, then the Qt application with its
translations and appearance, the store, and the window."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.appearance import apply_appearance, configure_high_dpi
from desktop.crash_dialog import offer_crash_report
from desktop.demo_session import DemoServer, demo_credentials
from desktop.main_window import MainWindow
from desktop.sync_status import SyncState, SyncStatus
from desktop.translations import install_translations
from sync import settings
from sync.crash_reports import install_crash_handlers, take_unseen
from sync.logging_setup import setup_logging
from sync.records.model import Case, Document
from sync.store.database import Store

log = logging.getLogger("eakte.desktop")

SCREENSHOT_TIMEOUT_MS = 30_000
# The demo starts a server, logs in and syncs every document first.
DEMO_SCREENSHOT_TIMEOUT_MS = 180_000
SETTLE_MS = 1_500
MB = 1024 * 1024
STOPPED = (SyncState.OFFLINE, SyncState.PAUSED, SyncState.NOT_LOGGED_IN)


def application(language: str = "de") -> QApplication:
    """The QApplication, made once, with Qt's and our translations for ``language``."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    configure_high_dpi()  # must precede the QApplication
    app = QApplication(sys.argv[:1])
    app.setApplicationName("E-Akte")
    app.setOrganizationName("Werra-Meißner-Kreis")
    install_translations(app, language)
    return app


def run(
    store_dir: Path,
    *,
    screenshot: Path | None = None,
    on_ready: Callable[[MainWindow], None] | None = None,
    demo_server_dir: Path | None = None,
) -> int:
    """Open the window on ``store_dir`` and run until it closes. ``on_ready(window)`` is
    called once the file plan is on screen (benchmarks use it). ``demo_server_dir``: start
    the embedded demo server there, log in as the demo user and sync everything (``eakte
    demo``); the server stops when the window does."""
    setup_logging()
    install_crash_handlers()
    config = settings.load().effective  # never raises: bad values fall back to defaults
    # Read (and marked seen) before a window exists; a screenshot run offers nothing.
    report = None if screenshot else take_unseen()
    app = application(config.language)
    apply_appearance(app, config.appearance)
    demo = demo_server_dir is not None
    with Store.open(store_dir) as store:
        window = MainWindow(
            store,
            store_dir,
            credentials=demo_credentials() if demo else None,
            download_all=demo,
            cache_limit_bytes=config.cache_mb * MB,
        )
        server = DemoServer(window.sync, demo_server_dir) if demo_server_dir else None
        try:
            window.ready.connect(freeze_startup_objects)
            if on_ready is not None:
                window.ready.connect(lambda: on_ready(window))
            window.show()
            if server is not None:
                server.start()
            offer_crash_report(window, report)
            # Kept referenced until the loop ends: its slots must outlive this statement.
            shot = (
                ScreenshotWhenLoaded(window, screenshot, app, after_sync=demo)
                if screenshot is not None
                else None
            )
            result = app.exec()
            del shot
            window.close()
        finally:
            window.shutdown()  # no worker may still read when the store closes
            if server is not None:
                server.stop()
        return result


def freeze_startup_objects() -> None:
    """Take what start-up made (modules, Qt wrappers, SQLAlchemy's mappers) out of the garbage
    collector's view. Otherwise every full collection walks all of it: a 96 ms freeze of the
    window in the middle of filing a drop, measured. Objects made later are collected as
    usual."""
    gc.collect()
    gc.freeze()


def showcase_document(session: Session) -> str | None:
    """A document worth a screenshot: the newest multi-page PDF in an open case."""
    return session.scalar(
        select(Document.id)
        .join(Case, Case.id == Document.case_id)
        .where(
            Document.doc_type == "pdf",
            Document.page_count > 1,
            Document.deleted_at.is_(None),
            Document.parent_document_id.is_(None),
            Case.closed_at.is_(None),
        )
        .order_by(Document.received_on.desc(), Document.id)
        .limit(1)
    )


class ScreenshotWhenLoaded:
    """Once the window is ready (with ``after_sync``: and the first sync has filled the
    tree), open a showcase document (tree, list, viewer, metadata all filled), wait until
    the viewer has it on screen, then save the window and quit."""

    def __init__(
        self, window: MainWindow, path: Path, app: QApplication, *, after_sync: bool = False
    ) -> None:
        self.window = window
        self.path = path
        self.app = app
        self.done = False
        self._ready = False
        self._picked = False
        self._awaiting_sync = after_sync
        window.ready.connect(self._window_ready)
        window.viewer.document_shown.connect(self._shown)
        if after_sync:
            window.sync.run_finished.connect(self._synced)
            window.sync.status_changed.connect(self._sync_status)
            window.model.rowsInserted.connect(lambda *_args: self._pick())
        timeout = DEMO_SCREENSHOT_TIMEOUT_MS if after_sync else SCREENSHOT_TIMEOUT_MS
        QTimer.singleShot(timeout, self._save)

    def _window_ready(self) -> None:
        self._ready = True
        self._pick()

    def _synced(self, _report: object) -> None:
        self._awaiting_sync = False
        self._pick()

    def _sync_status(self, status: SyncStatus) -> None:
        if self._awaiting_sync and status.state in STOPPED:
            log.warning("screenshot without a first sync: %s", status.state.value)
            self._awaiting_sync = False
            self._pick()

    def _pick(self) -> None:
        if self._picked or not self._ready or self._awaiting_sync:
            return
        if self.window.sync.runs and self.window.model.rowCount() == 0:
            return  # synced: the top level of the tree is being merged in (rowsInserted)
        self._picked = True
        self.window.context.loader.submit(showcase_document, self._reveal, self._failed)

    def _reveal(self, document_id: str | None) -> None:
        if document_id is None:
            self._save()  # an empty store: the file plan is all there is to show
            return
        self.window.reveal_record(document_id)

    def _failed(self, exc: Exception) -> None:
        log.error("no showcase document for the screenshot", exc_info=exc)
        self._save()

    def _shown(self, _document_id: str) -> None:
        QTimer.singleShot(SETTLE_MS, self._save)  # let pages and thumbnails paint

    def _save(self) -> None:
        if self.done:
            return
        self.done = True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.window.grab().save(str(self.path)):
            log.error("could not save the screenshot to %s", self.path)
            self.app.exit(1)
            return
        self.app.exit(0)
