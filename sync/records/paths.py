"""Where a record sits in the file plan: the tree nodes from the top down to it.

The breadcrumb shows this path and the main window walks it to reveal a record in the tree,
so the nodes carry the ids and the labels the tree shows (``sync.records.tree``). State
badges (unsynced, conflict, offline) are left at their defaults: a path names places.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from sync.errors import NotFoundError
from sync.records.model import Case, Document, Dossier, PlanUnit
from sync.records.tree import TreeNode


@dataclass
class _Place:
    unit_id: str
    dossier: Dossier | None = None
    case: Case | None = None
    documents: list[Document] = field(default_factory=list)  # a mail, then its attachment


def path_of(session: Session, record_id: str) -> list[TreeNode]:
    """Plan units from the top, then dossier, case, the mail of an attachment and the record
    itself, as far as ``record_id`` (a plan unit, dossier, case or document) goes down."""
    place = _locate(session, record_id)
    path = _units(session, place.unit_id)
    reference = place.dossier.reference if place.dossier else None
    if place.dossier is not None:
        dossier = place.dossier
        path.append(
            TreeNode(
                kind="dossier",
                id=dossier.id,
                label=f"{dossier.reference} {dossier.title}",
                closed=dossier.is_closed,
                deleted=dossier.is_deleted,
                has_children=True,
                reference=reference,
            )
        )
    if place.case is not None:
        case = place.case
        path.append(
            TreeNode(
                kind="case",
                id=case.id,
                label=case.title,
                closed=case.is_closed,
                deleted=case.is_deleted,
                has_children=True,
                reference=reference,
            )
        )
    path.extend(
        TreeNode(
            kind="document",
            id=doc.id,
            label=doc.title,
            closed=False,
            deleted=doc.is_deleted,
            has_children=True,
            reference=reference,
            doc_type=doc.doc_type,
            problems=doc.problems,
        )
        for doc in place.documents
    )
    # Every node above the last one has a child (the next one); the last one is asked.
    path[-1] = path[-1]._replace(has_children=_has_children(session, path[-1]))
    return path


def _locate(session: Session, record_id: str) -> _Place:
    document = session.get(Document, record_id)
    if document is not None:
        documents = [document]
        while documents[0].parent_document_id is not None:
            documents.insert(0, session.get_one(Document, documents[0].parent_document_id))
        dossier = session.get_one(Dossier, document.dossier_id)
        case = session.get_one(Case, document.case_id) if document.case_id else None
        return _Place(dossier.plan_unit_id, dossier, case, documents)
    case = session.get(Case, record_id)
    if case is not None:
        dossier = session.get_one(Dossier, case.dossier_id)
        return _Place(dossier.plan_unit_id, dossier, case)
    found = session.get(Dossier, record_id)
    if found is not None:
        return _Place(found.plan_unit_id, found)
    if session.get(PlanUnit, record_id) is not None:
        return _Place(record_id)
    raise NotFoundError("Der Eintrag ist im Aktenplan nicht (mehr) vorhanden.")


def _units(session: Session, unit_id: str) -> list[TreeNode]:
    nodes: list[TreeNode] = []
    current: str | None = unit_id
    while current is not None:
        unit = session.get_one(PlanUnit, current)
        nodes.append(
            TreeNode(
                kind="unit",
                id=unit.id,
                label=f"{unit.code} {unit.title}",
                closed=False,
                deleted=unit.is_deleted,
                has_children=True,
                reference=unit.code,
            )
        )
        current = unit.parent_id
    return nodes[::-1]


def _has_children(session: Session, node: TreeNode) -> bool:
    """The tree's rule: live children only; a dossier's own documents or its cases."""
    live_doc = Document.deleted_at.is_(None)
    top_doc = Document.parent_document_id.is_(None)
    checks: list[ColumnElement[bool]]
    if node.kind == "unit":
        checks = [
            exists().where(PlanUnit.parent_id == node.id, PlanUnit.deleted_at.is_(None)),
            exists().where(Dossier.plan_unit_id == node.id, Dossier.deleted_at.is_(None)),
        ]
    elif node.kind == "dossier":
        checks = [
            exists().where(
                Document.dossier_id == node.id, Document.case_id.is_(None), top_doc, live_doc
            ),
            exists().where(Case.dossier_id == node.id, Case.deleted_at.is_(None)),
        ]
    elif node.kind == "case":
        checks = [exists().where(Document.case_id == node.id, top_doc, live_doc)]
    else:
        checks = [exists().where(Document.parent_document_id == node.id, live_doc)]
    return any(bool(session.scalar(select(check))) for check in checks)


__all__ = ["path_of"]
