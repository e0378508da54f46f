"""The file plan tree one level at a time, as plain values for the desktop tree (no Qt here).

``children(source, parent)`` answers what the GUI needs to show a node's children and whether
each of them can be expanded, so the desktop model never touches ORM objects (they belong to a
session in a worker thread) and never runs a query per row: ``has_children`` comes from one
grouped count per kind of child.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Literal, NamedTuple, Protocol

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from sync.records import queries
from sync.records.model import Blob, Case, Document, Dossier, OutboxEntry, PlanUnit, Version

Kind = Literal["plan", "unit", "dossier", "case", "document"]


class TreeNode(NamedTuple):
    """One row of the tree. ``reference`` is the unit's code for plan units and the
    Aktenzeichen of the dossier a dossier, case or document belongs to.

    A NamedTuple rather than a frozen dataclass: a busy case makes thousands at once, and a
    frozen dataclass's ``__init__`` costs seven times as much (15 against 2 ms per 5,000)."""

    kind: Kind
    id: str
    label: str
    closed: bool
    deleted: bool
    has_children: bool
    reference: str | None = None
    doc_type: str | None = None  # documents only
    problems: str = ""  # documents only
    # State badges. unsynced: a local change of this record waits in the outbox. conflict and
    # offline are for documents: a version marked as a parallel edit; the current version's
    # bytes are in the local cache (readable without the server).
    unsynced: bool = False
    conflict: bool = False
    offline: bool = False


class Readable(Protocol):
    """What ``children`` needs of a ``Store`` (kept structural so records does not import store)."""

    def read(self) -> AbstractContextManager[Session]: ...


def children(
    source: Session | Readable, parent: TreeNode | None, *, badges: bool = True
) -> list[TreeNode]:
    """The children of ``parent`` in display order, deleted records left out.

    None gives the top-level units of the active plan; a unit its sub-units, then its dossiers;
    a dossier the documents filed directly in it, then its cases; a case its documents; a
    document its e-mail attachments.
    """
    if isinstance(source, Session):
        return _children(source, parent, badges)
    with source.read() as session:
        return _children(session, parent, badges)


def _children(session: Session, parent: TreeNode | None, badges: bool) -> list[TreeNode]:
    if parent is None:
        plan = queries.active_plan(session)
        return _units(session, queries.child_units(session, plan.id, None))
    if parent.kind == "plan":
        return _units(session, queries.child_units(session, parent.id, None))
    if parent.kind == "unit":
        unit = session.get_one(PlanUnit, parent.id)
        return [
            *_units(session, queries.child_units(session, unit.file_plan_id, unit.id)),
            *_dossiers(session, queries.dossiers_of(session, unit.id)),
        ]
    top_level = Document.parent_document_id.is_(None)
    ref = parent.reference
    if parent.kind == "dossier":
        loose = queries.in_place(parent.id, None) & top_level
        return [
            *_documents(session, ref, loose, *_BY_DATE, badges=badges),
            *_cases(session, queries.cases_of(session, parent.id), ref),
        ]
    if parent.kind == "case":
        in_case = (Document.case_id == parent.id) & top_level
        return _documents(session, ref, in_case, *_BY_DATE, badges=badges)
    attachments = Document.parent_document_id == parent.id
    return _documents(session, ref, attachments, Document.file_name, badges=badges)


def _units(session: Session, units: list[PlanUnit]) -> list[TreeNode]:
    ids = [u.id for u in units]
    with_subunits = _having(session, PlanUnit.parent_id, ids, PlanUnit.deleted_at.is_(None))
    with_dossiers = _having(session, Dossier.plan_unit_id, ids, Dossier.deleted_at.is_(None))
    return [
        TreeNode(
            kind="unit",
            id=u.id,
            label=f"{u.code} {u.title}",
            closed=False,
            deleted=u.is_deleted,
            has_children=u.id in with_subunits or u.id in with_dossiers,
            reference=u.code,
        )
        for u in units
    ]


def _dossiers(session: Session, dossiers: list[Dossier]) -> list[TreeNode]:
    ids = [d.id for d in dossiers]
    with_documents = _having(
        session,
        Document.dossier_id,
        ids,
        Document.case_id.is_(None),
        Document.parent_document_id.is_(None),
        Document.deleted_at.is_(None),
    )
    with_cases = _having(session, Case.dossier_id, ids, Case.deleted_at.is_(None))
    unsynced = _having(session, OutboxEntry.entity_id, ids)
    return [
        TreeNode(
            kind="dossier",
            id=d.id,
            label=f"{d.reference} {d.title}",
            closed=d.is_closed,
            deleted=d.is_deleted,
            has_children=d.id in with_documents or d.id in with_cases,
            reference=d.reference,
            unsynced=d.id in unsynced,
        )
        for d in dossiers
    ]


