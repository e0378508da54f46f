"""The changes feed (sync contract rule 2)."""

from __future__ import annotations

from pydantic import Field

from sync.protocol.common import WireModel
from sync.protocol.records import Record, RecordRef

MAX_PAGE = 1000


class ChangesPage(WireModel):
    changes: list[Record] = Field(description="Current state of each changed record, in order.")
    gone: list[RecordRef] = Field(
        default_factory=list,
        description="Records this user may no longer see (access withdrawn): drop them locally.",
    )
    cursor: str = Field(description="Opaque; pass it back to get what changed after this page.")
    has_more: bool
