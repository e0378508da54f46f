"""Every change leaves two traces in the same transaction as the change itself:

- an ``Event`` in the local event log (what happened, for the history view and audits), and
- an ``OutboxEntry`` for the sync engine (rule 4 of the sync contract: a change without its
  outbox row, or an outbox row without its change, is impossible by construction).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from sync.records.model import Base, Event, OutboxEntry

KIND_BY_TABLE = {
    "municipalities": "municipality",
    "file_plans": "file_plan",
    "plan_units": "plan_unit",
    "dossiers": "dossier",
    "cases": "case",
    "documents": "document",
    "versions": "version",
    "notes": "note",
    "tags": "tag",
}

# Local bookkeeping that the server neither needs nor may overwrite.
_LOCAL_ONLY = {"server_version", "updated_at"}


def kind_of(entity: Base) -> str:
    return KIND_BY_TABLE[entity.__table__.name]  # type: ignore[attr-defined]


def to_payload(entity: Base, fields: set[str] | None = None) -> dict[str, Any]:
    """The entity's columns (or just ``fields``) as JSON-ready values."""
    out: dict[str, Any] = {}
    for attr in inspect(entity).mapper.column_attrs:
        key = attr.key
        if key in _LOCAL_ONLY or (fields is not None and key not in fields and key != "id"):
            continue
        value = getattr(entity, key)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out[key] = value
    return out


def record_change(
    session: Session,
    entity: Base,
    action: str,
    *,
    actor: str = "",
    details: dict[str, Any] | None = None,
    fields: set[str] | None = None,
    outbox: bool = True,
) -> None:
    """Log ``action`` on ``entity`` and queue it for sync.

    Flushes a new or changed entity first, so that the payload carries its column defaults.
    """
    if entity in session.new or entity in session.dirty:
        session.flush()
    kind = kind_of(entity)
    entity_id = str(getattr(entity, "id"))  # noqa: B009 - every journaled entity has an id
    session.add(
        Event(
            actor=actor,
            entity_kind=kind,
            entity_id=entity_id,
            action=action,
            details=details or {},
        )
    )
    if outbox:
        payload = to_payload(entity, fields)
        if details:
            # What the columns do not say: the tag that was added, the values before an edit
            # (the base for a field-by-field merge, sync contract rule 7).
            payload["details"] = details
        session.add(
            OutboxEntry(
                entity_kind=kind,
                entity_id=entity_id,
                op=action,
                payload=payload,
                base_version=getattr(entity, "server_version", None),
            )
        )
