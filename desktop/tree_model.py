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
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import Session

from desktop.context import Change
from desktop.icons import Badges, icon_for
from desktop.loader import Loader
from sync.errors import NotFoundError
from sync.records.tree import Badges as NodeBadges
from sync.records.tree import TreeNode, children, document_badges
from sync.store.database import Store

log = logging.getLogger("eakte.desktop")

Index = QModelIndex | QPersistentModelIndex

# The TreeNode of a row, for views, delegates and the main window.
NodeRole = Qt.ItemDataRole.UserRole + 1
NODE_ROLE = NodeRole  # the spelling desktop/main_window.py uses

# Kinds whose children include documents (whose state badges load in a second step).
DOCUMENT_PARENTS = ("dossier", "case", "document")


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


def _renumber(item: _Item) -> None:
    for row, child in enumerate(item.children):
        child.row = row


def _kind_names() -> dict[str, str]:
    return {
        "plan": QCoreApplication.translate("PlanTreeModel", "Aktenplan"),
        "unit": QCoreApplication.translate("PlanTreeModel", "Aktenplaneinheit"),
        "dossier": QCoreApplication.translate("PlanTreeModel", "Akte"),
        "case": QCoreApplication.translate("PlanTreeModel", "Vorgang"),
        "document": QCoreApplication.translate("PlanTreeModel", "Dokument"),
    }


def _children(session: Session, node: TreeNode | None, *, badges: bool = True) -> list[TreeNode]:
    try:
        return children(session, node, badges=badges)
    except NotFoundError:
        if node is None:  # a store before its first sync has no file plan yet: empty
            return []
        raise


