"""Finding containers of the demo store and waiting for the list to load."""

from __future__ import annotations

from sqlalchemy import select

from desktop.documents.list_model import DocumentListModel
from sync.records import operations as ops
from sync.records.listing import list_documents
from sync.records.model import Case, Dossier
from sync.records.paths import path_of
from sync.records.tree import TreeNode
from sync.store.database import Store

TIMEOUT = 10_000


def node_of(store: Store, record_id: str) -> TreeNode:
    with store.read() as s:
        return path_of(s, record_id)[-1]


def richest_dossier(store: Store) -> TreeNode:
    """The dossier with the most documents (those of its cases included)."""
    with store.read() as s:
        ids = s.scalars(select(Dossier.id).where(Dossier.deleted_at.is_(None))).all()
        best = max(ids, key=lambda i: len(list_documents(s, "dossier", i).rows))
    return node_of(store, best)


def editable_dossier(store: Store) -> TreeNode:
    """The richest dossier with its cases reopened (the demo closes one): a writable copy only."""
    dossier = richest_dossier(store)
    with store.write() as s:
        for case in s.scalars(select(Case).where(Case.dossier_id == dossier.id)):
            ops.reopen(s, case)
    return node_of(store, dossier.id)


def closed_case(store: Store) -> TreeNode:
    with store.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.closed_at.is_not(None))).one()
    return node_of(store, case_id)


def load(qtbot, model: DocumentListModel, node: TreeNode | None) -> None:
    with qtbot.waitSignal(model.loaded, timeout=TIMEOUT):
        model.show_container(node)


def column_texts(model: DocumentListModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]
