"""In den Papierkorb and the Papierkorb: delete with confirmation, list, restore; restores into
a closed or deleted container are refused with the German message and change nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.context import AppContext, Change
from desktop.dialogs.delete_record import move_to_trash
from desktop.dialogs.trash import TrashDialog
from sync.records import operations as ops
from sync.records.model import Case, Document, Dossier
from sync.records.tree import TreeNode
from tests.desktop.dialogs.conftest import TIMEOUT
from tests.desktop.dialogs.helpers import (
    closed_case,
    document_in,
    open_case,
    press_alt,
    show_active,
    visible_boxes,
)


def deleted(context: AppContext, model: type[Dossier | Case | Document], record_id: str) -> bool:
    with context.store.read() as s:
        return s.get_one(model, record_id).is_deleted


def open_trash(qtbot: QtBot, context: AppContext) -> TrashDialog:
    dialog = TrashDialog(context)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: "Papierkorb" in dialog.status.text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: context.loader.pending() == 0, timeout=TIMEOUT)
    return dialog


def delete_in_store(context: AppContext, model: type[Dossier | Case | Document], ids: list[str]):
    with context.store.write() as s:
        for record_id in ids:
            ops.delete(s, s.get_one(model, record_id))


def test_delete_with_confirmation_then_restore_by_keyboard(
    qtbot: QtBot, parent: QWidget, context: AppContext, announced: list[Change]
) -> None:
    case = open_case(context.store)
    document = document_in(context.store, case)
    box = move_to_trash(parent, context, document)
    assert document.label in box.text()
    with qtbot.waitSignal(context.events.changed, timeout=TIMEOUT):
        press_alt(qtbot, box, Qt.Key.Key_P)  # In den &Papierkorb
    assert deleted(context, Document, document.id)
    assert announced == [Change.of(containers=(case.id,), records=(document.id,))]

    dialog = open_trash(qtbot, context)
    (entry,) = [e for e in dialog.entries() if e.id == document.id]
    assert entry.kind == "document" and entry.title == document.label
    assert entry.place.endswith(f" › {case.label}") and entry.deleted_at is not None
    assert dialog.list.topLevelItem(0).text(1) == document.label  # newest first
    assert dialog.status.text() == "Einträge im Papierkorb: 1"
    assert not dialog.restore_button.isEnabled()  # nothing selected yet

    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)  # selects the current (first) row
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(dialog.restored, timeout=TIMEOUT) as restored:
        press_alt(qtbot, dialog, Qt.Key.Key_W)  # &Wiederherstellen
    assert restored.args == [[document.id]]
    assert not deleted(context, Document, document.id)
    assert announced[-1] == Change.of(containers=(case.id,), records=(document.id,))
    qtbot.waitUntil(lambda: dialog.status.text() == "Der Papierkorb ist leer.", timeout=TIMEOUT)
    assert dialog.list.topLevelItemCount() == 0


def test_restore_into_a_closed_case_is_refused(
    qtbot: QtBot, context: AppContext, announced: list[Change]
) -> None:
    case = open_case(context.store)
    document = document_in(context.store, case)
    delete_in_store(context, Document, [document.id])
    with context.store.write() as s:
        ops.close(s, s.get_one(Case, case.id))
    dialog = open_trash(qtbot, context)
    dialog.select_ids({document.id})
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert dialog.error.text() == (
        f"„{document.label}“ kann nicht wiederhergestellt werden. Der Vorgang „{case.label}“ "
        "ist zu den Akten gelegt (zdA) und kann nicht mehr geändert werden. Die Registratur "
        "kann ihn bei Bedarf wieder öffnen."
    )
    assert deleted(context, Document, document.id)
    assert announced == []


def test_case_comes_back_only_with_its_deleted_dossier(
    qtbot: QtBot, context: AppContext, announced: list[Change]
) -> None:
    case = open_case(context.store)
    with context.store.read() as s:
        dossier_id = s.get_one(Case, case.id).dossier_id
    delete_in_store(context, Case, [case.id])
    delete_in_store(context, Dossier, [dossier_id])
    dialog = open_trash(qtbot, context)
    assert {e.kind for e in dialog.entries()} == {"dossier", "case"}

    dialog.select_ids({case.id})
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert "Das übergeordnete Element liegt ebenfalls im Papierkorb" in dialog.error.text()
    assert deleted(context, Case, case.id) and deleted(context, Dossier, dossier_id)
    assert announced == []

    dialog.select_ids({case.id, dossier_id})
    with qtbot.waitSignal(dialog.restored, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert not deleted(context, Case, case.id) and not deleted(context, Dossier, dossier_id)
    assert announced[-1].records == {case.id, dossier_id}
    assert dialog.error.isHidden()


def test_a_closed_case_cannot_go_to_the_trash(
    qtbot: QtBot, parent: QWidget, context: AppContext, announced: list[Change]
) -> None:
    case: TreeNode = closed_case(context.store)
    box = move_to_trash(parent, context, case)
    question = box.windowTitle()
    press_alt(qtbot, box, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: bool(visible_boxes(parent, not_titled=question)), timeout=TIMEOUT)
    (shown,) = visible_boxes(parent, not_titled=question)
    assert shown.windowTitle() == "Zu den Akten gelegt"
    assert f"„{case.label}“ ist zu den Akten gelegt" in shown.text()
    assert not deleted(context, Case, case.id)
    assert announced == []
