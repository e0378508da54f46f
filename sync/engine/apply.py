"""Server records into the local store, a page at a time (sync contract rules 1-2).

Bulk by kind: one query finds which records exist, one statement inserts the new ones and one
updates the rest, so a first sync of 50,000 records costs a few hundred statements, not a few
hundred thousand. Fields with a local change still waiting in the outbox are left alone (that
change is pushed against the base and merged there); such a record keeps its old
``server_version`` so that the push learns it is stale and merges instead of overwriting.

A record can arrive before the record it points at (a parent changed later has a later
sequence number): it is parked and applied when the parent comes.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from sync.engine.chunks import chunks
from sync.engine.numbering import free_references, make_room, renumber_dossier
from sync.engine.wire_fields import MODEL_BY_KIND, WIRE_COLUMNS, local_value
from sync.protocol.records import Record
from sync.records.model import (
    Blob,
    Case,
    Document,
    DocumentTag,
    Dossier,
    FilePlan,
    OutboxEntry,
    ParkedRecord,
    PlanUnit,
    Tag,
    Version,
)
from sync.search.index import index_document

log = logging.getLogger("eakte.sync.apply")

ORDER = ("plan_unit", "dossier", "case", "document", "version", "note")
# Parent fields whose record must exist locally first (foreign keys), per kind.
PARENTS: dict[str, tuple[str, ...]] = {
    "plan_unit": ("parent_id",),
    "dossier": ("plan_unit_id",),
    "case": ("dossier_id",),
    "document": ("dossier_id", "case_id", "parent_document_id"),
    "version": ("document_id",),
    "note": (),
}
PARENT_MODEL: dict[str, type[Any]] = {
    "parent_id": PlanUnit,
    "plan_unit_id": PlanUnit,
    "dossier_id": Dossier,
    "case_id": Case,
    "parent_document_id": Document,
    "document_id": Document,
}
_OP_FIELDS = {
    "delete": "deleted_at",
    "restore": "deleted_at",
    "close": "closed_at",
    "reopen": "closed_at",
    "tag": "tags",
    "untag": "tags",
}
# The wire does not carry a thumbnail's size; such a blob is fetched only where it is used.
UNKNOWN_SIZE = -1
ALL = "*"  # pending marker: a local create the server has not confirmed


@dataclass
class Applied:
    """What a page changed, for the report and the desktop's refresh."""

    created: int = 0
    updated: int = 0
    parked: int = 0
    gone: int = 0
    kinds: set[str] = field(default_factory=set)
    blobs_wanted: dict[str, int] = field(default_factory=dict)  # sha -> size


@dataclass
class Context:
    municipality_id: str
    municipality: str  # slug


def pending_fields(session: Session, ids: Iterable[str]) -> dict[str, set[str]]:
    """Per entity id: the local field names with changes still in the outbox."""
    ids = list(ids)
    out: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks(ids):
        rows = session.execute(
            select(OutboxEntry.entity_id, OutboxEntry.op, OutboxEntry.payload).where(
                OutboxEntry.entity_id.in_(chunk)
            )
        )
        for entity_id, op, payload in rows:
            out[entity_id] |= fields_of_entry(op, payload)
    return out


def fields_of_entry(op: str, payload: Mapping[str, Any]) -> set[str]:
    if op == "create":
        return {ALL}
    if op in _OP_FIELDS:
        return {_OP_FIELDS[op]}
    return {k for k in payload if k not in ("id", "details")}


def apply_records(
    session: Session,
    ctx: Context,
    records: list[Record],
    *,
    pending: Mapping[str, set[str]] | None = None,
    result: Applied | None = None,
) -> Applied:
    """Apply ``records`` (current server states) in the caller's transaction."""
    result = result or Applied()
    own = [r for r in records if r.municipality == ctx.municipality and r.kind in ORDER]
    skipped = len(records) - len(own)
    if skipped:
        # Shares of other municipalities need their owners' file plans; not held locally yet.
        log.info("skipped %d records of other municipalities or kinds", skipped)
    if pending is None:
        pending = pending_fields(session, [r.id for r in own])
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for record in own:
        by_kind[record.kind].append(record)
    touched_docs: set[str] = set()
    for kind in ORDER:
        batch = by_kind.get(kind)
        if batch:
            _apply_kind(session, ctx, kind, batch, pending, result, touched_docs)
    _unpark(session, ctx, result, touched_docs)
    for doc_id in touched_docs:
        index_document(session, doc_id)
    return result


