"""``GET /api/v1/audit``: the own municipality's audit log, paged, for registrars and admins."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Query

from server import audit
from server.db.tables import AuditEntry as AuditRow
from server.deps import Caller, Ctx, Protocol
from server.errors import forbidden
from sync.protocol.service import AuditEntry, AuditPage

router = APIRouter(tags=["audit"], dependencies=[Protocol])

READER_ROLES = ("registrar", "admin")


@router.get("/audit")
def audit_log(
    ctx: Ctx,
    caller: Caller,
    after: Annotated[
        int, Query(ge=0, le=2**62, description="Entries after this sequence number.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Entries per page.")] = 200,
) -> AuditPage:
    if caller.role not in READER_ROLES:
        raise forbidden("Das Protokoll dürfen nur die Registratur und die Administration lesen.")
    with ctx.db.read() as session:
        rows, next_after = audit.page(session, caller.municipality_id, after, limit)
    return AuditPage(entries=[_entry(row) for row in rows], next_after=next_after)


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at.astimezone(UTC),
        actor=row.actor,
        action=row.action,
        kind=row.kind,
        record_id=row.record_id,
        details=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
