"""Neue Akte: filled by keyboard, stored through the operations, refused with German text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.context import AppContext, Change
from desktop.dialogs.new_dossier import NewDossierDialog
from sync.records.model import Dossier, Event, PlanUnit
from tests.desktop.dialogs.conftest import TIMEOUT
from tests.desktop.dialogs.helpers import show_active, type_text, unit_with_dossiers


def open_dialog(qtbot: QtBot, context: AppContext) -> NewDossierDialog:
    unit = unit_with_dossiers(context.store)
    dialog = NewDossierDialog(context, unit)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(dialog.create_button.isEnabled, timeout=TIMEOUT)
    return dialog


def count_dossiers(context: AppContext) -> int:
    with context.store.read() as s:
        return s.scalar(select(func.count()).select_from(Dossier))


def test_created_by_keyboard_with_the_suggested_reference(
    qtbot: QtBot, context: AppContext, announced: list[Change]
) -> None:
    dialog = open_dialog(qtbot, context)
    suggestion = dialog.reference_edit.text()
    unit = unit_with_dossiers(context.store)
    assert suggestion.startswith(f"{unit.reference}-")
    assert suggestion.endswith(f"/{date.today().year}")
    with context.store.read() as s:
        rules = s.get_one(PlanUnit, unit.id)
        assert dialog.retention_spin.value() == rules.retention_years

    dialog.title_edit.setFocus()
    type_text(dialog.title_edit, "Straßenreinigung Südring")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Tab)
    assert dialog.description_edit.hasFocus()
    type_text(dialog.description_edit, "Beschwerden der Anlieger")
    qtbot.keyClick(dialog.description_edit, Qt.Key.Key_Tab)  # to the date
    qtbot.keyClick(dialog.description_edit.nextInFocusChain(), Qt.Key.Key_Tab)
    assert dialog.retention_spin.hasFocus()
    dialog.retention_spin.lineEdit().selectAll()
    qtbot.keyClicks(dialog.retention_spin, "25")
    qtbot.keyClick(dialog.retention_spin, Qt.Key.Key_Tab)
    assert dialog.disposal_combo.hasFocus()
    qtbot.keyClick(dialog.disposal_combo, Qt.Key.Key_V)  # "V – vernichten"

    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT) as created:
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    dossier_id, reference = created.args
    assert reference == suggestion
    assert dialog.result() == dialog.DialogCode.Accepted
    with context.store.read() as s:
        dossier = s.get_one(Dossier, dossier_id)
        assert dossier.title == "Straßenreinigung Südring"
        assert dossier.description == "Beschwerden der Anlieger"
        assert dossier.plan_unit_id == unit.id
        assert dossier.retention_years == 25
        assert dossier.disposal == "V"
        assert dossier.running_number is not None  # the counter was reserved, not bypassed
        actions = s.scalars(select(Event.action).where(Event.entity_id == dossier_id)).all()
        assert actions[0] == "create"
    assert announced == [Change.of(containers=(unit.id,), records=(dossier_id,))]


def test_own_reference_and_a_taken_one_is_refused(
    qtbot: QtBot, context: AppContext, announced: list[Change]
) -> None:
    with context.store.read() as s:
        taken = s.scalars(select(Dossier.reference)).first()
    before = count_dossiers(context)
    dialog = open_dialog(qtbot, context)
    qtbot.keyClicks(dialog.title_edit, "Doppelt")
    dialog.reference_edit.selectAll()
    qtbot.keyClicks(dialog.reference_edit, taken)
    qtbot.keyClick(dialog.reference_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert dialog.error.text() == f"Das Aktenzeichen {taken} ist bereits vergeben."
    assert dialog.isVisible()
    assert count_dossiers(context) == before
    assert announced == []

    dialog.reference_edit.selectAll()
    qtbot.keyClicks(dialog.reference_edit, "SONDER-1/2026")
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT) as created:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert created.args[1] == "SONDER-1/2026"
    assert not dialog.error.isVisible() and not dialog.isVisible()
    assert count_dossiers(context) == before + 1


def test_empty_title_is_refused(qtbot: QtBot, context: AppContext) -> None:
    before = count_dossiers(context)
    dialog = open_dialog(qtbot, context)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert dialog.error.text() == "Der Titel darf nicht leer sein."
    assert count_dossiers(context) == before


def test_another_year_suggests_that_years_reference(qtbot: QtBot, context: AppContext) -> None:
    dialog = open_dialog(qtbot, context)
    dialog.opened_edit.setDate(QDate(2031, 5, 4))
    qtbot.waitUntil(lambda: dialog.reference_edit.text().endswith("/2031"), timeout=TIMEOUT)
    assert dialog.reference_edit.text().split("-")[-1] == "0001/2031"
