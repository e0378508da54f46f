"""Per-municipality change sequence (sync contract rule 2).

The first number taken in a transaction locks the municipality row; it stays locked until
commit, so numbers become visible in exactly the order they were handed out."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.db.engine import lock_municipality
from server.db.tables import Municipality


class Sequencer:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._locked: dict[str, Municipality] = {}

    def next(self, municipality_id: str) -> int:
        municipality = self._locked.get(municipality_id)
        if municipality is None:
            municipality = lock_municipality(self.session, municipality_id)
            self._locked[municipality_id] = municipality
        municipality.change_seq += 1
        return municipality.change_seq