def _apply_kind(
    session: Session,
    ctx: Context,
    kind: str,
    records: list[Record],
    pending: Mapping[str, set[str]],
    result: Applied,
    touched_docs: set[str],
) -> None:
    model = MODEL_BY_KIND[kind]
    ready = _park_orphans(session, kind, records, result)
    if not ready:
        return
    existing = _existing(session, model, [r.id for r in ready])
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    plan_id = _plan_id(session, ctx) if kind == "plan_unit" else None
    for record in ready:
        values = _values(kind, record, existing.get(record.id))
        if kind == "plan_unit":
            values["file_plan_id"] = plan_id
        elif kind == "dossier":
            values["municipality_id"] = ctx.municipality_id
        held = pending.get(record.id, set())
        if record.id not in existing:
            inserts.append(values)
            continue
        if ALL in held:
            continue  # our own create, not yet confirmed: the push decides
        if held:
            values = {k: v for k, v in values.items() if k not in held and k != "server_version"}
        updates.append(values)
    renumber = (
        free_references(session, ctx.municipality_id, ready, pending) if kind == "dossier" else []
    )
    if kind == "version":  # the blob rows first: versions point at them
        _version_blobs(session, ready, result)
        touched_docs.update(make_room(session, ready))
    if inserts:
        session.execute(insert(model), inserts)
        result.created += len(inserts)
    if updates:
        session.execute(update(model), updates)
        result.updated += len(updates)
    for dossier_id, before in renumber:
        renumber_dossier(session, session.get_one(Dossier, dossier_id), before)
    result.kinds.add(kind)
    if kind == "document":
        docs = [r for r in ready if "tags" not in pending.get(r.id, set())]
        _set_tags(session, ctx, docs)
        touched_docs.update(r.id for r in ready)
    elif kind == "version":
        touched_docs.update(_current_versions(session, {r.fields["document_id"] for r in ready}))
    elif kind == "note":
        # A note's text is searchable with its document: reindex the documents noted on.
        touched_docs.update(
            r.fields["target_id"] for r in ready if r.fields.get("target_kind") == "document"
        )
    elif kind in ("case", "dossier"):
        column = Document.case_id if kind == "case" else Document.dossier_id
        ids = [r.id for r in ready]
        for chunk in chunks(ids):
            touched_docs.update(session.scalars(select(Document.id).where(column.in_(chunk))))


def _values(kind: str, record: Record, existing: tuple[Any, ...] | None) -> dict[str, Any]:
    values: dict[str, Any] = {"id": record.id, "server_version": record.version}
    for name in WIRE_COLUMNS[kind]:
        values[name] = local_value(name, record.fields.get(name))
    if kind != "version":
        deleted_at = existing[1] if existing is not None else None
        values["deleted_at"] = (deleted_at or record.updated_at) if record.deleted else None
        values["updated_at"] = record.updated_at
    if kind in ("dossier", "case"):
        values["closed_at"] = record.closed_at
    if kind == "note" and record.fields.get("author") is None:
        values["author"] = ""
    if kind == "version" and not values.get("created_by"):
        values["created_by"] = record.updated_by  # who sent it, for the conflict dialog
    return values


def _existing(session: Session, model: type[Any], ids: list[str]) -> dict[str, tuple[Any, ...]]:
    found: dict[str, tuple[Any, ...]] = {}
    deleted_col = getattr(model, "deleted_at", None)
    for chunk in chunks(ids):
        columns = [model.id, model.server_version]
        if deleted_col is not None:
            columns.append(deleted_col)
        for row in session.execute(select(*columns).where(model.id.in_(chunk))):
            found[row[0]] = (row[1], row[2] if deleted_col is not None else None)
    return found


def _park_orphans(
    session: Session, kind: str, records: list[Record], result: Applied
) -> list[Record]:
    """The records whose parents are here (or in this page already applied); the others are
    parked."""
    wanted: dict[str, set[str]] = defaultdict(set)  # parent field -> ids
    for record in records:
        for name in PARENTS[kind]:
            ref = record.fields.get(name)
            if ref:
                wanted[name].add(ref)
    missing: set[str] = set()
    for name, ids in wanted.items():
        model = PARENT_MODEL[name]
        present: set[str] = set()
        for chunk in chunks(list(ids)):
            present.update(session.scalars(select(model.id).where(model.id.in_(chunk))))
        # A plan unit under a unit of the same page: the page is applied in order below.
        if kind == "plan_unit":
            present |= {r.id for r in records}
        missing |= ids - present
    if not missing:
        return records
    ready: list[Record] = []
    for record in records:
        waiting = next(
            (record.fields[n] for n in PARENTS[kind] if record.fields.get(n) in missing), None
        )
        if waiting is None:
            ready.append(record)
            continue
        session.merge(
            ParkedRecord(
                id=record.id,
                kind=kind,
                waiting_for=waiting,
                record=record.model_dump(mode="json"),
            )
        )
        result.parked += 1
    if kind == "plan_unit" and ready:
        ready = _parents_first(ready)
    return ready


