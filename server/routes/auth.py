"""``POST /api/v1/auth/login`` and ``POST /api/v1/auth/refresh``."""

from __future__ import annotations

from fastapi import APIRouter

from server.auth import sessions
from server.deps import Ctx, Protocol
from server.errors import ApiError
from sync.protocol.auth import LoginRequest, RefreshRequest, TokenResponse

router = APIRouter(prefix="/auth", tags=["auth"], dependencies=[Protocol])


@router.post("/login")
def login(body: LoginRequest, ctx: Ctx) -> TokenResponse:
    with ctx.db.write() as session:
        result = sessions.login(
            session,
            ctx.settings,
            ctx.secret,
            ctx.server_id,
            body.municipality,
            body.login,
            body.password,
        )
    return _answer(result)


@router.post("/refresh")
def refresh(body: RefreshRequest, ctx: Ctx) -> TokenResponse:
    with ctx.db.write() as session:
        result = sessions.refresh(
            session, ctx.settings, ctx.secret, ctx.server_id, body.refresh_token
        )
    return _answer(result)


def _answer(result: TokenResponse | ApiError) -> TokenResponse:
    if isinstance(result, ApiError):
        raise result  # after the commit: failed attempts and revocations are kept
    return result
