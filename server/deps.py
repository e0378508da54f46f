"""FastAPI dependencies: the server context, the protocol check and the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from server.auth.principal import Principal, read_access_token
from server.context import ServerContext
from server.errors import ApiError
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION


def get_ctx(request: Request) -> ServerContext:
    ctx: ServerContext = request.app.state.ctx
    return ctx


def check_protocol(
    version: Annotated[
        str,
        Header(
            alias=PROTOCOL_HEADER,
            description=f"Protocol version of the client; this server speaks {PROTOCOL_VERSION}.",
        ),
    ],
) -> None:
    if version.strip() != str(PROTOCOL_VERSION):
        raise ApiError(
            426,
            "protocol_incompatible",
            "Programmversion passt nicht",
            f"Dieses Programm spricht Protokoll {version[:20]!r}, der Server Protokoll "
            f"{PROTOCOL_VERSION}. Bitte das E-Akte-Programm aktualisieren.",
            details={"server_protocol": PROTOCOL_VERSION},
        )


def current_principal(
    ctx: Annotated[ServerContext, Depends(get_ctx)],
    authorization: Annotated[str | None, Header(description="Bearer <access token>")] = None,
) -> Principal:
    scheme, _, token = (authorization or "").partition(" ")
    principal = read_access_token(ctx.secret, token.strip()) if scheme.lower() == "bearer" else None
    if principal is None:
        raise ApiError(
            401,
            "unauthenticated",
            "Anmeldung erforderlich",
            "Die Anmeldung ist abgelaufen oder ungültig. Bitte erneut anmelden.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


Ctx = Annotated[ServerContext, Depends(get_ctx)]
Caller = Annotated[Principal, Depends(current_principal)]
Protocol = Depends(check_protocol)
