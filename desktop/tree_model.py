"""The file plan tree (Aktenplan → Akten → Vorgänge → Dokumente) as a lazily loaded Qt model.

Nothing is read on the GUI thread: a node's children are loaded by ``Loader`` when the view
asks (``fetchMore``) and inserted when the result arrives. Until then ``hasChildren`` answers
from ``TreeNode.has_children``, which the level above computed, so expanders show correctly
without loading anything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from desktop.loader import Loader
from sync.records.tree import TreeNode, children
from sync.store.database import Store

log = logging.getLogger("eakte.desktop")

Index = QModelIndex | QPersistentModelIndex

# The TreeNode of a row, for views, delegates and the main window.
NodeRole = Qt.ItemDataRole.UserRole + 1
NODE_ROLE = NodeRole  # the spelling desktop/main_window.py uses


class _State(Enum):
    UNLOADED = "unloaded"
    LOADING = "loading"
    LOADED = "loaded"


@dataclass(eq=False)
class _Item:
    """A row of the tree: kept by the model, referenced from indexes by internalPointer."""

    node: TreeNode | None  # None for the invisible root
    parent: _Item | None
    row: int
    state: _State = _State.UNLOADED
    children: list[_Item] = field(default_factory=list)

    def may_have_children(self) -> bool:
        if self.state is _State.LOADED:
            return bool(self.children)
        return self.node is None or self.node.has_children


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlanTreeModel", text)


def _kind_names() -> dict[str, str]:
    return {
        "plan": _tr("Aktenplan"),
        "unit": _tr("Aktenplaneinheit"),
        "dossier": _tr("Akte"),
        "case": _tr("Vorgang"),
        "document": _tr("Dokument"),
    }


class PlanTreeModel(QAbstractItemModel):
    """One column; each row's ``NodeRole`` is its ``TreeNode``.

    Signals: ``loaded(parent)`` after the children of ``parent`` were inserted (the invalid
    index for the top level); ``load_failed(parent, message)`` when reading them failed (the
    node then stays empty and the error is logged).
    """

    loaded = Signal(QModelIndex)
    load_failed = Signal(QModelIndex, str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(store, self)
        self._root = _Item(node=None, parent=None, row=0)
        self._icons: dict[str, QIcon] = {}

    # -- structure -------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        item = self._item(parent)
        return self.createIndex(row, column, item.children[row])

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        owner = self._item(child).parent
        if owner is None or owner is self._root:
            return QModelIndex()
        return self.createIndex(owner.row, 0, owner)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.column() > 0:
            return 0
        return len(self._item(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        if parent.column() > 0:
            return False
        return self._item(parent).may_have_children()

    # -- lazy loading ----------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        if parent.column() > 0:
            return False
        item = self._item(parent)
        return item.state is _State.UNLOADED and item.may_have_children()

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        item = self._item(parent)
        # Marked before the job starts: views call fetchMore repeatedly while it runs.
        item.state = _State.LOADING
        node = item.node
        self.loader.submit(
            lambda session: children(session, node),
            lambda nodes: self._insert(item, nodes),
            lambda exc: self._fail(item, exc),
        )

    def _insert(self, item: _Item, nodes: list[TreeNode]) -> None:
        item.state = _State.LOADED
        parent = self._index_of(item)
        if nodes:
            self.beginInsertRows(parent, 0, len(nodes) - 1)
            item.children = [_Item(node, item, row) for row, node in enumerate(nodes)]
            self.endInsertRows()
        elif parent.isValid():
            # It looked expandable but is empty now (changed meanwhile): redraw the expander.
            self.dataChanged.emit(parent, parent)
        self.loaded.emit(parent)

    def _fail(self, item: _Item, exc: Exception) -> None:
        # The node stays empty rather than retrying in a loop; a reload can try again.
        item.state = _State.LOADED
        parent = self._index_of(item)
        label = item.node.label if item.node else "Aktenplan"
        log.error("loading the children of %s failed", label, exc_info=exc)
        if parent.isValid():
            self.dataChanged.emit(parent, parent)
        self.load_failed.emit(parent, _tr("Der Inhalt konnte nicht geladen werden."))

    # -- data ------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._item(index).node
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{node.label} {_tr('(zdA)')}" if node.closed else node.label
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(node)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._tooltip(node)}: {node.label}"
        if role == Qt.ItemDataRole.ForegroundRole and node.closed:
            palette = QApplication.palette()
            return QBrush(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if role == NodeRole:
            return node
        return None

    def headerData(  # noqa: N802
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            section == 0
            and orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return _tr("Aktenplan")
        return None

    def node(self, index: Index) -> TreeNode | None:
        """The TreeNode of ``index`` (None for the invalid root index)."""
        return self._item(index).node if index.isValid() else None

    # -- helpers ---------------------------------------------------------------------------

    def _item(self, index: Index) -> _Item:
        if not index.isValid():
            return self._root
        item = index.internalPointer()
        assert isinstance(item, _Item)
        return item

    def _index_of(self, item: _Item) -> QModelIndex:
        if item is self._root:
            return QModelIndex()
        return self.createIndex(item.row, 0, item)

    def _tooltip(self, node: TreeNode) -> str:
        parts = [_kind_names()[node.kind]]
        if node.kind in ("case", "document") and node.reference:
            parts.append(_tr("in Akte"))
        if node.reference:
            parts.append(node.reference)
        text = " ".join(parts)
        if node.closed:
            text += _tr(", zu den Akten gelegt")
        return text

    def _icon(self, node: TreeNode) -> QIcon:
        pixmap = (
            QStyle.StandardPixmap.SP_FileIcon
            if node.kind == "document"
            else QStyle.StandardPixmap.SP_DirIcon
        )
        key = pixmap.name
        if key not in self._icons:
            self._icons[key] = QApplication.style().standardIcon(pixmap)
        return self._icons[key]
