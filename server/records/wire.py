"""Rows to wire records, and the small cache of municipality slugs they need."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.tables import Municipality, RecordRow
from sync.protocol.records import Record


class Slugs:
    """municipality id -> slug, loaded on first use within a request."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._map: dict[str, str] | None = None

    def __getitem__(self, municipality_id: str) -> str:
        if self._map is None:
            rows = self.session.execute(select(Municipality.id, Municipality.slug))
            self._map = {municipality_id: slug for municipality_id, slug in rows}
        return self._map[municipality_id]


def to_record(row: RecordRow, slugs: Slugs) -> Record:
    return Record(
        kind=row.kind,  # type: ignore[arg-type]
        id=row.id,
        version=row.version,
        municipality=slugs[row.municipality_id],
        deleted=row.deleted,
        closed_at=row.closed_at,
        fields=row.data,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )
