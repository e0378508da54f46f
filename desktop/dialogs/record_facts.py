"""What the Eigenschaften dialog shows of a record, read in one background job, and its save.

Plain values only: ORM objects belong to the worker's session and never reach the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.errors import EAkteError
from sync.records import operations as ops
from sync.records.guards import containers_of, ensure_editable
from sync.records.model import Case, Document, Dossier, Event, PlanUnit
from sync.records.tree import TreeNode

EDITABLE = {
    "dossier": ("title", "description", "retention_years", "disposal"),
    "case": ("title", "description"),
}
EVENT_KINDS = {"unit": "plan_unit", "dossier": "dossier", "case": "case", "document": "document"}


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: datetime
    action: str
    actor: str
    fields: tuple[str, ...]  # what an update changed
    tag: str  # what a tag/untag event added or removed


@dataclass(frozen=True)
class RecordFacts:
    """What the dialog shows, read in one background job. ``values`` in display order."""

    values: dict[str, Any]
    editable: bool
    reason: str  # why it is read-only ("" if editable or never editable)
    history: list[HistoryEntry]


def _values(session: Session, entity: PlanUnit | Dossier | Case | Document) -> dict[str, Any]:
    if isinstance(entity, PlanUnit):
        return {
            "code": entity.code,
            "title": entity.title,
            "retention_years": entity.retention_years,
            "disposal": entity.disposal,
        }
    if isinstance(entity, Dossier):
        unit = session.get_one(PlanUnit, entity.plan_unit_id)
        return {
            "reference": entity.reference,
            "title": entity.title,
            "description": entity.description,
            "unit": f"{unit.code} {unit.title}",
            "opened_on": entity.opened_on,
            "closed_at": entity.closed_at,
            "retention_years": entity.retention_years,
            "disposal": entity.disposal,
            "deleted_at": entity.deleted_at,
        }
    if isinstance(entity, Case):
        dossier = session.get_one(Dossier, entity.dossier_id)
        return {
            "dossier": f"{dossier.reference} {dossier.title}",
            "title": entity.title,
            "description": entity.description,
            "opened_on": entity.opened_on,
            "closed_at": entity.closed_at,
            "deleted_at": entity.deleted_at,
        }
    dossier, case = containers_of(session, entity)
    place = f"{dossier.reference} {dossier.title}" + (f" › {case.title}" if case else "")
    return {
        "title": entity.title,
        "doc_type": entity.doc_type,
        "file_name": entity.file_name,
        "place": place,
        "sender": entity.sender,
        "recipient": entity.recipient,
        "received_on": entity.received_on,
        "document_date": entity.document_date,
        "page_count": entity.page_count,
        "current_version": entity.current_version,
        "deleted_at": entity.deleted_at,
    }


def record_of(session: Session, node: TreeNode) -> PlanUnit | Dossier | Case | Document:
    if node.kind == "unit":
        return session.get_one(PlanUnit, node.id)
    if node.kind == "dossier":
        return session.get_one(Dossier, node.id)
    if node.kind == "case":
        return session.get_one(Case, node.id)
    return session.get_one(Document, node.id)


def record_facts(session: Session, node: TreeNode) -> RecordFacts:
    entity = record_of(session, node)
    editable, reason = False, ""
    if isinstance(entity, Dossier | Case):
        try:
            ensure_editable(session, entity)
            editable = True
        except EAkteError as exc:
            reason = exc.message
    events = session.scalars(
        select(Event)
        .where(Event.entity_kind == EVENT_KINDS[node.kind], Event.entity_id == node.id)
        .order_by(Event.id)
    )
    history = [
        HistoryEntry(
            e.occurred_at,
            e.action,
            e.actor,
            tuple(sorted((e.details or {}).get("old", {}))),
            str((e.details or {}).get("tag", "")),
        )
        for e in events
    ]
    return RecordFacts(_values(session, entity), editable, reason, history)


def save_fields(session: Session, node: TreeNode, changes: dict[str, Any]) -> set[str]:
    entity = record_of(session, node)
    assert isinstance(entity, Dossier | Case)  # only they have editable fields here
    return ops.update_fields(session, entity, changes)
