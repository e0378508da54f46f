"""desktop.translations: English from eakte_en.ts, compiled on demand; Qt's own texts too."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStatusBar
from pytestqt.qtbot import QtBot

from desktop.context import AppContext
from desktop.dialogs.trash import TrashDialog
from desktop.status_bar import StatusBarController
from desktop.translations import compiled_catalogue, install_translations, ts_file
from sync.store.database import Store

Install = Callable[[str], None]


@pytest.fixture
def install(qapp: QApplication, tmp_path: Path) -> Iterator[Install]:
    """Install a language for one test; undone afterwards (the QApplication is shared)."""
    installed = []
    locale = QLocale()

    def run(language: str) -> None:
        installed.extend(install_translations(qapp, language, cache_dir=tmp_path / "cache"))

    yield run
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(locale)


@pytest.fixture
def context(qtbot: QtBot, demo_store: Store) -> Iterator[AppContext]:
    ctx = AppContext(demo_store, demo_store.root)
    yield ctx
    ctx.loader.wait(10_000)
    qtbot.waitUntil(lambda: ctx.loader.pending() == 0, timeout=10_000)


def cancel_text() -> str:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    return box.button(QDialogButtonBox.StandardButton.Cancel).text()


def test_english_main_window_status_bar_and_dialogs(
    qtbot: QtBot, install: Install, context: AppContext
) -> None:
    install("en")
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = StatusBarController(context, bar)
    assert status.connection.accessibleName() == "Connection"
    assert status.connection.toolTip().startswith("Not connected to the server.")
    trash = TrashDialog(context)
    qtbot.addWidget(trash)
    assert trash.windowTitle() == "Recycle bin"
    assert trash.restore_button.text() == "&Restore"
    assert cancel_text().replace("&", "") == "Cancel"  # Qt's own texts, in English
    assert QLocale().language() == QLocale.Language.English
    # The status bar reads its figures in the background; let that finish while it exists.
    qtbot.waitUntil(lambda: context.loader.pending() == 0, timeout=10_000)


def test_german_is_the_source(qtbot: QtBot, install: Install, context: AppContext) -> None:
    install("de")
    trash = TrashDialog(context)
    qtbot.addWidget(trash)
    assert trash.windowTitle() == "Papierkorb"
    assert cancel_text().replace("&", "") == "Abbrechen"  # Qt's own texts in German
    assert QLocale().language() == QLocale.Language.German


def test_every_string_of_the_source_has_an_english_translation() -> None:
    text = ts_file("en").read_text(encoding="utf-8")
    assert text.count("<message") > 100
    assert 'type="unfinished"' not in text
    assert not re.search(r"<translation>\s*</translation>", text)


def test_catalogue_compiled_once_and_again_when_the_source_changes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    with caplog.at_level(logging.INFO, logger="eakte.desktop.translations"):
        first = compiled_catalogue("en", cache)
    assert first is not None and first.parent == cache and first.stat().st_size > 1000
    assert "compiled" in caplog.text  # with the time it took
    built = first.stat().st_mtime_ns

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="eakte.desktop.translations"):
        assert compiled_catalogue("en", cache) == first
    assert "compiled" not in caplog.text
    assert first.stat().st_mtime_ns == built

    source_time = ts_file("en").stat().st_mtime
    os.utime(first, (source_time - 60, source_time - 60))  # older than the .ts
    assert compiled_catalogue("en", cache) == first
    assert first.stat().st_mtime >= source_time


def test_unknown_language_falls_back_to_german(
    install: Install, caplog: pytest.LogCaptureFixture
) -> None:
    install("fr")
    assert "unknown language 'fr'" in caplog.text
    assert QLocale().language() == QLocale.Language.German
