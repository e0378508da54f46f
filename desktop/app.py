"""Starting the window: Qt application, German translations of Qt's own texts, the store."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QModelIndex, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.main_window import MainWindow
from sync.store.database import Store

log = logging.getLogger("eakte.desktop")

SCREENSHOT_DEPTH = 3  # unit → dossier → case: enough of the tree to show what it is
SCREENSHOT_TIMEOUT_MS = 20_000


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("E-Akte")
    app.setOrganizationName("Werra-Meißner-Kreis")
    translator = QTranslator(app)
    # Qt's own texts (standard buttons, context menus) in German, where Qt ships them.
    if translator.load(
        QLocale(QLocale.Language.German),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        app.installTranslator(translator)
    return app


def run(
    store_dir: Path,
    *,
    screenshot: Path | None = None,
    on_ready: Callable[[MainWindow], None] | None = None,
) -> int:
    """Open the window on ``store_dir`` and run until it closes. ``on_ready(window)`` is
    called once the file plan is on screen (benchmarks use it)."""
    app = application()
    with Store.open(store_dir) as store:
        window = MainWindow(store, store_dir)
        if on_ready is not None:
            window.ready.connect(lambda: on_ready(window))
        window.show()
        # Kept referenced until the loop ends: its slots must outlive this statement.
        shot = ScreenshotWhenLoaded(window, screenshot, app) if screenshot is not None else None
        result = app.exec()
        del shot
        window.close()
        window.model.loader.wait(5_000)  # no worker may still read when the store closes
        return result


class ScreenshotWhenLoaded:
    """Open the first branch a few levels deep as the loads come in, then save the window."""

    def __init__(self, window: MainWindow, path: Path, app: QApplication) -> None:
        self.window = window
        self.path = path
        self.app = app
        self.done = False
        window.model.rowsInserted.connect(self._inserted)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, self._save)

    def _inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        depth = 0
        walk = parent
        while walk.isValid():
            depth += 1
            walk = walk.parent()
        model = self.window.model
        for row in range(first, last + 1):
            child = model.index(row, 0, parent)
            if depth < SCREENSHOT_DEPTH and model.hasChildren(child):
                self.window.tree.expand(child)
                if depth == 0:
                    self.window.tree.setCurrentIndex(child)
                return
        QTimer.singleShot(200, self._save)  # let the view lay out the last rows

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
