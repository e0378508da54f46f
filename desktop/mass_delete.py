"""The one question sync asks: may the many deletions waiting go to the server? One box at a
time; "Abbrechen" is remembered, so the timer does not ask again every minute, until the clerk
syncs by hand."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.dialogs.fields import confirm
from sync.engine.errors import MassDeleteError


class MassDeleteQuestion(QObject):
    def __init__(self, parent: QObject, window: Callable[[], QWidget | None]) -> None:
        super().__init__(parent)
        self._window = window
        self.box: QMessageBox | None = None
        self.declined = False

    def ask(self, error: MassDeleteError, on_accept: Callable[[], None]) -> QMessageBox:
        """Show the question (or the one already open); ``on_accept`` if the clerk agrees."""
        if self.box is not None:
            return self.box
        accepted: list[bool] = []

        def accept() -> None:
            accepted.append(True)
            on_accept()

        box = confirm(
            self._window(),
            error.title,
            error.message,
            self.tr("&Löschungen senden"),
            accept,
            details=self.tr(
                "Gelöschtes landet auf dem Server im Papierkorb und kann von dort "
                "wiederhergestellt werden. „Abbrechen“ hält den Abgleich an, bis Sie "
                "„Jetzt synchronisieren“ wählen."
            ),
        )
        self.box = box

        def finished(_result: int) -> None:
            self.box = None
            self.declined = not accepted

        box.finished.connect(finished)
        return box

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
