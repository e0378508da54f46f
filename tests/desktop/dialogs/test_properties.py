"""Eigenschaften: editable where open, read-only where closed, with the record's history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSpinBox
from pytestqt.qtbot import QtBot

from desktop.context import AppContext, Change
from desktop.dialogs.properties import PropertiesDialog
from sync.records.model import Dossier, Event, PlanUnit
from sync.records.tree import TreeNode
from tests.desktop.dialogs.conftest import TIMEOUT
from tests.desktop.dialogs.helpers import (
    closed_case,
    document_in,
    open_dossier,
    show_active,
    type_text,
    unit_with_dossiers,
)


def open_dialog(qtbot: QtBot, context: AppContext, node: TreeNode) -> PropertiesDialog:
    dialog = PropertiesDialog(context, node)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.facts() is not None, timeout=TIMEOUT)
    return dialog


def history_rows(dialog: PropertiesDialog) -> list[list[str]]:
    tree = dialog.history
    return [
        [tree.topLevelItem(r).text(c) for c in range(4)] for r in range(tree.topLevelItemCount())
    ]


def test_dossier_edited_by_keyboard(
    qtbot: QtBot, context: AppContext, announced: list[Change]
) -> None:
    node = open_dossier(context.store)
    dialog = open_dialog(qtbot, context, node)
    title = dialog.editors["title"]
    assert isinstance(title, QLineEdit) and not title.isReadOnly()
    assert isinstance(dialog.editors["reference"], QLineEdit)
    assert dialog.editors["reference"].isReadOnly()
    assert dialog.editors["reference"].text() == node.reference
    assert dialog.save_button.isVisible() and dialog.reason.isHidden()
    assert history_rows(dialog)[0][1] == "angelegt"

    assert title.hasFocus()
    title.selectAll()
    type_text(title, "Friedhofssatzung – Änderung")
    description = dialog.editors["description"]
    assert isinstance(description, QPlainTextEdit)
    description.setFocus()
    type_text(description, "Neufassung ab 2027")
    retention = dialog.editors["retention_years"]
    assert isinstance(retention, QSpinBox)
    retention.setFocus()
    retention.lineEdit().selectAll()
    qtbot.keyClicks(retention, "30")
    disposal = dialog.editors["disposal"]
    assert isinstance(disposal, QComboBox)
    disposal.setFocus()
    qtbot.keyClick(disposal, Qt.Key.Key_A)  # "A – archivieren"
    assert set(dialog.changes()) >= {"title", "description", "retention_years"}

    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as saved:
        qtbot.keyClick(title, Qt.Key.Key_Return)
    assert "title" in saved.args[0]
    with context.store.read() as s:
        dossier = s.get_one(Dossier, node.id)
        assert dossier.title == "Friedhofssatzung – Änderung"
        assert dossier.description.endswith("Neufassung ab 2027")
        assert (dossier.retention_years, dossier.disposal) == (30, "A")
    assert announced == [Change.of(records=(node.id,))]

    again = open_dialog(qtbot, context, node)
    last = history_rows(again)[-1]
    assert last[1] == "geändert"
    assert "Titel" in last[3] and "Aufbewahrungsfrist" in last[3]


def test_empty_title_is_refused(qtbot: QtBot, context: AppContext, announced: list[Change]) -> None:
    node = open_dossier(context.store)
    dialog = open_dialog(qtbot, context, node)
    title = dialog.editors["title"]
    assert isinstance(title, QLineEdit)
    title.selectAll()
    qtbot.keyClick(title, Qt.Key.Key_Delete)
    qtbot.keyClick(title, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert dialog.error.text() == "Der Titel darf nicht leer sein."
    with context.store.read() as s:
        assert s.get_one(Dossier, node.id).title == node.label.removeprefix(f"{node.reference} ")
    assert announced == []


def test_closed_case_is_read_only_with_the_reason(qtbot: QtBot, context: AppContext) -> None:
    node = closed_case(context.store)
    dialog = open_dialog(qtbot, context, node)
    for widget in dialog.editors.values():
        assert isinstance(widget, QLineEdit | QPlainTextEdit)
        assert widget.isReadOnly()
    assert dialog.editors["title"].text() == node.label
    assert dialog.save_button.isHidden()
    assert dialog.reason.isVisible()
    assert "ist zu den Akten gelegt (zdA)" in dialog.reason.text()
    assert "zu den Akten gelegt (zdA)" in [row[1] for row in history_rows(dialog)]


def test_document_and_plan_unit_are_shown(qtbot: QtBot, context: AppContext) -> None:
    case = closed_case(context.store)
    document = document_in(context.store, case)
    dialog = open_dialog(qtbot, context, document)
    assert dialog.editors["title"].text() == document.label
    assert dialog.editors["place"].text().endswith(f" › {case.label}")
    assert dialog.save_button.isHidden()
    assert history_rows(dialog)[0][1] == "angelegt"

    unit = unit_with_dossiers(context.store)
    with context.store.read() as s:
        rules = s.get_one(PlanUnit, unit.id)
        events = s.query(Event).filter(Event.entity_id == unit.id).count()
    dialog = open_dialog(qtbot, context, unit)
    assert dialog.editors["code"].text() == rules.code
    assert dialog.editors["retention_years"].text() == f"{rules.retention_years} Jahre"
    assert len(history_rows(dialog)) == events
