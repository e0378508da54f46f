"""The outbox as wire mutations (sync contract rules 3-5).

Planning a batch reads the outbox in order and builds each mutation from the record's *current*
local state, so a record created and then edited offline goes as one complete create followed
by harmless no-op updates. Base versions are computed at send time from the last version the
server confirmed, counting up within the batch as the server will. Every entry gets its wire
mutation id before the first send, committed, so a batch repeated after a lost reply carries
the same ids and the server answers it as a replay instead of applying it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sync.engine import binding
from sync.engine.wire_fields import MODEL_BY_KIND, WIRE_COLUMNS, wire_fields
from sync.protocol.mutations import MAX_BATCH, MAX_TEXT, Mutation
from sync.records.model import OutboxEntry, Version
from sync.records.operations import tags_of
from sync.records.versions import CONTENT_FIELDS

log = logging.getLogger("eakte.sync.outbox")

# Entries of kinds the wire does not have: local bookkeeping, dropped when met.
LOCAL_KINDS = frozenset({"file_plan", "municipality", "tag"})
FIELD_OPS = frozenset({"update", "move", "tag", "untag"})
STATE_OPS = frozenset({"delete", "restore", "close", "reopen"})
MAX_TEXT_BYTES = 4 * 1024 * 1024  # full text per batch, so a batch stays under the body limit


@dataclass(frozen=True)
class Planned:
    entry_id: int
    entity_kind: str
    entity_id: str
    op: str
    mutation: Mutation


def plan_batch(
    session: Session, blob_ready: Callable[[str], bool], *, limit: int = MAX_BATCH
) -> list[Planned]:
    """The next batch, in the caller's write transaction (wire ids are assigned in it).

    ``blob_ready(sha)``: whether the server has the blob; a version whose content is not up
    yet waits (it has no wire id, so later mutations may overtake it).
    """
    expected: dict[str, int | None] = {}
    planned: list[Planned] = []
    entries: list[OutboxEntry] = []
    dropped: list[OutboxEntry] = []
    text_bytes = 0
    # Read in windows: a week offline can leave 100,000 entries, and a batch needs 500.
    for entry in session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).yield_per(1000):
        if len(planned) >= limit:
            break
        entries.append(entry)
        if entry.entity_kind in LOCAL_KINDS:
            dropped.append(entry)
            continue
        mutation = _build(session, entry, expected, blob_ready)
        if mutation is None:
            if entry.wire_id is not None:
                # Sent once, but its record is gone here (access withdrawn): nothing to send.
                log.warning("outbox entry %s can no longer be built; dropped", entry.id)
                dropped.append(entry)
            continue
        text_bytes += len(mutation.text or "")
        if planned and text_bytes > MAX_TEXT_BYTES:
            break
        planned.append(Planned(entry.id, entry.entity_kind, entry.entity_id, entry.op, mutation))
    for entry in dropped:
        session.delete(entry)
    if not planned:
        return []
    _assign_wire_ids(session, planned)
    by_id = {e.id: e for e in entries}
    result = [
        Planned(
            p.entry_id,
            p.entity_kind,
            p.entity_id,
            p.op,
            p.mutation.model_copy(update={"mutation_id": by_id[p.entry_id].wire_id}),
        )
        for p in planned
    ]
    result.sort(key=lambda p: p.mutation.mutation_id)
    return result


def _assign_wire_ids(session: Session, planned: list[Planned]) -> None:
    last = int(binding.get_setting(session, binding.LAST_MUTATION_ID) or 0)
    for p in planned:
        entry = session.get_one(OutboxEntry, p.entry_id)
        if entry.wire_id is None:
            last += 1
            entry.wire_id = last
    binding.put_setting(session, binding.LAST_MUTATION_ID, str(last))


def _build(
    session: Session,
    entry: OutboxEntry,
    expected: dict[str, int | None],
    blob_ready: Callable[[str], bool],
) -> Mutation | None:
    kind, entity_id, op = entry.entity_kind, entry.entity_id, entry.op
    entity: Any = session.get(MODEL_BY_KIND[kind], entity_id)
    if entity is None:
        return None
    if entity_id not in expected:
        expected[entity_id] = entity.server_version
    base = expected[entity_id]
    fields: dict[str, Any] = {}
    text_value: str | None = None
    if op == "create":
        if base is not None:
            return None  # the server has it already (confirmed by an earlier answer)
        # An entry sent before goes again as it was; the server says if the blob is missing.
        if kind == "version" and entry.wire_id is None and not _content_ready(entity, blob_ready):
            return None
        fields = wire_fields(kind, entity, tags=_tags(session, kind, entity_id))
        if kind == "document":
            text_value = document_text(session, entity_id)
        wire_op = "create"
    elif op in FIELD_OPS:
        if base is None:
            return None  # its create has not gone through yet
        names = _field_names(kind, op, entry.payload)
        fields = wire_fields(kind, entity, names=names, tags=_tags(session, kind, entity_id, names))
        if not fields:
            return None
        if kind == "document" and set(names) & CONTENT_FIELDS:
            text_value = document_text(session, entity_id)
        wire_op = "update"
    elif op in STATE_OPS:
        if base is None:
            return None
        wire_op = op
    else:
        log.warning("unknown outbox op %r for %s %s", op, kind, entity_id)
        return None
    expected[entity_id] = 1 if wire_op == "create" else (base or 0) + 1
    return Mutation(
        mutation_id=1,  # the wire id is assigned once the batch is settled
        kind=kind,  # type: ignore[arg-type]
        id=entity_id,
        op=wire_op,  # type: ignore[arg-type]
        base_version=None if wire_op == "create" else base,
        fields=fields,
        text=text_value[:MAX_TEXT] if text_value else None,
        client_time=entry.created_at,
    )


def _field_names(kind: str, op: str, payload: dict[str, Any]) -> tuple[str, ...]:
    if op in ("tag", "untag"):
        return ("tags",)
    allowed = WIRE_COLUMNS[kind]
    return tuple(n for n in allowed if n in payload)


def _tags(
    session: Session, kind: str, entity_id: str, names: tuple[str, ...] | None = None
) -> list[str] | None:
    if kind != "document" or (names is not None and "tags" not in names):
        return None
    return tags_of(session, entity_id)


def _content_ready(version: Version, blob_ready: Callable[[str], bool]) -> bool:
    if not blob_ready(version.blob_sha256):
        return False
    return version.thumbnail_sha256 is None or blob_ready(version.thumbnail_sha256)


def document_text(session: Session, document_id: str) -> str | None:
    found = session.execute(
        text("SELECT text FROM document_texts WHERE document_id = :id"), {"id": document_id}
    ).scalar()
    return None if found is None else str(found)


def pending_blobs(session: Session) -> dict[str, int]:
    """Blobs that versions waiting in the outbox need on the server: sha -> size."""
    rows = session.execute(
        select(Version.blob_sha256, Version.size, Version.thumbnail_sha256)
        .join(OutboxEntry, OutboxEntry.entity_id == Version.id)
        .where(OutboxEntry.entity_kind == "version", OutboxEntry.op == "create")
    )
    wanted: dict[str, int] = {}
    for sha, size, thumb in rows:
        wanted[sha] = size
        if thumb:
            wanted.setdefault(thumb, -1)  # size looked up from the blob row
    return wanted
