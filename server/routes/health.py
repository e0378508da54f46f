"""``GET /api/v1/health``: for monitoring and for clients to learn the server's identity.

It needs no login and no protocol header, so that a plain ``curl`` can watch it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from sqlalchemy import text

from server.deps import Ctx
from sync.protocol import PROTOCOL_VERSION
from sync.protocol.service import Health

router = APIRouter(tags=["service"])


@router.get("/health")
def health(ctx: Ctx) -> Health:
    with ctx.db.read() as session:
        session.execute(text("SELECT 1"))
    return Health(
        status="ok",
        protocol_version=PROTOCOL_VERSION,
        server_id=ctx.server_id,
        database=ctx.db.dialect,
        server_time=datetime.now(UTC),
    )