def _parents_first(units: list[Record]) -> list[Record]:
    ids = {u.id for u in units}
    placed: set[str] = set()
    ordered: list[Record] = []
    rest = list(units)
    while rest:
        progress = [u for u in rest if u.fields.get("parent_id") not in ids - placed]
        if not progress:  # a cycle cannot come from the server; keep the order anyway
            progress = rest
        ordered += progress
        placed |= {u.id for u in progress}
        rest = [u for u in rest if u.id not in placed]
    return ordered


def _unpark(session: Session, ctx: Context, result: Applied, touched_docs: set[str]) -> None:
    """Apply parked records whose parent has arrived (repeatedly: a chain may resolve)."""
    for _round in range(10):
        parked = session.scalars(select(ParkedRecord)).all()
        if not parked:
            return
        waiting = {p.waiting_for for p in parked}
        here: set[str] = set()
        for model in (PlanUnit, Dossier, Case, Document):
            for chunk in chunks(list(waiting)):
                here.update(session.scalars(select(model.id).where(model.id.in_(chunk))))
        ready = [p for p in parked if p.waiting_for in here]
        if not ready:
            return
        records = [Record.model_validate(p.record) for p in ready]
        for p in ready:
            session.delete(p)
        session.flush()
        result.parked -= len(ready)
        pending = pending_fields(session, [r.id for r in records])
        by_kind: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            by_kind[record.kind].append(record)
        for kind in ORDER:
            if by_kind.get(kind):
                _apply_kind(session, ctx, kind, by_kind[kind], pending, result, touched_docs)


def _plan_id(session: Session, ctx: Context) -> str:
    plan_id = session.scalar(
        select(FilePlan.id).where(FilePlan.municipality_id == ctx.municipality_id).limit(1)
    )
    if plan_id is None:
        plan = FilePlan(municipality_id=ctx.municipality_id, title="Aktenplan")
        session.add(plan)  # local bookkeeping, not journaled: the wire has no file plans
        session.flush()
        plan_id = plan.id
    return str(plan_id)


def _set_tags(session: Session, ctx: Context, docs: list[Record]) -> None:
    if not docs:
        return
    ids = [d.id for d in docs]
    for chunk in chunks(ids):
        session.execute(delete(DocumentTag).where(DocumentTag.document_id.in_(chunk)))
    names = {name for d in docs for name in d.fields.get("tags") or []}
    if not names:
        return
    keys = {" ".join(n.split()).casefold(): n for n in names}
    known: dict[str, str] = {
        key: tag_id
        for key, tag_id in session.execute(
            select(Tag.name_key, Tag.id).where(
                Tag.municipality_id == ctx.municipality_id, Tag.name_key.in_(list(keys))
            )
        )
    }
    for key, name in keys.items():
        if key not in known:
            tag = Tag(municipality_id=ctx.municipality_id, name=name, name_key=key)
            session.add(tag)
            session.flush()
            known[key] = tag.id
    links = {
        (d.id, known[" ".join(n.split()).casefold()]) for d in docs for n in d.fields["tags"] or []
    }
    session.execute(
        insert(DocumentTag), [{"document_id": doc, "tag_id": tag} for doc, tag in sorted(links)]
    )


def _version_blobs(session: Session, versions: list[Record], result: Applied) -> None:
    sizes: dict[str, int] = {}
    for v in versions:
        sizes[v.fields["blob_sha256"]] = int(v.fields["size"])
        thumb = v.fields.get("thumbnail_sha256")
        if thumb:
            sizes.setdefault(thumb, UNKNOWN_SIZE)
    known: dict[str, bool] = {}
    for chunk in chunks(list(sizes)):
        for sha, present in session.execute(
            select(Blob.sha256, Blob.present).where(Blob.sha256.in_(chunk))
        ):
            known[sha] = bool(present)
    fresh = [
        {"sha256": sha, "size": size, "present": False, "synced": True, "last_used": 0.0}
        for sha, size in sizes.items()
        if sha not in known
    ]
    if fresh:
        session.execute(insert(Blob), fresh)
    for chunk in chunks([sha for sha in sizes if sha in known]):
        session.execute(update(Blob).where(Blob.sha256.in_(chunk)).values(synced=True))
    for sha, size in sizes.items():
        if not known.get(sha, False) and size != UNKNOWN_SIZE:
            result.blobs_wanted[sha] = size


def _current_versions(session: Session, document_ids: set[str]) -> set[str]:
    """Set each document's current version to its highest number; returns the ids."""
    for chunk in chunks(list(document_ids)):
        highest = session.execute(
            select(Version.document_id, func.max(Version.number))
            .where(Version.document_id.in_(chunk))
            .group_by(Version.document_id)
        ).all()
        if highest:
            session.execute(
                update(Document), [{"id": doc, "current_version": n} for doc, n in highest]
            )
    return document_ids
