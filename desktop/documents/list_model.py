"""The documents of the selected case, dossier or e-mail as a sortable table model.

Rows are loaded by the context's loader (``sync.records.listing``, one query) and arrive as
frozen values together with their German collation ranks, so that sorting is an integer
sort on the GUI thread (see ``collation``). The model sorts itself: ``sort`` permutes the
rows in a layout change, which keeps the view's selection. A change announced for the shown
container, one of its cases or one of its documents reloads it in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from desktop.documents.badges import badge_texts, badges_of, type_icon, type_label
from desktop.documents.collation import collation_ranks
from desktop.errors import error_text
from sync.records.listing import DocumentListing, DocumentRow, list_documents
from sync.records.tree import TreeNode

log = logging.getLogger("eakte.desktop.documents")

Index = QModelIndex | QPersistentModelIndex

DocumentIdRole = Qt.ItemDataRole.UserRole + 1  # str
DocumentRowRole = Qt.ItemDataRole.UserRole + 2  # DocumentRow
BadgesRole = Qt.ItemDataRole.UserRole + 3  # tuple[Badge, ...]

LISTED_KINDS = ("dossier", "case", "document")  # containers that hold documents


class Column(IntEnum):
    TITLE = 0
    TYPE = 1
    RECEIVED = 2
    SENDER = 3
    CASE = 4
    PAGES = 5
    STATUS = 6


@dataclass(frozen=True)
class _Loaded:
    """A listing with the German ranks of its text columns (None: no value)."""

    listing: DocumentListing
    ranks: dict[Column, list[int | None]]


def _load(session: Session, node: TreeNode) -> _Loaded:  # worker thread
    listing = list_documents(session, node.kind, node.id)
    rows = listing.rows
    return _Loaded(
        listing,
        {
            Column.TITLE: collation_ranks([r.title for r in rows]),
            Column.TYPE: collation_ranks([type_label(r.doc_type) for r in rows]),
            Column.SENDER: collation_ranks([r.sender for r in rows]),
            Column.CASE: collation_ranks([r.case_title for r in rows]),
        },
    )


def _code(exc: Exception) -> str:
    """What a log line may say about an error: its code, not its text (titles are personal)."""
    return str(getattr(exc, "code", type(exc).__name__))


class DocumentListModel(QAbstractTableModel):
    """Signals: ``loaded()`` after a load was applied (also an empty one); ``load_failed(
    message)`` with a German message when reading failed (the list is then empty)."""

    loaded = Signal()
    load_failed = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._container: TreeNode | None = None
        self._listing: DocumentListing | None = None
        self._ranks: dict[Column, list[int | None]] = {}
        self._order: list[int] = []  # view row -> index into the listing's rows
        self._rows: dict[str, int] = {}  # document id -> view row
        self._sort = (Column.RECEIVED, Qt.SortOrder.DescendingOrder)
        self._generation = 0  # only the newest load is applied
        self._loading = False
        # Several announcements in one turn of the event loop cost one reload.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.reload)
        context.events.changed.connect(self._changed)

    # -- loading ---------------------------------------------------------------------------

    @property
    def container(self) -> TreeNode | None:
        return self._container

    @property
    def listing(self) -> DocumentListing | None:
        return self._listing

    def is_loading(self) -> bool:
        return self._loading

    def show_container(self, node: TreeNode | None) -> None:
        """List the documents of ``node`` (a dossier, case or e-mail; anything else or None
        empties the list)."""
        self._container = node if node is not None and node.kind in LISTED_KINDS else None
        if self._container is None:
            self._generation += 1
            self._loading = False
            self._apply(None)
            return
        self.reload()

    def reload(self) -> None:
        node = self._container
        if node is None:
            return
        self._generation += 1
        generation = self._generation
        self._loading = True
        self._context.loader.submit(
            lambda session: _load(session, node),
            lambda loaded: self._loaded(generation, loaded),
            lambda exc: self._failed(generation, exc),
        )

    def _loaded(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:
            return  # an older load finishing after a newer one was asked for
        self._loading = False
        self._apply(loaded)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._loading = False
        _title, message = error_text(exc)
        node = self._container
        log.warning(
            "listing the documents of %s failed (%s)", node.id if node else None, _code(exc)
        )
        self._apply(None)
        self.load_failed.emit(message)

    def _apply(self, loaded: _Loaded | None) -> None:
        self.beginResetModel()
        self._listing = loaded.listing if loaded else None
        self._ranks = loaded.ranks if loaded else {}
        self._set_order(self._sorted_order())
        self.endResetModel()
        self.loaded.emit()

    def _changed(self, change: Change) -> None:
        listing = self._listing
        node = self._container
        if node is None:
            return
        places = {node.id}
        if listing is not None:
            places |= listing.case_ids
        if (
            change.everything
            or change.containers & places
            or change.records & (places | self._rows.keys())
        ):
            self._reload_timer.start()

    # -- rows ------------------------------------------------------------------------------

    def row_data(self, row: int) -> DocumentRow:
        assert self._listing is not None
        return self._listing.rows[self._order[row]]

    def row_of(self, document_id: str) -> int:
        """The view row of ``document_id``, -1 if it is not listed."""
        return self._rows.get(document_id, -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.checkIndex(index):
            return None
        row = self.row_data(index.row())
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.TITLE:
            return type_icon(row.doc_type)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == Column.STATUS:
                return ", ".join(badge_texts(row)) or self.tr("keine Hinweise")
            return self._display(row, column) or self.tr("keine Angabe")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DocumentIdRole:
            return row.id
        if role == DocumentRowRole:
            return row
        if role == BadgesRole:
            return badges_of(row)
        return None

    def _display(self, row: DocumentRow, column: Column) -> str | None:
        if column == Column.TITLE:
            return row.title
        if column == Column.TYPE:
            return type_label(row.doc_type)
        if column == Column.RECEIVED:
            return row.received_on.strftime("%d.%m.%Y") if row.received_on else ""
        if column == Column.SENDER:
            return row.sender or ""
        if column == Column.CASE:
            return row.case_title or ""
        if column == Column.PAGES:
            return str(row.page_count) if row.page_count is not None else ""
        return None  # the status column is painted by the badge delegate

    def _tooltip(self, row: DocumentRow, column: Column) -> str | None:
        if column == Column.STATUS:
            return "\n".join(badge_texts(row)) or None
        if column == Column.CASE and row.case_title is None:
            return self.tr("direkt in der Akte abgelegt")
        return self._display(row, column) or None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.RECEIVED:
            return self.tr("Posteingangsdatum")
        return None

    def _headers(self) -> dict[Column, str]:
        return {
            Column.TITLE: self.tr("Titel"),
            Column.TYPE: self.tr("Typ"),
            Column.RECEIVED: self.tr("Eingang"),
            Column.SENDER: self.tr("Absender"),
            Column.CASE: self.tr("Vorgang"),
            Column.PAGES: self.tr("Seiten"),
            Column.STATUS: self.tr("Status"),
        }

    # -- sorting ---------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort = (Column(column), order)
        if not self._order:
            return
        self.layoutAboutToBeChanged.emit()
        old = self._order
        self._set_order(self._sorted_order())
        new_row = {source: row for row, source in enumerate(self._order)}
        moved = self.persistentIndexList()
        self.changePersistentIndexList(
            moved,
            [self.index(new_row[old[index.row()]], index.column()) for index in moved],
        )
        self.layoutChanged.emit()

    def sort_column(self) -> tuple[Column, Qt.SortOrder]:
        return self._sort

    def _set_order(self, order: list[int]) -> None:
        self._order = order
        rows = self._listing.rows if self._listing else ()
        self._rows = {rows[source].id: row for row, source in enumerate(order)}

    def _sorted_order(self) -> list[int]:
        """Indexes into the listing's rows in display order. Rows without a value come last
        in either direction; ties keep the filing order."""
        if self._listing is None:
            return []
        column, order = self._sort
        value = self._sort_value(column)
        sign = -1 if order == Qt.SortOrder.DescendingOrder else 1

        def key(i: int) -> tuple[bool, int]:
            found = value(i)
            return (found is None, 0 if found is None else sign * found)

        return sorted(range(len(self._listing.rows)), key=key)

    def _sort_value(self, column: Column) -> Callable[[int], int | None]:
        assert self._listing is not None
        rows = self._listing.rows
        if column in self._ranks:
            return self._ranks[column].__getitem__
        values: list[int | None]
        if column == Column.RECEIVED:
            values = [r.received_on.toordinal() if r.received_on else None for r in rows]
        elif column == Column.PAGES:
            values = [r.page_count for r in rows]
        else:
            values = [len(badges_of(r)) for r in rows]
        return values.__getitem__
