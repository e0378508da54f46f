"""What a user may see and change.

- Records of the own municipality are visible, except restricted dossiers (and everything in
  them), which only their members see.
- Another municipality's records are visible only through a share of their dossier with this
  user, read-only or read-write. Plan units of other municipalities are never visible.
- Anything invisible is reported exactly like something that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth.principal import Principal
from server.db.tables import DossierAccess, RecordRow

Mode = Literal["read", "write"]


class Access:
    """Access decisions for one user within one transaction (lookups are cached)."""

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self._grants: dict[str, str] | None = None
        self._restricted: dict[str, bool] = {}

    def grants(self) -> dict[str, str]:
        """dossier id -> ``member``/``read``/``write`` for this user."""
        if self._grants is None:
            rows = self.session.execute(
                select(DossierAccess.dossier_id, DossierAccess.mode).where(
                    DossierAccess.user_id == self.principal.user_id
                )
            )
            self._grants = {dossier_id: mode for dossier_id, mode in rows}
        return self._grants

    def _load_restricted(self, dossier_ids: Iterable[str]) -> None:
        missing = {d for d in dossier_ids if d not in self._restricted}
        if not missing:
            return
        rows = self.session.execute(
            select(RecordRow.id, RecordRow.restricted).where(RecordRow.id.in_(missing))
        )
        for dossier_id, restricted in rows:
            self._restricted[dossier_id] = restricted
        for dossier_id in missing - self._restricted.keys():
            self._restricted[dossier_id] = False

    def note_dossiers(self, rows: Iterable[RecordRow]) -> None:
        """Take the restriction of dossier rows already at hand (also after an edit)."""
        for row in rows:
            if row.kind == "dossier":
                self._restricted[row.id] = row.restricted

    def preload(self, rows: Iterable[RecordRow]) -> None:
        """Look up the dossiers of many rows at once (a feed page, search results)."""
        self._load_restricted(r.dossier_id for r in rows if r.dossier_id)

    def mode(self, row: RecordRow) -> Mode | None:
        """``write``, ``read`` or None (invisible) for this row."""
        own = row.municipality_id == self.principal.municipality_id
        if row.kind == "share":
            # A share marker lives in the grantee's municipality and is only for the grantee.
            return "read" if own and row.data.get("login") == self.principal.login else None
        if row.dossier_id is None:  # plan units
            return "write" if own else None
        if own:
            self._load_restricted([row.dossier_id])
            if not self._restricted[row.dossier_id]:
                return "write"
            return "write" if self.grants().get(row.dossier_id) == "member" else None
        grant = self.grants().get(row.dossier_id)
        if grant in ("read", "write"):
            return grant  # type: ignore[return-value]
        return None

    def restricted(self, row: RecordRow) -> bool:
        """Whether reading this row must be audited (it lies in a restricted dossier)."""
        if row.dossier_id is None:
            return False
        self._load_restricted([row.dossier_id])
        return self._restricted[row.dossier_id]

    def via_share(self, row: RecordRow) -> bool:
        return row.municipality_id != self.principal.municipality_id and row.kind != "share"
