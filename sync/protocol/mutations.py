"""Mutations: the client's outbox, sent in batches (sync contract rules 3-5)."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any, Literal

from pydantic import Field, model_validator

from sync.protocol.common import ErrorBody, WireModel
from sync.protocol.records import Kind, Record
from sync.protocol.types import Id

Op = Literal["create", "update", "delete", "restore", "close", "reopen"]
MAX_BATCH = 500
MAX_TEXT = 2_000_000  # characters of extracted full text per document


class Mutation(WireModel):
    # strict: "1" or true for a counter is a client bug to report, not to guess around.
    mutation_id: int = Field(ge=1, le=2**62, strict=True, description="Increasing per client.")
    kind: Kind
    id: Id
    op: Op
    base_version: int | None = Field(
        default=None,
        ge=1,
        le=2**62,
        strict=True,
        description="Required for every op except create.",
    )
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description="create: all fields of the kind; update: only the changed ones.",
    )
    text: str | None = Field(
        default=None,
        max_length=MAX_TEXT,
        description="Extracted full text of a document, for the server's search only.",
    )
    client_time: datetime | None = Field(default=None, description="Informational only.")

    @model_validator(mode="after")
    def _base_version_where_needed(self) -> Mutation:
        if self.op == "create" and self.base_version is not None:
            raise ValueError("create takes no base_version")
        if self.op != "create" and self.base_version is None:
            raise ValueError(f"{self.op} needs the base_version it was made against")
        if self.op not in ("create", "update") and self.fields:
            raise ValueError(f"{self.op} takes no fields")
        return self


class MutationBatch(WireModel):
    client_id: Id
    mutations: list[Mutation] = Field(min_length=1, max_length=MAX_BATCH)
    # The client's changes cursor, if it has one: a server that is behind it (restored from a
    # backup) refuses the batch with ``cursor_ahead`` and applies nothing.
    cursor: str | None = Field(default=None, max_length=4096)

    @model_validator(mode="after")
    def _increasing(self) -> MutationBatch:
        ids = [m.mutation_id for m in self.mutations]
        if any(b <= a for a, b in pairwise(ids)):
            raise ValueError("mutation ids must increase within a batch")
        return self


Status = Literal["applied", "duplicate", "stale", "rejected"]


class MutationResult(WireModel):
    """``stale``: the base version is not the server's; ``record`` is the current state (409).
    ``duplicate``: already applied earlier (a replay); ``record`` is the current state.
    ``rejected``: refused for a reason in ``error`` (closed record, no permission, invalid)."""

    mutation_id: int
    status: Status
    record: Record | None = None
    error: ErrorBody | None = None


class BatchResult(WireModel):
    results: list[MutationResult]
    last_mutation_id: int = Field(description="The highest mutation id the server has answered.")
