"""The tree and a container view take drags: accepted on open cases and dossiers (a document
row stands for its case), refused on closed ones with a reason, and dropped into the store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from desktop.dropping import DropController, DropTreeView, install_drop_target
from desktop.tree_model import PlanTreeModel
from sync.records.tree import TreeNode
from sync.store.database import Store
from tests.desktop.dropping.support import Places, documents_in, file_mime

ACTIONS = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction


def _send(widget: QWidget, kind: str, pos: QPoint, mime: QMimeData) -> bool:
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    if kind == "enter":
        event = QDragEnterEvent(pos, ACTIONS, mime, buttons, keys)
    elif kind == "move":
        event = QDragMoveEvent(pos, ACTIONS, mime, buttons, keys)
    else:
        event = QDropEvent(QPointF(pos), ACTIONS, mime, buttons, keys)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def _load_until(qtbot: QtBot, view: DropTreeView, wanted: str) -> QModelIndex:
    """Expand the tree level by level (loads run in the background) until row ``wanted``."""
    model = view.model()
    assert isinstance(model, PlanTreeModel)
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop(0)
        if parent.isValid() and model.canFetchMore(parent):
            with qtbot.waitSignal(model.loaded, timeout=10_000):
                view.expand(parent)
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            node = model.node(index)
            assert node is not None
            if node.id == wanted:
                view.scrollTo(index)
                return index
            if node.kind in ("unit", "dossier", "case"):
                pending.append(index)
    raise AssertionError(f"row {wanted} not found")


def _centre(view: DropTreeView, index: QModelIndex) -> QPoint:
    view.scrollTo(index)
    return view.visualRect(index).center()


def test_tree_accepts_open_targets_refuses_closed_ones_and_files_the_drop(
    qtbot: QtBot,
    controller: DropController,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
    tmp_path: Path,
) -> None:
    view = DropTreeView(controller)
    view.setModel(PlanTreeModel(demo_copy, view))
    window.setCentralWidget(view)
    messages: list[str] = []
    controller.status_message.connect(messages.append)
    letter = tmp_path / "Schreiben an das Bauamt.txt"
    letter.write_text("Sehr geehrte Damen und Herren, ...", encoding="utf-8")
    mime = file_mime(letter)

    closed = _centre(view, _load_until(qtbot, view, places.closed_case.id))
    # Entering takes any drag with files (else no move events would follow); where it
    # may go is judged on each move.
    assert not _send(view.viewport(), "enter", closed, QMimeData())
    assert _send(view.viewport(), "enter", closed, mime)
    assert not _send(view.viewport(), "move", closed, mime)
    assert "zu den Akten gelegt (zdA)" in messages[-1]
    assert places.closed_case.label in messages[-1]

    unit = _centre(view, view.model().index(0, 0))
    assert not _send(view.viewport(), "move", unit, mime)
    assert messages[-1] == "Bitte auf eine Akte oder einen Vorgang ziehen."

    case_index = _load_until(qtbot, view, places.case.id)
    with qtbot.waitSignal(view.model().loaded, timeout=10_000):
        view.expand(case_index)
    document_row = view.model().index(0, 0, case_index)
    assert view.model().node(document_row).kind == "document"
    assert view.target_at(_centre(view, document_row)) == places.case
    assert _send(view.viewport(), "move", _centre(view, document_row), mime)
    open_case = _centre(view, case_index)
    assert _send(view.viewport(), "move", open_case, mime)
    assert messages[-1] == ""  # the refusal is cleared

    with qtbot.waitSignal(controller.filing_finished, timeout=60_000):
        assert _send(view.viewport(), "drop", open_case, mime)
    assert letter.name in documents_in(demo_copy, places.case)


def test_a_container_view_takes_drops_for_what_it_shows(
    qtbot: QtBot,
    controller: DropController,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
    tmp_path: Path,
) -> None:
    shown: list[TreeNode | None] = [places.closed_case]
    view = QListWidget()
    window.setCentralWidget(view)
    install_drop_target(view, controller, lambda: shown[0])
    note = tmp_path / "Aktenvermerk.txt"
    note.write_text("Aktenvermerk zum Ortstermin", encoding="utf-8")
    mime = file_mime(note)
    centre = view.viewport().rect().center()

    assert not _send(view.viewport(), "enter", centre, QMimeData())
    assert _send(view.viewport(), "enter", centre, mime)
    assert not _send(view.viewport(), "move", centre, mime)
    shown[0] = None
    assert not _send(view.viewport(), "move", centre, mime)
    shown[0] = places.dossier
    assert _send(view.viewport(), "move", centre, mime)
    assert not _send(view.viewport(), "move", centre, QMimeData())  # nothing to file

    with qtbot.waitSignal(controller.filing_finished, timeout=60_000):
        assert _send(view.viewport(), "drop", centre, mime)
    assert note.name in documents_in(demo_copy, places.dossier)
