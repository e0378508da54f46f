"""What the status bar says about the local store: changes waiting to be sent, conflicts to
resolve, refused changes, and when it last synced. Qt-free; one small query each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.records.model import FieldConflict, OutboxEntry, StoreSetting, SyncProblem, Version

#: Written by the sync engine after a completed run (ISO 8601, UTC).
LAST_SYNC_KEY = "last_sync_at"


@dataclass(frozen=True)
class LocalStatus:
    pending_changes: int
    conflicts: int
    last_sync: datetime | None
    problems: int = 0  # changes the server refused, transfers that keep failing


def local_status(session: Session) -> LocalStatus:
    pending = session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
    conflicts = (
        session.scalar(
            select(func.count(func.distinct(Version.document_id))).where(Version.conflict)
        )
        or 0
    ) + (session.scalar(select(func.count()).select_from(FieldConflict)) or 0)
    problems = session.scalar(select(func.count()).select_from(SyncProblem)) or 0
    stamp = session.get(StoreSetting, LAST_SYNC_KEY)
    last_sync = None
    if stamp is not None:
        try:
            last_sync = datetime.fromisoformat(stamp.value)
        except ValueError:
            last_sync = None  # a damaged value must not break the status bar
    return LocalStatus(int(pending), int(conflicts), last_sync, int(problems))
