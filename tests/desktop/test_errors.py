"""desktop.errors: typed errors show their German text; anything else a generic message."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.errors import show_error
from sync.errors import RecordClosedError
from sync.store.paths import log_dir


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_typed_error_shows_its_title_and_message(parent: QWidget) -> None:
    exc = RecordClosedError("Die Akte 022-0001/2026 ist zu den Akten gelegt.")
    box = show_error(parent, exc)
    assert box.isVisible() and box.parent() is parent
    assert box.windowTitle() == "Zu den Akten gelegt"
    assert box.text() == "Die Akte 022-0001/2026 ist zu den Akten gelegt."
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()


def test_unexpected_error_is_logged_and_explained_without_traceback(
    parent: QWidget, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise ZeroDivisionError("division by zero in the renderer")
    except ZeroDivisionError as exc:
        with caplog.at_level(logging.ERROR, logger="eakte.desktop.errors"):
            box = show_error(parent, exc)
    assert box.windowTitle() == "Unerwarteter Fehler"
    assert str(log_dir()) in box.text()
    assert "ZeroDivisionError" not in box.text() and "Traceback" not in box.text()
    (record,) = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
    assert box.icon() == QMessageBox.Icon.Critical
    box.close()
