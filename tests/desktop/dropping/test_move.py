"""Documents dragged onto another case inside the app: confirmed, moved in one transaction,
undone and redone through the window's undo stack."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.context import AppContext
from desktop.dropping import DropController
from sync.records.model import Document, Event
from sync.records.tree import TreeNode
from sync.store.database import Store
from tests.desktop.dropping.support import Places, visible_message_boxes


def _top_level(store: Store, target: TreeNode) -> list[str]:
    with store.read() as session:
        return sorted(
            session.scalars(
                select(Document.id).where(
                    Document.case_id == target.id, Document.parent_document_id.is_(None)
                )
            )
        )


def _places_of(store: Store, ids: list[str]) -> set[tuple[str, str | None]]:
    with store.read() as session:
        rows = session.execute(
            select(Document.dossier_id, Document.case_id).where(Document.id.in_(ids))
        )
        return {(dossier, case) for dossier, case in rows}


def _move_events(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Event).where(Event.action == "move"))


def _box(qtbot: QtBot, window: QMainWindow) -> QMessageBox:
    """The one message box, once it is up (a move is confirmed after a background read)."""
    qtbot.waitUntil(lambda: len(visible_message_boxes(window)) == 1, timeout=30_000)
    [box] = visible_message_boxes(window)
    return box


def _answer(qtbot: QtBot, window: QMainWindow, label: str) -> QMessageBox:
    box = _box(qtbot, window)
    [button] = [b for b in box.buttons() if b.text() == label]
    button.click()
    return box


def test_move_with_confirmation_then_undo_and_redo(
    qtbot: QtBot,
    controller: DropController,
    context: AppContext,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
) -> None:
    source = next(c for c in places.open_cases if len(_top_level(demo_copy, c)) >= 2)
    target = next(c for c in places.open_cases if c != source)
    moving = _top_level(demo_copy, source)[:3]
    origin = _places_of(demo_copy, moving)
    staying = _top_level(demo_copy, target)
    mime = controller.mime_for_documents(moving)
    assert controller.can_drop(mime, target)

    assert controller.drop(mime, target)
    box = _box(qtbot, window)
    assert box.text() == f"{len(moving)} Dokumente nach „{target.label}“ verschieben?"
    with qtbot.waitSignal(context.events.changed, timeout=30_000) as changed:
        _answer(qtbot, window, "&Verschieben")

    assert target.id in changed.args[0].containers
    assert source.id in changed.args[0].containers
    assert _top_level(demo_copy, target) == sorted([*staying, *moving])
    assert not set(moving) & set(_top_level(demo_copy, source))
    moves = _move_events(demo_copy)
    assert moves >= len(moving)  # journaled (attachments move with their mail)
    assert context.undo.count() == 1
    assert context.undo.undoText() == f"{len(moving)} Dokumente nach „{target.label}“ verschieben"

    with qtbot.waitSignal(context.events.changed, timeout=30_000):
        context.undo.undo()
    assert _places_of(demo_copy, moving) == origin
    assert _top_level(demo_copy, target) == staying

    with qtbot.waitSignal(context.events.changed, timeout=30_000):
        context.undo.redo()
    assert _top_level(demo_copy, target) == sorted([*staying, *moving])
    assert _move_events(demo_copy) == 3 * moves


def test_cancelled_confirmation_moves_nothing(
    qtbot: QtBot,
    controller: DropController,
    context: AppContext,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
) -> None:
    moving = _top_level(demo_copy, places.case)[:1]
    before = _places_of(demo_copy, moving)
    assert controller.drop(controller.mime_for_documents(moving), places.other_case)
    box = _answer(qtbot, window, "&Abbrechen")
    assert box.text() == f"Das Dokument nach „{places.other_case.label}“ verschieben?"
    context.loader.wait(10_000)
    assert _places_of(demo_copy, moving) == before
    assert context.undo.count() == 0


def test_a_closed_case_takes_no_moves(
    controller: DropController, demo_copy: Store, places: Places, window: QMainWindow
) -> None:
    moving = _top_level(demo_copy, places.case)[:1]
    mime = controller.mime_for_documents(moving)
    assert not controller.can_drop(mime, places.closed_case)
    assert not controller.drop(mime, places.closed_case)
    [box] = visible_message_boxes(window)
    assert "zu den Akten gelegt" in box.text()


def test_documents_dropped_where_they_are_only_say_so(
    qtbot: QtBot,
    controller: DropController,
    context: AppContext,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
) -> None:
    there = _top_level(demo_copy, places.case)[:1]
    messages: list[str] = []
    controller.status_message.connect(messages.append)
    assert controller.drop(controller.mime_for_documents(there), places.case)
    qtbot.waitUntil(lambda: bool(messages), timeout=30_000)
    assert messages[-1] == f"Die Dokumente liegen bereits in „{places.case.label}“."
    assert visible_message_boxes(window) == []
    assert context.undo.count() == 0


def test_an_attachment_cannot_leave_its_mail(
    qtbot: QtBot,
    controller: DropController,
    context: AppContext,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
) -> None:
    with demo_copy.read() as session:
        attachment_id, mail_case = session.execute(
            select(Document.id, Document.case_id).where(Document.parent_document_id.is_not(None))
        ).first()
    target = places.other_case if mail_case != places.other_case.id else places.case
    assert controller.drop(controller.mime_for_documents([attachment_id]), target)
    box = _box(qtbot, window)
    assert "Anhang einer E-Mail" in box.text()
    assert context.undo.count() == 0
    with demo_copy.read() as session:
        assert session.get_one(Document, attachment_id).case_id == mail_case
