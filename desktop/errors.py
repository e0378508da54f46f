"""Errors as the clerk sees them: a German title and a message that says what to do.

Expected errors (``EAkteError``) carry their own title and message. Anything else is a bug:
its traceback goes to the log, and the clerk gets a plain message that points to the log
folder, never the traceback itself.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from sync.errors import EAkteError
from sync.store.paths import log_dir

log = logging.getLogger("eakte.desktop.errors")


def error_text(exc: BaseException) -> tuple[str, str]:
    """(title, message) for ``exc``; an unexpected exception is logged with its traceback."""
    if isinstance(exc, EAkteError):
        return exc.title, exc.message
    log.error("unexpected error", exc_info=exc)
    title = QCoreApplication.translate("Errors", "Unerwarteter Fehler")
    message = QCoreApplication.translate(
        "Errors",
        "Die Aktion konnte wegen eines unerwarteten Fehlers nicht ausgeführt werden. "
        "Bitte versuchen Sie es erneut. Tritt der Fehler wieder auf, wenden Sie sich bitte "
        "an die IT und geben Sie die Protokolldateien aus dem Ordner %1 weiter.",
    ).replace("%1", str(log_dir()))
    return title, message


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show ``exc`` in a window-modal message box without blocking; returns the box (it
    deletes itself when closed)."""
    title, message = error_text(exc)
    icon = QMessageBox.Icon.Warning if isinstance(exc, EAkteError) else QMessageBox.Icon.Critical
    box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title)
    box.setAccessibleDescription(message)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
