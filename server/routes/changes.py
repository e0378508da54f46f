"""``GET /api/v1/changes?cursor=...&limit=...``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from server.deps import Caller, Ctx, Protocol
from server.records.feed import audit_reads, changes_page
from sync.protocol.changes import MAX_PAGE, ChangesPage

router = APIRouter(tags=["sync"], dependencies=[Protocol])


@router.get("/changes")
def changes(
    ctx: Ctx,
    caller: Caller,
    cursor: Annotated[str | None, Query(max_length=8192)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 500,
) -> ChangesPage:
    with ctx.db.read() as session:
        page, restricted = changes_page(session, ctx.secret, caller, cursor, limit)
    if restricted:
        with ctx.db.write() as session:
            audit_reads(session, caller, restricted)
    return page
