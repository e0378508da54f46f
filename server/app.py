"""The FastAPI application: routers, error answers and the request-size guard."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.blobs.cleanup import purge_stale_uploads
from server.blobs.uploads import MAX_BLOB_BYTES
from server.context import ServerContext
from server.errors import ApiError
from server.routes import audit, auth, blobs, changes, health, mutations, search
from sync.protocol.common import ErrorBody

log = logging.getLogger("eakte.server")
SWEEP_INTERVAL_S = 6 * 3600


def error_response(
    status: int,
    code: str,
    title: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(code=code, title=title, message=message, details=details)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


# Every error answer is an ``ErrorBody`` (see the handlers below). Declared as ranges, which
# also replaces FastAPI's default 422 schema (``HTTPValidationError``) that we never send.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorBody, "description": "Refused: `code` says why, `message` for people."},
    "5XX": {"model": ErrorBody, "description": "Server trouble; nothing was saved."},
}


def create_app(ctx: ServerContext) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_sweep_uploads(ctx))
        yield
        sweeper.cancel()
        ctx.close()

    app = FastAPI(
        title="E-Akte Server",
        version="1",
        description="Zentraler Dienst der E-Akte für die Kommunen im Werra-Meißner-Kreis.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = ctx
    for module in (health, auth, changes, mutations, blobs, search, audit):
        app.include_router(module.router, prefix="/api/v1", responses=ERROR_RESPONSES)
    _install_error_handlers(app)
    app.add_middleware(
        BodyLimit,
        limit=ctx.settings.max_body_bytes,
        blob_limit=ctx.settings.max_blob_chunk_bytes,
        blob_put_limit=MAX_BLOB_BYTES,
    )
    return app


async def _sweep_uploads(ctx: ServerContext) -> None:
    """Remove abandoned uploads at start and every few hours, off the event loop."""
    max_age = timedelta(hours=ctx.settings.upload_expiry_hours)
    while True:
        try:
            await run_in_threadpool(purge_stale_uploads, ctx, max_age)
        except Exception:
            log.exception("removing abandoned uploads failed; trying again later")
        await asyncio.sleep(SWEEP_INTERVAL_S)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(
            exc.status, exc.code, exc.title, exc.message, exc.details, exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(
                400,
                "malformed_json",
                "Ungültige Anfrage",
                "Der Inhalt der Anfrage ist kein gültiges JSON (oder kein gültiges UTF-8).",
            )
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg"))}
            for e in errors[:20]
        ]
        where = ", ".join(p["field"] for p in problems[:5])
        return error_response(
            422,
            "invalid_request",
            "Ungültige Angaben",
            f"Die Anfrage enthält ungültige oder unbekannte Angaben: {where}.",
            {"problems": problems},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            # FastAPI's answer to a body that is not UTF-8 (json.loads fails to decode it).
            return error_response(
                400,
                "malformed_json",
                "Ungültige Anfrage",
                "Der Inhalt der Anfrage ist kein gültiges JSON (oder kein gültiges UTF-8).",
            )
        code, message = _HTTP_ERRORS.get(exc.status_code, ("http_error", str(exc.detail)))
        return error_response(
            exc.status_code,
            code,
            "Anfrage nicht möglich",
            message,
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return error_response(
            500,
            "internal_error",
            "Interner Serverfehler",
            "Beim Server ist ein unerwarteter Fehler aufgetreten. Die Änderung wurde nicht "
            "gespeichert; bitte später erneut versuchen.",
        )


_HTTP_ERRORS = {
    404: ("not_found", "Diese Adresse gibt es auf dem Server nicht."),
    405: ("method_not_allowed", "Diese Anfrageart ist für diese Adresse nicht vorgesehen."),
}


class BodyLimit:
    """Refuse bodies above the limit with 413, by Content-Length or while streaming, before a
    handler reads them. Blob transfers have their own, larger limits: a chunk (PATCH), and a
    whole blob (PUT, which must declare its length and is kept if it breaks off)."""

    def __init__(self, app: ASGIApp, limit: int, blob_limit: int, blob_put_limit: int) -> None:
        self.app = app
        self.limit = limit
        self.blob_limit = blob_limit
        self.blob_put_limit = blob_put_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.limit
        if path.startswith("/api/v1/blobs/"):
            limit = self.blob_put_limit if scope.get("method") == "PUT" else self.blob_limit
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(scope, receive, send, limit)
            return
        seen = 0
        answered = False

        async def counting_receive() -> Message:
            # Too much arrived without a Content-Length (chunked): answer 413 ourselves, and
            # tell the application that the client has gone, so it stops reading and stores
            # nothing; whatever it still tries to send is dropped.
            nonlocal seen, answered
            if answered:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    answered = True
                    await _too_large(scope, receive, send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not answered:
                await send(message)

        await self.app(scope, counting_receive, guarded_send)


def _too_large_text(limit: int) -> str:
    return f"Die Anfrage ist größer als die erlaubten {limit // (1024 * 1024)} MB."


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = error_response(413, "too_large", "Zu groß", _too_large_text(limit))
    await response(scope, receive, send)