class PlanTreeModel(QAbstractItemModel):
    """One column; each row's ``NodeRole`` is its ``TreeNode``.

    Signals: ``loaded(parent)`` after the children of ``parent`` were inserted (the invalid
    index for the top level); ``load_failed(parent, message)`` when reading them failed (the
    node then stays empty and the error is logged).
    """

    loaded = Signal(QModelIndex)
    load_failed = Signal(QModelIndex, str)
    revealed = Signal(QModelIndex)

    def __init__(
        self, store: Store, parent: QObject | None = None, *, loader: Loader | None = None
    ) -> None:
        super().__init__(parent)
        self.loader = loader if loader is not None else Loader(store, self)
        self._root = _Item(node=None, parent=None, row=0)
        # The path reveal() is walking down: (ids from the top, how far it got).
        self._reveal: tuple[list[str], int] | None = None

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
        if self.canFetchMore(parent):
            self._load(self._item(parent))

    def _load(self, item: _Item) -> None:
        # Marked before the job starts: views call fetchMore repeatedly while it runs.
        item.state = _State.LOADING
        node = item.node
        # Documents come in two steps: the rows at once, then whether each has attachments
        # and its state badges (most of the cost of a busy case's level is in those probes).
        later = node is not None and node.kind in DOCUMENT_PARENTS
        self.loader.submit(
            lambda session: _children(session, node, badges=not later),
            lambda nodes: self._insert(item, nodes, badges_later=later),
            lambda exc: self._fail(item, exc),
        )

    def _insert(self, item: _Item, nodes: list[TreeNode], *, badges_later: bool = False) -> None:
        if item.state is _State.LOADED:  # a reload: merge, keeping what is expanded below
            if self._attached(item):
                self._merge(item, nodes)
            return
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
        if badges_later:
            self._load_badges(item)
        self._continue_reveal()

    def _load_badges(self, item: _Item) -> None:
        ids = [c.node.id for c in item.children if c.node is not None and c.node.kind == "document"]
        if ids:
            self.loader.submit(
                lambda session: document_badges(session, ids),
                lambda state: self._apply_badges(item, state),
                lambda exc: log.warning("tree badges could not be read: %s", exc),
            )

    def _apply_badges(self, item: _Item, state: dict[str, NodeBadges]) -> None:
        if not self._attached(item):
            return
        changed: list[int] = []
        for child in item.children:
            node = child.node
            if node is None or node.id not in state:
                continue
            has_children, unsynced, conflict, offline = state[node.id]
            badged = node._replace(
                has_children=has_children, unsynced=unsynced, conflict=conflict, offline=offline
            )
            if badged != node:
                child.node = badged
                changed.append(child.row)
        if changed:
            parent = self._index_of(item)
            self.dataChanged.emit(
                self.index(min(changed), 0, parent), self.index(max(changed), 0, parent)
            )

    def _fail(self, item: _Item, exc: Exception) -> None:
        # The node stays empty rather than retrying in a loop; a reload can try again.
        item.state = _State.LOADED
        parent = self._index_of(item)
        label = item.node.label if item.node else "Aktenplan"
        log.error("loading the children of %s failed", label, exc_info=exc)
        if parent.isValid():
            self.dataChanged.emit(parent, parent)
        self.load_failed.emit(
            parent,
            QCoreApplication.translate("PlanTreeModel", "Der Inhalt konnte nicht geladen werden."),
        )
        self._continue_reveal()

    # -- keeping up with changes -----------------------------------------------------------

    def refresh(self, change: Change) -> None:
        """Reload what ``change`` touched: the children of loaded containers it names, and
        the rows of records it names (through their parent, which builds their TreeNodes).
        Rows that stay keep their items, so whatever is expanded below them stays open.
        ``change.everything`` reloads the top level and every loaded level (after a sync)."""
        if change.everything:
            for item in [self._root, *self._loaded_items()]:
                if item.state is _State.LOADED:
                    self._reload(item)
            return
        targets: dict[int, _Item] = {}
        for item in self._loaded_items():
            node = item.node
            if node is None:
                continue
            if node.id in change.containers and item.state is _State.LOADED:
                targets[id(item)] = item
            elif node.id in change.containers or node.id in change.records:
                # Its own row changes (label, badges, whether it has children).
                owner = item.parent or self._root
                targets[id(owner)] = owner
        for item in targets.values():
            self._reload(item)

    def _reload(self, item: _Item) -> None:
        node = item.node
        self.loader.submit(
            lambda session: _children(session, node),
            lambda nodes: self._insert(item, nodes),
            lambda exc: log.error("reloading the tree failed", exc_info=exc),
        )

    def _loaded_items(self) -> list[_Item]:
        found: list[_Item] = []
        stack = [self._root]
        while stack:
            item = stack.pop()
            found.extend(item.children)
            stack.extend(c for c in item.children if c.state is _State.LOADED)
        return found

    def _attached(self, item: _Item) -> bool:
        """False once a reload dropped ``item`` (or an ancestor) from the tree."""
        while item is not self._root:
            owner = item.parent
            if (
                owner is None
                or item.row >= len(owner.children)
                or owner.children[item.row] is not item
            ):
                return False
            item = owner
        return True

    def _merge(self, item: _Item, nodes: list[TreeNode]) -> None:
        parent = self._index_of(item)
        wanted = {node.id for node in nodes}
        # 1. Rows that are gone, from the bottom up so the rows above keep their numbers.
        for row in reversed(range(len(item.children))):
            child = item.children[row].node
            if child is not None and child.id not in wanted:
                self.beginRemoveRows(parent, row, row)
                del item.children[row]
                _renumber(item)
                self.endRemoveRows()
        # 2. Rows that stay but moved (a renamed record sorts elsewhere): one layout change.
        by_id = {c.node.id: c for c in item.children if c.node is not None}
        order = [node.id for node in nodes if node.id in by_id]
        if [c.node.id for c in item.children if c.node is not None] != order:
            self.layoutAboutToBeChanged.emit([QPersistentModelIndex(parent)])
            item.children = [by_id[i] for i in order]
            _renumber(item)
            for index in self.persistentIndexList():
                moved = index.internalPointer() if index.isValid() else None
                if isinstance(moved, _Item) and moved.parent is item:
                    self.changePersistentIndex(
                        index, self.createIndex(moved.row, index.column(), moved)
                    )
            self.layoutChanged.emit([QPersistentModelIndex(parent)])
        # 3. New rows in place, and changed rows redrawn.
        for row, node in enumerate(nodes):
            if node.id in by_id:
                existing = item.children[row]
                if existing.node != node:
                    existing.node = node
                    if existing.state is _State.LOADED and not node.has_children:
                        self._clear(existing)
                    index = self.createIndex(row, 0, existing)
                    self.dataChanged.emit(index, index)
                continue
            self.beginInsertRows(parent, row, row)
            item.children.insert(row, _Item(node, item, row))
            _renumber(item)
            self.endInsertRows()

    def _clear(self, item: _Item) -> None:
        if item.children:
            self.beginRemoveRows(self._index_of(item), 0, len(item.children) - 1)
            item.children = []
            self.endRemoveRows()

    # -- revealing a record ----------------------------------------------------------------

    def reveal(self, path: list[str]) -> None:
        """Load the rows along ``path`` (record ids from the top: units, dossier, case,
        document) and emit ``revealed(index)`` with the deepest row found. A newer call
        replaces one still under way."""
        self._reveal = (list(path), 0)
        self._continue_reveal()

    def _continue_reveal(self) -> None:
        if self._reveal is None:
            return
        path, _ = self._reveal
        item = self._root
        for depth, wanted in enumerate(path):
            if item.state is not _State.LOADED:
                self._reveal = (path, depth)
                if item.state is _State.UNLOADED:
                    # Loaded even if it looks empty: a mail's attachments show up only with
                    # the second step of its level, and the path says there is a child.
                    self._load(item)
                return  # continues when the load arrives
            child = next((c for c in item.children if c.node and c.node.id == wanted), None)
            if child is None:
                break
            item = child
        self._reveal = None
        self.revealed.emit(self._index_of(item))

    # -- data ------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._item(index).node
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if not node.closed:
                return node.label
            return node.label + " " + QCoreApplication.translate("PlanTreeModel", "(zdA)")
        if role == Qt.ItemDataRole.DecorationRole:
            badges = Badges(node.closed, node.conflict, node.unsynced, node.offline)
            return icon_for(node.kind, node.doc_type, badges)
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
            return QCoreApplication.translate("PlanTreeModel", "Aktenplan")
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

    def index_of_id(self, record_id: str) -> QModelIndex:
        """The loaded row of ``record_id``, or an invalid index."""
        for item in self._loaded_items():
            if item.node is not None and item.node.id == record_id:
                return self._index_of(item)
        return QModelIndex()

    def _index_of(self, item: _Item) -> QModelIndex:
        if item is self._root:
            return QModelIndex()
        return self.createIndex(item.row, 0, item)

    def _tooltip(self, node: TreeNode) -> str:
        parts = [_kind_names()[node.kind]]
        if node.kind in ("case", "document") and node.reference:
            parts.append(QCoreApplication.translate("PlanTreeModel", "in Akte"))
        if node.reference:
            parts.append(node.reference)
        text = " ".join(parts)
        if node.closed:
            text += QCoreApplication.translate("PlanTreeModel", ", zu den Akten gelegt")
        if node.conflict:
            text += QCoreApplication.translate(
                "PlanTreeModel", ", Konflikt: parallel bearbeitete Fassung"
            )
        if node.unsynced:
            text += QCoreApplication.translate("PlanTreeModel", ", noch nicht synchronisiert")
        if node.offline:
            text += QCoreApplication.translate("PlanTreeModel", ", offline verfügbar")
        return text
