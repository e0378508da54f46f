"""Per-municipality change sequence (sync contract rule 2).

The first number taken in a transaction locks the municipality row; it stays locked until
commit, so numbers become visible in exactly the order they were handed out."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.db.engine import lock_municipality


class Sequencer:
    def __init__(self, session: Session) -> None:
        self.session = session

    def next(self, municipality_id: str) -> int:
        municipality = lock_municipality(self.session, municipality_id)
        municipality.change_seq += 1
        return municipality.change_seq
