"""Über E-Akte: version, licence link, library versions, store and log folder."""

from __future__ import annotations

from importlib.metadata import version

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.context import AppContext
from desktop.dialogs.about import LICENCE_URL, AboutDialog
from sync.store.paths import log_dir
from tests.desktop.dialogs.conftest import TIMEOUT
from tests.desktop.dialogs.helpers import press_alt, show_active


def test_shows_versions_and_folders(qtbot: QtBot, context: AppContext) -> None:
    dialog = AboutDialog(context)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.values["version"].text() != "…", timeout=TIMEOUT)
    assert dialog.values["version"].text() == version("eakte")
    assert dialog.values["pymupdf"].text() == version("pymupdf")
    assert dialog.values["qt"].text() == f"{qVersion()} / {PySide6.__version__}"
    assert dialog.values["store"].text() == str(context.store_path)
    assert dialog.values["logs"].text() == str(log_dir())
    licence = [label for label in dialog.findChildren(QLabel) if LICENCE_URL in label.text()]
    assert licence and "AGPL-3.0-or-later" in licence[0].text()
    assert licence[0].openExternalLinks()

    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    press_alt(qtbot, dialog, Qt.Key.Key_K)  # &Kopieren
    qtbot.waitUntil(lambda: clipboard.text().startswith("E-Akte"), timeout=TIMEOUT)
    copied = clipboard.text()
    assert copied.startswith(f"E-Akte {version('eakte')}\n")
    assert f"Datenbestand: {context.store_path}" in copied
