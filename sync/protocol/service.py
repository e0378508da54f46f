"""Health, search and audit answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from sync.protocol.common import WireModel


class Health(WireModel):
    status: Literal["ok"]
    protocol_version: int
    server_id: str
    database: str
    server_time: datetime


class SearchHit(WireModel):
    document_id: str
    dossier_id: str
    case_id: str | None
    title: str
    snippet: str
    received_on: date | None
    rank: float = Field(description="Higher is better; comparable within one answer only.")
    highlights: list[tuple[int, int]] = Field(
        default_factory=list,
        description="Matches in ``snippet`` as [start, end) offsets in code points.",
    )
    municipality: str | None = Field(
        default=None, description="Slug of the owning municipality (another one: a share)."
    )


class SearchResults(WireModel):
    query: str
    hits: list[SearchHit]


class AuditEntry(WireModel):
    seq: int
    at: datetime
    actor: str
    action: str
    kind: str | None
    record_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(WireModel):
    entries: list[AuditEntry]
    next_after: int | None
