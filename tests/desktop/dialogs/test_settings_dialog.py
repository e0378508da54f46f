"""Einstellungen: stored in the user's file, validated, machine-wide values read-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.appearance import apply_appearance, is_dark
from desktop.context import AppContext
from desktop.dialogs.settings_dialog import SettingsDialog
from sync import settings
from tests.desktop.dialogs.conftest import TIMEOUT
from tests.desktop.dialogs.helpers import show_active, type_text


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Private user and machine configuration files (neither exists yet)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user"))
    machine = tmp_path / "machine" / "config.toml"
    monkeypatch.setenv(settings.MACHINE_CONFIG_ENV, str(machine))
    return {"user": settings.user_settings_path(), "machine": machine}


@pytest.fixture
def system_appearance(qapp: QApplication):
    yield
    apply_appearance(qapp, "system")


def open_dialog(qtbot: QtBot, context: AppContext) -> SettingsDialog:
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=TIMEOUT)
    return dialog


def test_saved_by_keyboard_and_appearance_applied(
    qtbot: QtBot,
    qapp: QApplication,
    context: AppContext,
    config: dict[str, Path],
    system_appearance: None,
) -> None:
    dialog = open_dialog(qtbot, context)
    assert dialog.server_edit.hasFocus()
    assert dialog.cache_spin.value() == settings.Settings().cache_mb
    assert "nächsten Start" in dialog.language_note.text()
    type_text(dialog.server_edit, "https://eakte.werra-meissner.de/")
    qtbot.keyClick(dialog.server_edit, Qt.Key.Key_Tab)
    assert dialog.language_combo.hasFocus()
    qtbot.keyClick(dialog.language_combo, Qt.Key.Key_E)  # English
    qtbot.keyClick(dialog.language_combo, Qt.Key.Key_Tab)
    dialog.cache_spin.lineEdit().selectAll()
    qtbot.keyClicks(dialog.cache_spin, "8192")
    qtbot.keyClick(dialog.cache_spin, Qt.Key.Key_Tab)
    assert dialog.appearance_combo.hasFocus()
    qtbot.keyClick(dialog.appearance_combo, Qt.Key.Key_D)  # Dunkel

    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as saved:
        qtbot.keyClick(dialog.server_edit, Qt.Key.Key_Return)
    expected = settings.Settings(
        server_url="https://eakte.werra-meissner.de",
        language="en",
        cache_mb=8192,
        appearance="dark",
    )
    assert saved.args == [expected]
    assert json.loads(config["user"].read_text(encoding="utf-8")) == expected.__dict__
    assert settings.load().effective == expected
    assert is_dark(qapp.palette())


def test_invalid_server_url_is_refused(
    qtbot: QtBot, context: AppContext, config: dict[str, Path]
) -> None:
    dialog = open_dialog(qtbot, context)
    type_text(dialog.server_edit, "ftp://rathaus")
    qtbot.keyClick(dialog.server_edit, Qt.Key.Key_Return)
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("„ftp://rathaus“ ist keine gültige Serveradresse.")
    assert dialog.isVisible()
    assert not config["user"].exists()


def test_machine_wide_values_are_read_only(
    qtbot: QtBot, context: AppContext, config: dict[str, Path]
) -> None:
    settings.save(settings.Settings(server_url="https://privat.example.de", cache_mb=1024))
    config["machine"].parent.mkdir(parents=True)
    config["machine"].write_text('server_url = "https://eakte.kreis.de"\n', encoding="utf-8")
    dialog = open_dialog(qtbot, context)
    assert dialog.server_edit.text() == "https://eakte.kreis.de"
    assert dialog.server_edit.isReadOnly()
    assert dialog.notes["server_url"].isVisible()
    assert dialog.notes["server_url"].text() == "vom Administrator festgelegt"
    assert not dialog.notes["cache_mb"].isVisible()
    assert dialog.cache_spin.value() == 1024

    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].server_url == "https://eakte.kreis.de"
    stored = json.loads(config["user"].read_text(encoding="utf-8"))
    assert stored["server_url"] == "https://privat.example.de"  # the user's own, kept


def test_a_machine_wide_municipality_needs_no_field_and_survives_saving(
    qtbot: QtBot, context: AppContext, config: dict[str, Path]
) -> None:
    config["machine"].parent.mkdir(parents=True)
    config["machine"].write_text('municipality = "ringgau"\n', encoding="utf-8")
    dialog = open_dialog(qtbot, context)  # the municipality has no widget here
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].municipality == "ringgau"
    stored = json.loads(config["user"].read_text(encoding="utf-8"))
    assert stored["municipality"] == ""  # the machine's value is not copied into the user's
