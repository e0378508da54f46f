"""The changes feed: "what changed since my cursor", per municipality (sync contract rule 2).

Every record carries the sequence number of its latest change, so the feed is the records of
the municipality with ``seq > cursor`` in order: an idle poll is one indexed query, and a
record changed while a client pages through moves behind the cursor and comes again later.
Records of other municipalities reach a user only through shares; those are followed per
shared dossier with their own positions in the cursor.

The cursor is signed and bound to the municipality: a cursor from elsewhere is refused, and a
cursor ahead of the server (a server restored from a backup) is reported as such, so that the
client stops instead of trusting a history that no longer exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import audit
from server.access import Access
from server.auth.principal import Principal
from server.auth.signing import sign, verify
from server.db.tables import DossierAccess, Municipality, RecordRow
from server.errors import ApiError
from server.records.wire import Slugs, to_record
from sync.protocol.changes import ChangesPage
from sync.protocol.records import RecordRef

PURPOSE = "cursor"


class Cursor:
    def __init__(self, own: int = 0, shared: dict[str, int] | None = None) -> None:
        self.own = own
        self.shared = dict(shared or {})

    def encode(self, secret: bytes, principal: Principal) -> str:
        return sign(
            secret, PURPOSE, {"m": principal.municipality_id, "s": self.own, "x": self.shared}
        )

    @classmethod
    def decode(cls, secret: bytes, principal: Principal, token: str | None) -> Cursor:
        if not token:
            return cls()
        claims = verify(secret, PURPOSE, token)
        if claims is None or claims.get("m") != principal.municipality_id:
            raise ApiError(
                400,
                "invalid_cursor",
                "Ungültige Position",
                "Die Synchronisationsposition gehört nicht zu dieser Kommune oder diesem Server. "
                "Der lokale Zwischenspeicher muss neu aufgebaut werden.",
            )
        own, shared = claims.get("s"), claims.get("x")
        if not isinstance(own, int) or not isinstance(shared, dict):
            raise ApiError(400, "invalid_cursor", "Ungültige Position", "Beschädigte Position.")
        return cls(own, {str(k): int(v) for k, v in shared.items()})


def check_not_behind(
    session: Session, secret: bytes, principal: Principal, cursor_token: str
) -> None:
    """Refuse a client whose cursor is beyond this server's changes (the server was restored
    from a backup, DESIGN rule 9) before its batch is applied: the batch would raise the
    change counter to the cursor and hide the restore from the client's next pull."""
    cursor = Cursor.decode(secret, principal, cursor_token)
    head = session.scalar(
        select(Municipality.change_seq).where(Municipality.id == principal.municipality_id)
    )
    if cursor.own > (head or 0):
        raise _cursor_ahead()


def _cursor_ahead() -> ApiError:
    return ApiError(
        409,
        "cursor_ahead",
        "Server auf älterem Stand",
        "Der Server kennt weniger Änderungen als dieser Arbeitsplatz – vermutlich wurde er "
        "aus einer Sicherung wiederhergestellt. Der Abgleich ist angehalten, damit nichts "
        "verloren geht; bitte die IT verständigen.",
    )


def changes_page(
    session: Session, secret: bytes, principal: Principal, cursor_token: str | None, limit: int
) -> tuple[ChangesPage, list[RecordRow]]:
    """One page of changes, and the restricted rows in it (their reading must be audited)."""
    cursor = Cursor.decode(secret, principal, cursor_token)
    # One query: the municipality's head (to spot a cursor from the future) and the page.
    rows = session.execute(
        select(Municipality.change_seq, RecordRow)
        .select_from(Municipality)
        .outerjoin(
            RecordRow,
            (RecordRow.municipality_id == Municipality.id) & (RecordRow.seq > cursor.own),
        )
        .where(Municipality.id == principal.municipality_id)
        .order_by(RecordRow.seq)
        .limit(limit + 1)
    ).all()
    head = rows[0][0] if rows else 0
    if cursor.own > head:
        raise _cursor_ahead()
    own_rows = [r for _head, r in rows if r is not None]
    has_more = len(own_rows) > limit
    own_rows = own_rows[:limit]

    access = Access(session, principal)
    access.preload(own_rows)
    changes: list[RecordRow] = []
    gone: list[RecordRef] = []
    for row in own_rows:
        if access.mode(row) is not None:
            changes.append(row)
        elif row.kind == "dossier":
            # Possibly taken off a restricted dossier's list: tell the client to drop it.
            gone.append(RecordRef(kind="dossier", id=row.id))
    if own_rows:
        cursor.own = own_rows[-1].seq
    follow_shares = bool(cursor.shared) or any(r.kind == "share" for r in changes)
    if follow_shares:
        more = _shared_changes(session, access, cursor, limit, gone)
        changes.extend(more[0])
        has_more = has_more or more[1]
    slugs = Slugs(session)
    page = ChangesPage(
        changes=[to_record(r, slugs) for r in changes],
        gone=gone,
        cursor=cursor.encode(secret, principal),
        has_more=has_more,
    )
    restricted = [r for r in changes if access.restricted(r) or access.via_share(r)]
    return page, restricted


def _shared_changes(
    session: Session, access: Access, cursor: Cursor, limit: int, gone: list[RecordRef]
) -> tuple[list[RecordRow], bool]:
    principal = access.principal
    granted = set(
        session.scalars(
            select(DossierAccess.dossier_id)
            .join(RecordRow, RecordRow.id == DossierAccess.dossier_id)
            .where(
                DossierAccess.user_id == principal.user_id,
                DossierAccess.mode.in_(("read", "write")),
                RecordRow.municipality_id != principal.municipality_id,
            )
        )
    )
    for dossier_id in list(cursor.shared):
        if dossier_id not in granted:  # the share was withdrawn
            del cursor.shared[dossier_id]
            gone.append(RecordRef(kind="dossier", id=dossier_id))
    out: list[RecordRow] = []
    has_more = False
    for dossier_id in sorted(granted):
        budget = limit - len(out)
        if budget <= 0:
            has_more = True
            break
        since = cursor.shared.get(dossier_id, 0)
        rows = list(
            session.scalars(
                select(RecordRow)
                .where(RecordRow.dossier_id == dossier_id, RecordRow.seq > since)
                .order_by(RecordRow.seq)
                .limit(budget + 1)
            )
        )
        if len(rows) > budget:
            has_more = True
            rows = rows[:budget]
        out.extend(rows)
        cursor.shared[dossier_id] = rows[-1].seq if rows else since
    return out, has_more


def audit_reads(session: Session, principal: Principal, rows: list[RecordRow]) -> None:
    """Every read of a restricted record, and every use of a share, goes into the owner's log."""
    for row in rows:
        details: dict[str, Any] = {"version": row.version}
        if row.municipality_id != principal.municipality_id:
            details["via_share"] = True
        audit.record(
            session,
            row.municipality_id,
            principal.actor,
            "read",
            kind=row.kind,
            record_id=row.id,
            details=details,
        )
