"""``POST /api/v1/mutations``: a batch of the client's outbox."""

from __future__ import annotations

from fastapi import APIRouter

from server.db.retry import retry_on_conflict
from server.deps import Caller, Ctx, Protocol
from server.records.apply import apply_batch
from server.records.feed import check_not_behind
from sync.protocol.mutations import BatchResult, MutationBatch

router = APIRouter(tags=["sync"], dependencies=[Protocol])


@router.post("/mutations")
def mutations(batch: MutationBatch, ctx: Ctx, caller: Caller) -> BatchResult:
    def attempt() -> BatchResult:
        with ctx.db.write() as session:
            if batch.cursor is not None:
                check_not_behind(session, ctx.secret, caller, batch.cursor)
            return apply_batch(session, caller, batch)

    return retry_on_conflict(attempt)
