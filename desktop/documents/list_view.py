"""The document list widget: sortable columns, badges, keyboard and drag and drop hooks.

Drag and drop is wired by whoever builds the mime data (not this module):

- ``mime_factory(document_ids) -> QMimeData | None`` is called when the clerk drags
  selected rows (ids in display order). None, or no factory, means no drag. The drag offers
  copy and move; the drop target picks.
- ``drop_handler(mime_data, container) -> bool`` is called when something is dropped onto
  the list; ``container`` is the dossier or case it shows. It returns whether it took the
  drop. Without a handler the list accepts no drops; rows dragged from the list itself are
  never dropped back onto it.
- ``drop_accepts(mime_data, container) -> bool``, if set, is asked while a drag hovers, so
  that the cursor shows whether a drop would be taken (``DropController.can_drop`` fits
  it, as ``drop`` fits the handler and ``mime_for_documents`` the factory).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from desktop.context import AppContext
from desktop.documents.badges import BADGE_SIZE, Badge, BadgeDelegate
from desktop.documents.list_model import (
    BadgesRole,
    Column,
    DocumentIdRole,
    DocumentListModel,
)
from sync.records.tree import TreeNode

MimeFactory = Callable[[list[str]], QMimeData | None]
DropHandler = Callable[[QMimeData, TreeNode], bool]

DROP_KINDS = ("dossier", "case")  # where a dropped file can be filed


class DocumentListView(QTreeView):
    """Signals: ``document_activated(str)`` on double-click or Enter;
    ``current_document_changed(str | None)`` when the current document changes (also to
    None when it disappears on a reload)."""

    document_activated = Signal(str)
    current_document_changed = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mime_factory: MimeFactory | None = None
        self.drop_handler: DropHandler | None = None
        self.drop_accepts: DropHandler | None = None
        self.list_model = DocumentListModel(context, self)
        self._current_id: str | None = None
        self._remembered: tuple[str | None, list[str]] = (None, [])
        self._wanted: str | None = None  # select_document() before its row has arrived
        self._error: str | None = None
        self.setModel(self.list_model)
        self.setAccessibleName(self.tr("Dokumente"))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setItemDelegateForColumn(Column.STATUS, BadgeDelegate(BadgesRole, self))
        self._set_up_header()
        self.list_model.modelAboutToBeReset.connect(self._remember_selection)
        self.list_model.modelReset.connect(self._restore_selection)
        self.list_model.loaded.connect(self._loaded)
        self.list_model.load_failed.connect(self._load_failed)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.doubleClicked.connect(self._activate)

    def _set_up_header(self) -> None:
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        # Room for typical contents; the title takes what is left and is never cut first.
        char = self.fontMetrics().averageCharWidth()
        for column, chars in (
            (Column.TYPE, 12),
            (Column.RECEIVED, 11),
            (Column.SENDER, 18),
            (Column.CASE, 16),
            (Column.PAGES, 6),
        ):
            header.resizeSection(column, chars * char + 16)
        header.resizeSection(Column.STATUS, len(Badge) * (BADGE_SIZE + 3) + 8)
        header.setMinimumSectionSize(4 * char)
        column, order = self.list_model.sort_column()
        header.setSortIndicator(column, order)
        self.setSortingEnabled(True)

    # -- public API ------------------------------------------------------------------------

    def show_container(self, node: TreeNode | None) -> None:
        """Show the documents of ``node``; loads in the background."""
        self._error = None
        self._wanted = None
        self.list_model.show_container(node)
        self.viewport().update()

    def current_document_id(self) -> str | None:
        return self._current_id

    def selected_document_ids(self) -> list[str]:
        """Ids of the selected rows, in display order."""
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        return [self.list_model.row_data(row).id for row in rows]

    def select_document(self, document_id: str) -> None:
        """Make ``document_id`` current; if its rows are still loading, as soon as they come."""
        row = self.list_model.row_of(document_id)
        if row < 0:
            self._wanted = document_id if self.list_model.is_loading() else None
            return
        self._wanted = None
        index = self.list_model.index(row, 0)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)

    # -- selection across reloads ----------------------------------------------------------

    def _remember_selection(self) -> None:
        self._remembered = (self._current_id, self.selected_document_ids())

    def _restore_selection(self) -> None:
        current, selected = self._remembered
        selection = self.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for document_id in selected:
            row = self.list_model.row_of(document_id)
            if row >= 0:
                selection.select(self.list_model.index(row, 0), flags)
        row = self.list_model.row_of(current) if current else -1
        if row >= 0:
            index = self.list_model.index(row, 0)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(index)
        elif current is not None:
            self._set_current(None)

    def _loaded(self) -> None:
        self._error = None  # a failed load emits load_failed right after this
        container = self.list_model.container
        self.setColumnHidden(Column.CASE, container is None or container.kind != "dossier")
        if self._wanted is not None:
            self.select_document(self._wanted)
        self.viewport().update()

    def _load_failed(self, message: str) -> None:
        self._error = message
        self.viewport().update()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        document_id = current.data(DocumentIdRole) if current.isValid() else None
        self._set_current(document_id)

    def _set_current(self, document_id: str | None) -> None:
        if document_id != self._current_id:
            self._current_id = document_id
            self.current_document_changed.emit(document_id)

    # -- activation ------------------------------------------------------------------------

    def _activate(self, index: QModelIndex) -> None:
        document_id = index.data(DocumentIdRole) if index.isValid() else None
        if document_id:
            self.document_activated.emit(document_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    # -- drag and drop ---------------------------------------------------------------------

    def startDrag(self, supportedActions: Qt.DropAction) -> None:  # noqa: N802, N803
        ids = self.selected_document_ids()
        mime = self.mime_factory(ids) if self.mime_factory is not None and ids else None
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(
            supportedActions & (Qt.DropAction.CopyAction | Qt.DropAction.MoveAction),
            Qt.DropAction.CopyAction,
        )

    def _drop_target(self, event: QDropEvent) -> TreeNode | None:
        container = self.list_model.container
        if (
            self.drop_handler is None
            or container is None
            or container.kind not in DROP_KINDS
            or event.source() is self
        ):
            return None
        return container

    def _hover(self, event: QDragMoveEvent) -> None:
        container = self._drop_target(event)
        if container is None or (
            self.drop_accepts is not None and not self.drop_accepts(event.mimeData(), container)
        ):
            event.ignore()
            return
        event.acceptProposedAction()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        self._hover(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        self._hover(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        container = self._drop_target(event)
        if container is None or self.drop_handler is None:
            event.ignore()
            return
        if self.drop_handler(event.mimeData(), container):
            event.acceptProposedAction()
        else:
            event.ignore()

    # -- empty states ----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.list_model.rowCount() > 0:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        rect = self.viewport().rect().adjusted(12, 12, -12, -12)
        painter.drawText(
            rect,
            int(
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            ),
            self.empty_text(),
        )
        painter.end()

    def empty_text(self) -> str:
        """What the empty list says instead of rows."""
        if self._error is not None:
            return self._error
        if self.list_model.container is None:
            return self.tr("Bitte im Aktenplan eine Akte oder einen Vorgang wählen.")
        if self.list_model.is_loading():
            return self.tr("Dokumente werden geladen …")
        return self.tr("Keine Dokumente")
