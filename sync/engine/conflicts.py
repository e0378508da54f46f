"""Conflicts for the clerk to resolve (sync contract rule 7), and their resolution.

Two sorts: a metadata field changed here and on the server (``FieldConflict``: the record shows
the server's value, the local one is kept beside it), and parallel content edits (a version
marked ``conflict``). Resolving never deletes a version: keeping one side makes it the current
version again (as a new version if it is not the newest), keeping both just clears the marks.
Every resolution is an ordinary journaled change, so it syncs like any other edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.engine.wire_fields import MODEL_BY_KIND, local_value
from sync.errors import NotFoundError
from sync.records import operations
from sync.records.journal import record_change
from sync.records.model import Document, FieldConflict, Version
from sync.records.versions import add_version

Keep = Literal["mine", "theirs", "both"]


@dataclass(frozen=True)
class FieldConflictItem:
    id: int
    entity_kind: str
    entity_id: str
    label: str  # the record's title (or reference)
    field: str
    mine: Any
    theirs: Any
    theirs_by: str
    created_at: datetime


@dataclass(frozen=True)
class VersionSide:
    version_id: str
    number: int
    blob_sha256: str
    size: int
    created_by: str
    created_at: datetime
    conflict: bool


@dataclass(frozen=True)
class VersionConflictItem:
    document_id: str
    title: str
    current: VersionSide  # the newest version without the mark (the rival)
    parallel: VersionSide  # the version marked as a parallel edit


def field_conflicts(session: Session) -> list[FieldConflictItem]:
    items = []
    for c in session.scalars(select(FieldConflict).order_by(FieldConflict.id)):
        entity: Any = session.get(MODEL_BY_KIND[c.entity_kind], c.entity_id)
        if entity is None:
            continue
        label = getattr(entity, "title", None) or getattr(entity, "reference", "") or c.entity_id
        items.append(
            FieldConflictItem(
                c.id,
                c.entity_kind,
                c.entity_id,
                str(label),
                c.field,
                c.mine,
                c.theirs,
                c.theirs_by,
                c.created_at,
            )
        )
    return items


def version_conflicts(session: Session) -> list[VersionConflictItem]:
    items = []
    marked = session.scalars(select(Version).where(Version.conflict).order_by(Version.number))
    for parallel in marked:
        document = session.get(Document, parallel.document_id)
        if document is None:
            continue
        rival = session.scalar(
            select(Version)
            .where(
                Version.document_id == parallel.document_id,
                Version.conflict.is_(False),
                Version.number < parallel.number,
            )
            .order_by(Version.number.desc())
            .limit(1)
        )
        if rival is None:
            continue
        items.append(
            VersionConflictItem(document.id, document.title, _side(rival), _side(parallel))
        )
    return items


def count(session: Session) -> int:
    return len(field_conflicts(session)) + len(version_conflicts(session))


def resolve_field(session: Session, conflict_id: int, keep: Keep, *, actor: str = "") -> None:
    """``mine``: the local value goes to the server as a normal edit; ``theirs``: the server's
    value stays. (``both`` is for content; for a field it means "theirs" and is refused.)"""
    conflict = session.get(FieldConflict, conflict_id)
    if conflict is None:
        raise NotFoundError("Dieser Konflikt ist bereits gelöst.")
    if keep == "both":
        raise ValueError("a field holds one value: keep mine or theirs")
    if keep == "mine":
        entity: Any = session.get(MODEL_BY_KIND[conflict.entity_kind], conflict.entity_id)
        if entity is not None:
            operations.update_fields(
                session,
                entity,
                {conflict.field: local_value(conflict.field, conflict.mine)},
                actor=actor,
            )
    session.delete(conflict)


def resolve_versions(
    session: Session, item: VersionConflictItem, keep: Keep, *, actor: str = ""
) -> None:
    """``current``/``parallel`` side chosen by ``keep``: ``mine`` keeps the parallel (marked)
    version's content as current, ``theirs`` the other one, ``both`` keeps both as they are."""
    document = session.get_one(Document, item.document_id)
    parallel = session.get_one(Version, item.parallel.version_id)
    newest = session.scalar(
        select(Version)
        .where(Version.document_id == document.id)
        .order_by(Version.number.desc())
        .limit(1)
    )
    assert newest is not None
    chosen = {"mine": item.parallel, "theirs": item.current}.get(keep)
    if chosen is not None and chosen.version_id != newest.id:
        add_version(
            session,
            document,
            blob_sha256=chosen.blob_sha256,
            size=chosen.size,
            base_number=newest.number,
            actor=actor,
        )
    parallel.conflict = False
    record_change(session, parallel, "update", actor=actor, fields={"conflict"})


def _side(v: Version) -> VersionSide:
    return VersionSide(
        v.id, v.number, v.blob_sha256, v.size, v.created_by, v.created_at, v.conflict
    )