def _cases(session: Session, cases: list[Case], reference: str | None) -> list[TreeNode]:
    ids = [c.id for c in cases]
    with_documents = _having(
        session,
        Document.case_id,
        ids,
        Document.parent_document_id.is_(None),
        Document.deleted_at.is_(None),
    )
    unsynced = _having(session, OutboxEntry.entity_id, ids)
    return [
        TreeNode(
            kind="case",
            id=c.id,
            label=c.title,
            closed=c.is_closed,
            deleted=c.is_deleted,
            has_children=c.id in with_documents,
            reference=reference,
            unsynced=c.id in unsynced,
        )
        for c in cases
    ]


def _documents(
    session: Session,
    reference: str | None,
    where: ColumnElement[bool],
    *order: Any,
    badges: bool = True,
) -> list[TreeNode]:
    """Document rows: the tree's biggest level (a busy case holds thousands), as plain columns
    on the connection (no ORM objects, no ORM result processing). What needs a probe per row
    (attachments, state badges) comes from ``document_badges``, unless ``badges`` is False:
    then the caller fetches it in a second step and the rows show at once."""
    query = (
        select(Document.id, Document.title, Document.doc_type, Document.problems)
        .where(where, Document.deleted_at.is_(None))
        .order_by(*order)
    )
    rows = session.connection().execute(query).all()
    state = document_badges(session, [row[0] for row in rows]) if badges else {}
    nodes: list[TreeNode] = []
    for document_id, title, doc_type, problems in rows:
        has_children, unsynced, conflict, offline = state.get(document_id, _NO_BADGES)
        # Positional: keyword arguments for thousands of rows cost measurably more.
        nodes.append(
            TreeNode(
                "document",
                document_id,
                title,
                False,
                False,
                has_children,
                reference,
                doc_type,
                problems,
                unsynced,
                conflict,
                offline,
            )
        )
    return nodes


Badges = tuple[bool, bool, bool, bool]
_NO_BADGES: Badges = (False, False, False, False)
_BY_DATE = (Document.received_on, Document.created_at)


def document_badges(session: Session, ids: Sequence[str]) -> dict[str, Badges]:
    """(has_children, unsynced, conflict, offline) of each document in ``ids``: it has
    attachments; a change of it waits in the outbox; a version is marked as a parallel edit;
    its current version's bytes are in the local cache. Correlated EXISTS probes on indexed
    keys, one query per chunk of ids."""
    attachment = aliased(Document)
    current = aliased(Version)
    found: dict[str, Badges] = {}
    conn = session.connection()
    for chunk in _chunks(list(ids)):
        query = select(
            Document.id,
            exists().where(
                attachment.parent_document_id == Document.id, attachment.deleted_at.is_(None)
            ),
            exists().where(OutboxEntry.entity_id == Document.id),
            exists().where(Version.document_id == Document.id, Version.conflict),
            exists().where(
                current.document_id == Document.id,
                current.number == Document.current_version,
                Blob.sha256 == current.blob_sha256,
                Blob.present,
            ),
        ).where(Document.id.in_(chunk))
        for document_id, attached, unsynced, conflict, offline in conn.execute(query):
            found[document_id] = (bool(attached), bool(unsynced), bool(conflict), bool(offline))
    return found


# SQLite allows 32766 bound parameters since 3.32 (999 before); stay well below either.
_CHUNK = 900


def _having(
    session: Session,
    key: InstrumentedAttribute[Any],
    ids: Collection[str],
    *where: Any,
    join: tuple[tuple[Any, Any], ...] = (),
) -> set[str]:
    """Which of ``ids`` occur in column ``key`` among the rows matching ``where`` (after the
    ``join``s): one grouped query per chunk of ids instead of one query per child."""
    found: set[str] = set()
    for chunk in _chunks(list(ids)):
        query = select(key)
        for target, on in join:
            query = query.join(target, on)
        found.update(session.scalars(query.where(key.in_(chunk), *where).group_by(key)))
    return found


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


__all__ = ["Kind", "Readable", "TreeNode", "children", "document_badges"]
