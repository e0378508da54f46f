"""Neuer Vorgang: created by keyboard; a closed dossier refuses it with the German message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.context import AppContext, Change
from desktop.dialogs.new_case import NewCaseDialog
from sync.records import operations as ops
from sync.records.model import Case, Dossier
from tests.desktop.dialogs.conftest import TIMEOUT
from tests.desktop.dialogs.helpers import open_dossier, show_active, type_text


def cases_in(context: AppContext, dossier_id: str) -> int:
    with context.store.read() as s:
        return s.scalar(select(func.count()).select_from(Case).where(Case.dossier_id == dossier_id))


def test_created_by_keyboard(qtbot: QtBot, context: AppContext, announced: list[Change]) -> None:
    dossier = open_dossier(context.store)
    dialog = NewCaseDialog(context, dossier)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    dialog.title_edit.setFocus()
    type_text(dialog.title_edit, "Anhörung Müller")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Tab)
    type_text(dialog.description_edit, "Termin im Rathaus, Zimmer 4")
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT) as created:
        qtbot.keyClick(dialog.description_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    (case_id,) = created.args
    with context.store.read() as s:
        case = s.get_one(Case, case_id)
        assert (case.dossier_id, case.title) == (dossier.id, "Anhörung Müller")
        assert case.description == "Termin im Rathaus, Zimmer 4"
        assert not case.is_closed
    assert announced == [Change.of(containers=(dossier.id,), records=(case_id,))]
    assert dialog.result() == dialog.DialogCode.Accepted


def test_closed_dossier_refuses(qtbot: QtBot, context: AppContext, announced: list[Change]) -> None:
    dossier = open_dossier(context.store)
    with context.store.write() as s:
        ops.close(s, s.get_one(Dossier, dossier.id))
    before = cases_in(context, dossier.id)
    dialog = NewCaseDialog(context, dossier)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    type_text(dialog.title_edit, "Nachzügler")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert dialog.error.text().startswith(f"Die Akte {dossier.reference} ist zu den Akten gelegt")
    assert dialog.isVisible()
    assert dialog.create_button.isEnabled()
    assert cases_in(context, dossier.id) == before
    assert announced == []
