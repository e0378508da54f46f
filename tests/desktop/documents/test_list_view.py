"""The document list widget: selection across reloads, activation, drag and drop hooks."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDragMoveEvent, QDropEvent, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

import desktop.documents.list_model as list_model_module
import desktop.documents.list_view as list_view_module
from desktop.context import Change
from desktop.documents.list_model import Column, DocumentIdRole
from desktop.documents.list_view import DocumentListView
from sync.errors import StoreError
from sync.filing.pipeline import Filer
from sync.records import operations as ops
from sync.records.model import Document
from tests.desktop.documents.helpers import (
    TIMEOUT,
    closed_case,
    editable_dossier,
    load,
    richest_dossier,
)


def make_view(qtbot, context) -> DocumentListView:
    view = DocumentListView(context)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    return view


def ids_in_view(view: DocumentListView) -> list[str]:
    model = view.list_model
    return [model.index(row, 0).data(DocumentIdRole) for row in range(model.rowCount())]


def select_rows(view: DocumentListView, rows: list[int]) -> None:
    selection = view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(view.list_model.index(row, 0), flags)
    selection.setCurrentIndex(
        view.list_model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )


def test_reload_after_an_announced_change_keeps_the_selection(qtbot, copy_context):
    store = copy_context.store
    view = make_view(qtbot, copy_context)
    dossier = editable_dossier(store)
    load(qtbot, view.list_model, dossier)
    ids = ids_in_view(view)
    select_rows(view, [1, 2])
    current, selected = ids[1], sorted([ids[1], ids[2]])
    assert view.current_document_id() == current
    emitted: list[object] = []
    view.current_document_changed.connect(emitted.append)

    # Another document is renamed so that it sorts first: rows move under the selection.
    view.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    renamed = ids[0]
    with store.write() as s:
        ops.update_fields(s, s.get_one(Document, renamed), {"title": "AAA zuerst"})
    with qtbot.waitSignal(view.list_model.loaded, timeout=TIMEOUT):
        copy_context.events.announce(Change.of(records=(renamed,)))
    assert ids_in_view(view)[0] == renamed
    assert view.current_document_id() == current
    assert sorted(view.selected_document_ids()) == selected
    assert view.currentIndex().data(DocumentIdRole) == current

    # A new document filed into one of the dossier's cases appears; the selection stays.
    case_id = sorted(view.list_model.listing.case_ids)[0]
    outcome = Filer(store).file_bytes(b"Neuer Brief", "Neuer Brief.txt", case_id)
    with qtbot.waitSignal(view.list_model.loaded, timeout=TIMEOUT):
        copy_context.events.announce(Change.of(containers=(case_id,)))
    assert outcome.document_id in ids_in_view(view)
    assert len(ids_in_view(view)) == len(ids) + 1
    assert sorted(view.selected_document_ids()) == selected
    assert emitted == []  # the current document never changed

    # The current document goes to the Papierkorb: the view says there is none now.
    with store.write() as s:
        ops.delete(s, s.get_one(Document, current))
    with qtbot.waitSignal(view.current_document_changed, timeout=TIMEOUT) as signal:
        copy_context.events.announce(Change.of(containers=(dossier.id,)))
    assert signal.args == [None]
    assert view.selected_document_ids() == [ids[2]]


def test_keyboard_selects_and_enter_activates(qtbot, context):
    view = make_view(qtbot, context)
    load(qtbot, view.list_model, richest_dossier(context.store))
    view.setFocus()
    with qtbot.waitSignal(view.current_document_changed, timeout=TIMEOUT) as changed:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    first = ids_in_view(view)[0]
    assert changed.args == [first]
    with qtbot.waitSignal(view.current_document_changed, timeout=TIMEOUT) as changed:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    second = ids_in_view(view)[1]
    assert changed.args == [second]
    with qtbot.waitSignal(view.document_activated, timeout=TIMEOUT) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert activated.args == [second]


def test_double_click_activates(qtbot, context):
    view = make_view(qtbot, context)
    load(qtbot, view.list_model, richest_dossier(context.store))
    index = view.list_model.index(2, Column.TITLE)
    centre = view.visualRect(index).center()
    # QTest's double click is only the second click: the view wants the first one too.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(view.document_activated, timeout=TIMEOUT) as activated:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert activated.args == [ids_in_view(view)[2]]


def test_select_document_waits_for_its_rows(qtbot, context):
    view = make_view(qtbot, context)
    dossier = richest_dossier(context.store)
    load(qtbot, view.list_model, dossier)
    target = ids_in_view(view)[-1]
    load(qtbot, view.list_model, None)
    view.show_container(dossier)
    view.select_document(target)  # nothing is loaded yet
    qtbot.waitUntil(lambda: view.current_document_id() == target, timeout=TIMEOUT)
    assert view.selected_document_ids() == [target]


def test_the_vorgang_column_shows_for_dossiers_only(qtbot, context):
    view = make_view(qtbot, context)
    load(qtbot, view.list_model, richest_dossier(context.store))
    assert not view.isColumnHidden(Column.CASE)
    load(qtbot, view.list_model, closed_case(context.store))
    assert view.isColumnHidden(Column.CASE)


def test_dragging_rows_asks_the_mime_factory_for_the_selected_ids(qtbot, context, monkeypatch):
    view = make_view(qtbot, context)
    load(qtbot, view.list_model, richest_dossier(context.store))
    select_rows(view, [0, 2])
    asked: list[list[str]] = []
    started: list[tuple[QMimeData, Qt.DropAction]] = []

    class RecordingDrag:  # QDrag.exec would wait for a real mouse release
        def __init__(self, source) -> None:
            assert source is view

        def setMimeData(self, mime: QMimeData) -> None:  # noqa: N802
            self.mime = mime

        def exec(self, actions: Qt.DropAction, default: Qt.DropAction) -> Qt.DropAction:
            started.append((self.mime, actions))
            return default

    monkeypatch.setattr(list_view_module, "QDrag", RecordingDrag)
    view.startDrag(Qt.DropAction.CopyAction | Qt.DropAction.MoveAction)
    assert started == []  # no factory: no drag

    def factory(ids: list[str]) -> QMimeData:
        asked.append(ids)
        mime = QMimeData()
        mime.setText("\n".join(ids))
        return mime

    view.mime_factory = factory
    view.startDrag(Qt.DropAction.CopyAction | Qt.DropAction.MoveAction)
    ids = ids_in_view(view)
    assert asked == [[ids[0], ids[2]]]
    assert started[0][0].text() == f"{ids[0]}\n{ids[2]}"
    assert started[0][1] == Qt.DropAction.CopyAction | Qt.DropAction.MoveAction


def _drop(view: DocumentListView, mime: QMimeData) -> QDropEvent:
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dropEvent(event)
    return event


def test_drops_onto_the_list_go_to_the_drop_handler(qtbot, context):
    view = make_view(qtbot, context)
    case = closed_case(context.store)
    load(qtbot, view.list_model, case)
    mime = QMimeData()
    mime.setText("eine Datei")
    assert not _drop(view, mime).isAccepted()  # no handler: no drop
    received: list[tuple[str, str]] = []

    def handler(data: QMimeData, container) -> bool:
        received.append((data.text(), container.id))
        return True

    view.drop_handler = handler
    assert _drop(view, mime).isAccepted()
    assert received == [("eine Datei", case.id)]

    # While hovering, drop_accepts decides what the cursor shows.
    def hover() -> bool:
        event = QDragMoveEvent(
            QPoint(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        view.dragMoveEvent(event)
        return event.isAccepted()

    assert hover()
    view.drop_accepts = lambda data, container: data.text() != "eine Datei"
    assert not hover()


def test_empty_states_and_a_failed_load(qtbot, context, monkeypatch):
    view = make_view(qtbot, context)
    assert view.empty_text() == "Bitte im Aktenplan eine Akte oder einen Vorgang wählen."

    def broken(*_args):
        raise StoreError("Der lokale Datenbestand ist nicht lesbar.")

    monkeypatch.setattr(list_model_module, "list_documents", broken)
    with qtbot.waitSignal(view.list_model.load_failed, timeout=TIMEOUT):
        view.show_container(richest_dossier(context.store))
    assert view.empty_text() == "Der lokale Datenbestand ist nicht lesbar."
    assert view.list_model.rowCount() == 0


def test_badges_are_painted(qtbot, context):
    view = make_view(qtbot, context)
    load(qtbot, view.list_model, richest_dossier(context.store))
    delegate = view.itemDelegateForColumn(Column.STATUS)
    index = view.list_model.index(0, Column.STATUS)
    assert index.data(list_model_module.BadgesRole)

    def render(index) -> QImage:
        image = QImage(120, 24, QImage.Format.Format_ARGB32)
        image.fill(QColor(255, 255, 255))
        option = QStyleOptionViewItem()
        option.rect = image.rect()
        option.palette = view.palette()
        painter = QPainter(image)
        delegate.paint(painter, option, index)
        painter.end()
        return image

    image = render(index)
    colours = {image.pixel(x, y) for x in range(0, 120, 2) for y in range(0, 24, 2)}
    assert len(colours) > 3  # icons, not a blank cell
