"""A local change the server answered "stale": merge it with the server's current state
(sync contract rules 1, 5 and 7).

Direction is decided against the base, never by time: a field the server still has at the
base value takes the local value (sent again on the new base); a field both sides changed to
different values becomes a ``FieldConflict`` that keeps both, and the record shows the server's
value until the clerk decides. Tags merge as additions and removals. A record deleted on the
server while it was edited here comes back with the edit (the edit is the newer intention,
and a delete is only a move to the Papierkorb).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync.engine.apply import Context, apply_records
from sync.engine.wire_fields import MODEL_BY_KIND, WIRE_COLUMNS, local_value, wire_fields
from sync.protocol.records import Record
from sync.records.model import DocumentTag, Event, FieldConflict, OutboxEntry, Tag, utcnow
from sync.records.operations import tags_of

log = logging.getLogger("eakte.sync.merge")


class Intent:
    """What a run of outbox entries for one record wanted, in order."""

    def __init__(self, kind: str, entries: list[OutboxEntry]) -> None:
        self.base: dict[str, Any] = {}  # field -> value before the first local change
        self.fields: list[str] = []
        self.tag_ops: list[tuple[str, str]] = []  # ("tag" | "untag", name)
        self.deleted: bool | None = None
        self.closed: bool | None = None
        columns = WIRE_COLUMNS.get(kind, ())
        for entry in entries:
            payload = entry.payload or {}
            old = (payload.get("details") or {}).get("old") or {}
            if entry.op in ("update", "move"):
                for name in columns:
                    if name in payload and name not in self.fields:
                        self.fields.append(name)
                        self.base[name] = old.get(name, _UNKNOWN)
            elif entry.op in ("tag", "untag"):
                self.tag_ops.append((entry.op, str((payload.get("details") or {}).get("tag"))))
            elif entry.op in ("delete", "restore"):
                self.deleted = entry.op == "delete"
            elif entry.op in ("close", "reopen"):
                self.closed = entry.op == "close"


_UNKNOWN = object()


def reconcile(
    session: Session,
    ctx: Context,
    kind: str,
    entity_id: str,
    current: Record,
    *,
    actor: str = "",
) -> int:
    """Merge every outbox entry of the record with ``current``; returns the number of field
    conflicts. The entries are replaced by what still has to go, on the new base."""
    entries = list(
        session.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == entity_id).order_by(OutboxEntry.id)
        )
    )
    intent = Intent(kind, entries)
    model = MODEL_BY_KIND[kind]
    entity: Any = session.get(model, entity_id)
    mine = wire_fields(kind, entity, names=tuple(intent.fields)) if entity is not None else {}
    my_tags = tags_of(session, entity_id) if kind == "document" and entity is not None else None
    session.execute(delete(OutboxEntry).where(OutboxEntry.entity_id == entity_id))
    session.flush()
    session.expunge_all()  # the bulk apply below bypasses the identity map
    apply_records(session, ctx, [current], pending={})
    entity = session.get(model, entity_id)
    if entity is None:
        return 0
    resend: dict[str, Any] = {}
    conflicts = 0
    for name in intent.fields:
        theirs = current.fields.get(name)
        if mine.get(name) == theirs:
            continue
        base = intent.base[name]
        if base is not _UNKNOWN and _same(base, theirs):
            resend[name] = mine.get(name)
            continue
        conflicts += 1
        session.add(
            FieldConflict(
                entity_kind=kind,
                entity_id=entity_id,
                field=name,
                mine=mine.get(name),
                theirs=theirs,
                theirs_by=current.updated_by,
            )
        )
        session.add(
            Event(
                actor=actor,
                entity_kind=kind,
                entity_id=entity_id,
                action="conflict",
                details={"field": name, "mine": mine.get(name), "theirs": theirs},
            )
        )
    tag_queue: list[tuple[str, dict[str, Any]]] = []
    if my_tags is not None and intent.tag_ops:
        theirs_tags = list(current.fields.get("tags") or [])
        merged = _merge_tags(theirs_tags, intent.tag_ops)
        have = {t.casefold() for t in theirs_tags}
        want = {t.casefold() for t in merged}
        for name in merged:
            if name.casefold() not in have:
                tag_queue.append(("tag", {"id": entity_id, "details": {"tag": name}}))
        for name in theirs_tags:
            if name.casefold() not in want:
                tag_queue.append(("untag", {"id": entity_id, "details": {"tag": name}}))
        if tag_queue:
            _set_tags(session, ctx, entity_id, merged)
    for name, value in resend.items():
        setattr(entity, name, local_value(name, value))
    base = current.version
    queue: list[tuple[str, dict[str, Any]]] = []
    edits = bool(resend) or bool(tag_queue)
    if current.deleted and (intent.deleted is False or (intent.deleted is None and edits)):
        entity.deleted_at = None
        queue.append(("restore", {"id": entity_id, "deleted_at": None}))
    if kind in ("dossier", "case") and intent.closed is False and current.closed_at is not None:
        entity.closed_at = None
        queue.append(("reopen", {"id": entity_id, "closed_at": None}))
    if resend:
        old = {name: current.fields.get(name) for name in resend}
        queue.append(("update", {"id": entity_id, **resend, "details": {"old": old}}))
    queue += tag_queue
    if kind in ("dossier", "case") and intent.closed is True and current.closed_at is None:
        entity.closed_at = utcnow()
        queue.append(("close", {"id": entity_id}))
    if intent.deleted is True and not current.deleted:
        entity.deleted_at = utcnow()
        queue.append(("delete", {"id": entity_id}))
    for op, payload in queue:
        session.add(
            OutboxEntry(
                entity_kind=kind, entity_id=entity_id, op=op, payload=payload, base_version=base
            )
        )
    log.info(
        "merged %s %s with server version %d: %d resent, %d conflicts",
        kind,
        entity_id,
        base,
        len(queue),
        conflicts,
    )
    return conflicts


def _same(base: Any, theirs: Any) -> bool:
    if isinstance(base, list) and isinstance(theirs, list):
        return sorted(map(str, base)) == sorted(map(str, theirs))
    return bool(base == theirs)


def _merge_tags(theirs: list[str], ops: list[tuple[str, str]]) -> list[str]:
    result = {t.casefold(): t for t in theirs}
    for op, name in ops:
        if op == "tag":
            result.setdefault(name.casefold(), name)
        else:
            result.pop(name.casefold(), None)
    return sorted(result.values())


def _set_tags(session: Session, ctx: Context, document_id: str, names: list[str]) -> None:
    session.execute(delete(DocumentTag).where(DocumentTag.document_id == document_id))
    for name in names:
        key = " ".join(name.split()).casefold()
        tag = session.scalar(
            select(Tag).where(Tag.municipality_id == ctx.municipality_id, Tag.name_key == key)
        )
        if tag is None:
            tag = Tag(municipality_id=ctx.municipality_id, name=name, name_key=key)
            session.add(tag)
            session.flush()
        session.add(DocumentTag(document_id=document_id, tag_id=tag.id))
