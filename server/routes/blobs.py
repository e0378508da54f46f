"""``HEAD|PUT|PATCH|GET /api/v1/blobs/{sha256}``: file contents, addressed by their SHA-256.

The transfer protocol (a small, tus-like dialect; every request carries the protocol header
and a bearer token, every error a JSON ``ErrorBody`` with a ``code``):

``HEAD``   Is the blob stored for my municipality, or how far has my upload come?
    200  ``Content-Length``, ``ETag: "<sha256>"``, ``Accept-Ranges: bytes``: stored, nothing to do.
    404  ``Upload-Offset: <n>`` (0 when nothing is staged) and, while an upload is in progress,
         ``Upload-Length: <total>``: send the bytes from ``n`` on. A blob that only another
         municipality has is answered exactly like an unknown one.
``PUT``    The whole blob in one request (up to 4 GiB). ``Content-Length`` is required (411
    ``length_required``); an optional ``Upload-Length`` must equal it. The bytes are hashed while
    they are written to a staging file and committed only if they match.
    201 stored now; 200 it was stored for this municipality already. If the client goes away
    mid-body, the bytes received are kept as a resumable upload (unless one holds more): HEAD
    then answers their ``Upload-Offset`` and the client goes on with PATCH. So the fastest way
    to send a new blob, one PUT, loses nothing when the line breaks (tus calls this
    "creation-with-upload"). A proxy that buffers request bodies defeats this (nginx:
    ``proxy_request_buffering off``).
``PATCH``  One chunk of a resumable upload (up to ``max_blob_chunk_bytes``): ``Upload-Offset``
    (where the chunk starts), ``Upload-Length`` (total size; fixed by the first PATCH),
    ``Content-Length`` (may be 0).
    The first PATCH at offset 0 creates the upload.
    204  ``Upload-Offset``/``Upload-Length``: chunk stored (fsynced), send the next one.
    201  last chunk stored, the whole content verified and committed; 200 already stored.
    409  ``upload_offset_mismatch`` with ``Upload-Offset`` (and ``Upload-Length``): resume there.
    409  ``upload_length_mismatch``: the upload was announced with another ``Upload-Length``.
    If the server holds all bytes but has not committed them (it stopped while verifying), a
    PATCH at ``Upload-Offset == Upload-Length`` with an empty body finishes the upload.
``GET``    Download. ``ETag: "<sha256>"`` (strong), ``If-None-Match`` -> 304, one ``Range`` of
    ``bytes=a-b``, ``bytes=a-`` or ``bytes=-n`` -> 206 with ``Content-Range`` (unsatisfiable:
    416 with ``Content-Range: bytes */<size>``; several ranges or a malformed header: the whole
    blob with 200), ``If-Range`` honoured. Readable through a visible version or, for the
    uploading municipality, until one of its versions references it; otherwise 404
    ``not_found``, the same answer as for an unknown hash. Reads through a restricted dossier
    or a share are audited (``read_blob``) in the owning municipality's chain.

Failures common to PUT and PATCH: 422 ``blob_hash_mismatch`` (content does not hash to the
name; nothing is kept, a resumable upload is discarded and starts again at 0), 422
``blob_size_mismatch`` (more or fewer bytes than declared), 413 ``blob_too_large`` (over 4 GiB)
or ``too_large`` (a PATCH body over the chunk limit), 507 ``insufficient_storage``, 400
``invalid_header``/``missing_header``. A path that is not 64 lower-case hex digits: 422
``invalid_request``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, Header, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from server.blobs import reading, uploads
from server.blobs.storage import CHUNK
from server.deps import Caller, Ctx, Protocol
from server.errors import ApiError, not_found

log = logging.getLogger("eakte.server.blobs")

router = APIRouter(prefix="/blobs", tags=["blobs"], dependencies=[Protocol])

Sha256 = Annotated[
    str,
    PathParam(
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the content: 64 lower-case hexadecimal digits.",
    ),
]
UploadOffset = Annotated[
    str | None,
    Header(alias="Upload-Offset", description="Where this chunk starts (bytes)."),
]
UploadLength = Annotated[
    str | None,
    Header(alias="Upload-Length", description="Total size of the blob (bytes)."),
]
BINARY_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}
_DIGITS = re.compile(r"^[0-9]{1,19}$")
_RANGE = re.compile(r"^bytes=(?:(\d{1,19})-(\d{0,19})|-(\d{1,19}))$")


@router.head(
    "/{sha256}",
    response_class=Response,  # headers only: no JSON body in the OpenAPI document
    responses={404: {"description": "Not stored for this municipality; see Upload-Offset."}},
)
def head_blob(sha256: Sha256, ctx: Ctx, caller: Caller) -> Response:
    found = uploads.state(ctx, caller, sha256)
    if found.size is None:
        headers = {"Upload-Offset": str(found.offset)}
        if found.length is not None:
            headers["Upload-Length"] = str(found.length)
        raise ApiError(404, "not_found", "Nicht gefunden", _NOT_FOUND, headers=headers)
    return Response(status_code=200, headers={"Content-Length": str(found.size), **_tags(sha256)})


@router.put(
    "/{sha256}",
    status_code=201,
    response_class=Response,  # headers only: no JSON body in the OpenAPI document
    openapi_extra=BINARY_BODY,
    responses={200: {"description": "Already stored for this municipality."}},
)
async def put_blob(
    sha256: Sha256, request: Request, ctx: Ctx, caller: Caller, upload_length: UploadLength = None
) -> Response:
    body = _Body(request)
    async with _answering_errors(body):
        size = _content_length(request)
        if upload_length is not None and _number("Upload-Length", upload_length) != size:
            raise uploads.SizeMismatchError(_number("Upload-Length", upload_length), size)
        uploads.check_length(size)
        await run_in_threadpool(uploads.check_space, ctx.blobs, size)
        sink = await run_in_threadpool(uploads.new_sink, ctx.blobs, "put", hashing=True)
        try:
            try:
                await uploads.receive(body.stream(), sink, durable=True)
            except ClientDisconnect:
                await run_in_threadpool(uploads.keep_interrupted, ctx, caller, sha256, size, sink)
                raise
            created = await run_in_threadpool(uploads.store_whole, ctx, caller, sha256, size, sink)
        finally:
            await run_in_threadpool(sink.discard)
    return _stored(sha256, size, created)


@router.patch(
    "/{sha256}",
    status_code=204,
    openapi_extra=BINARY_BODY,
    responses={
        200: {"description": "Already stored for this municipality."},
        201: {"description": "Last chunk received; content verified and stored."},
        409: {"description": "Wrong Upload-Offset (see the header) or Upload-Length."},
    },
)
async def patch_blob(
    sha256: Sha256,
    request: Request,
    ctx: Ctx,
    caller: Caller,
    upload_offset: UploadOffset = None,
    upload_length: UploadLength = None,
) -> Response:
    body = _Body(request)
    async with _answering_errors(body):
        chunk_size = _content_length(request)
        offset = _number("Upload-Offset", upload_offset)
        length = _number("Upload-Length", upload_length)
        owned = await run_in_threadpool(
            uploads.precheck, ctx, caller, sha256, offset, length, chunk_size
        )
        if owned:
            await body.drain()
            return _stored(sha256, length, created=False)
        sink = await run_in_threadpool(uploads.new_sink, ctx.blobs, "chunk", hashing=False)
        try:
            await uploads.receive(body.stream(), sink, durable=False)
            if sink.size != chunk_size:
                raise uploads.SizeMismatchError(chunk_size, sink.size)
            progress = await run_in_threadpool(
                uploads.append, ctx, caller, sha256, offset, length, sink
            )
        finally:
            await run_in_threadpool(sink.discard)
        if progress.owned:
            return _stored(sha256, length, created=False)
        if not progress.complete:
            return Response(status_code=204, headers=_position(progress.offset, progress.length))
        assert progress.upload_id is not None
        created = await run_in_threadpool(uploads.finish, ctx, caller, sha256, progress.upload_id)
    return _stored(sha256, length, created)


@router.get(
    "/{sha256}",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}},
        206: {"description": "The requested range."},
        304: {"description": "Not modified (If-None-Match)."},
        416: {"description": "Range not satisfiable."},
    },
)
def get_blob(sha256: Sha256, request: Request, ctx: Ctx, caller: Caller) -> Response:
    grant = reading.read_grant(ctx, caller, sha256)
    if grant is None:
        raise not_found("Die Datei")
    headers = {**_tags(sha256), "Cache-Control": "private, no-cache"}
    if _etag_matches(request.headers.get("if-none-match"), sha256):
        return Response(status_code=304, headers=headers)
    span: tuple[int, int] | None = None
    range_header = request.headers.get("range")
    if range_header is not None and _if_range_holds(request.headers.get("if-range"), sha256):
        span = parse_range(range_header, grant.size)
    start, end = span if span is not None else (0, grant.size - 1)
    content_range = f"bytes {start}-{end}/{grant.size}" if span is not None else None
    if grant.audit is not None:
        reading.audit_read(ctx, caller, sha256, grant.audit, content_range)
    try:
        fh = ctx.blobs.open(sha256)
    except FileNotFoundError:
        log.error("blob %s is registered but missing from the storage", sha256)
        raise ApiError(
            503,
            "blob_unavailable",
            "Datei nicht verfügbar",
            "Die Datei ist auf dem Server derzeit nicht lesbar. Bitte die Verwaltung "
            "informieren (eakte-server check).",
        ) from None
    headers["Content-Length"] = str(end - start + 1)
    if content_range is not None:
        headers["Content-Range"] = content_range
    return StreamingResponse(
        _read(fh, start, end - start + 1),
        status_code=206 if span is not None else 200,
        media_type="application/octet-stream",
        headers=headers,
    )


# --- HTTP details -------------------------------------------------------------------------

_NOT_FOUND = "Die Datei wurde nicht gefunden."


class _Body:
    """The request body, read once: streamed into a file, or drained when the answer comes
    before it was read (so that the client, still sending, reliably gets to see the answer)."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.used = False

    def stream(self) -> AsyncIterator[bytes]:
        self.used = True
        return self.request.stream()

    async def drain(self) -> None:
        if self.used:
            return
        self.used = True
        try:
            async for _ in self.request.stream():
                pass
        except (ClientDisconnect, ApiError, RuntimeError):
            pass


def _tags(sha256: str) -> dict[str, str]:
    return {"ETag": f'"{sha256}"', "Accept-Ranges": "bytes"}


def _position(offset: int, length: int) -> dict[str, str]:
    return {"Upload-Offset": str(offset), "Upload-Length": str(length)}


@asynccontextmanager
async def _answering_errors(body: _Body) -> AsyncIterator[None]:
    """Transfer failures become their answers; what the client still sends is read and
    dropped first, so that it sees the answer instead of a broken connection."""
    try:
        yield
    except uploads.TransferError as exc:
        await body.drain()
        raise _problem(exc) from None
    except ApiError:
        await body.drain()
        raise
    except ClientDisconnect:
        raise _interrupted() from None


def _stored(sha256: str, size: int, created: bool) -> Response:
    return Response(
        status_code=201 if created else 200,
        headers={"ETag": f'"{sha256}"', **_position(size, size)},
    )


def _number(name: str, raw: str | None) -> int:
    if raw is None:
        raise ApiError(
            400,
            "missing_header",
            "Angabe fehlt",
            f"Die Angabe {name} fehlt in der Anfrage.",
            details={"header": name},
        )
    if not _DIGITS.match(raw.strip()):
        raise ApiError(
            400,
            "invalid_header",
            "Ungültige Angabe",
            f"Die Angabe {name} muss eine nicht negative ganze Zahl sein.",
            details={"header": name},
        )
    return int(raw.strip())


def _content_length(request: Request) -> int:
    raw = request.headers.get("content-length")
    if raw is None:
        raise ApiError(
            411,
            "length_required",
            "Größe fehlt",
            "Die Anfrage muss ihre Größe angeben (Content-Length).",
        )
    return _number("Content-Length", raw)


def _problem(exc: uploads.TransferError) -> ApiError:
    if isinstance(exc, uploads.HashMismatchError):
        return ApiError(
            422,
            "blob_hash_mismatch",
            "Datei beschädigt",
            "Der Inhalt passt nicht zu seiner Prüfsumme (SHA-256) und wurde verworfen. Die "
            "Datei wird beim nächsten Abgleich erneut vollständig hochgeladen.",
            details={"expected": exc.expected, "actual": exc.actual},
            headers={"Upload-Offset": "0"},
        )
    if isinstance(exc, uploads.SizeMismatchError):
        return ApiError(
            422,
            "blob_size_mismatch",
            "Größe passt nicht",
            f"Die Datei sollte {exc.declared} Bytes groß sein, übertragen wurden {exc.actual}. "
            "Es wurde nichts gespeichert.",
            details={"declared": exc.declared, "actual": exc.actual},
        )
    if isinstance(exc, uploads.OffsetMismatchError):
        headers = {"Upload-Offset": str(exc.offset)}
        if exc.length is not None:
            headers["Upload-Length"] = str(exc.length)
        return ApiError(
            409,
            "upload_offset_mismatch",
            "Übertragung an anderer Stelle",
            f"Der Server hat von dieser Datei {exc.offset} Bytes; die Übertragung muss dort "
            "fortgesetzt werden.",
            details={"offset": exc.offset, "length": exc.length},
            headers=headers,
        )
    if isinstance(exc, uploads.LengthMismatchError):
        return ApiError(
            409,
            "upload_length_mismatch",
            "Größe passt nicht zur begonnenen Übertragung",
            f"Die begonnene Übertragung dieser Datei wurde mit {exc.length} Bytes angekündigt.",
            details={"offset": exc.offset, "length": exc.length},
            headers=_position(exc.offset, exc.length),
        )
    if isinstance(exc, uploads.TooLargeError):
        return ApiError(
            413,
            "blob_too_large",
            "Datei zu groß",
            f"Dateien dürfen höchstens {exc.limit // 1024**3} GB groß sein.",
            details={"length": exc.length, "limit": exc.limit},
        )
    if isinstance(exc, uploads.InsufficientStorageError):
        return ApiError(
            507,
            "insufficient_storage",
            "Speicher voll",
            "Auf dem Server ist nicht genug Speicherplatz frei. Die Datei wird später erneut "
            "übertragen; bitte die Verwaltung informieren.",
        )
    raise AssertionError(f"unmapped blob problem {exc!r}")


def _interrupted() -> ApiError:
    # Nobody will read this answer; it only keeps the interrupted request out of the error log.
    log.info("blob transfer interrupted by the client")
    return ApiError(
        400,
        "upload_interrupted",
        "Übertragung abgebrochen",
        "Die Übertragung wurde unterbrochen; sie wird beim nächsten Abgleich fortgesetzt.",
    )


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """One byte range as (first, last), inclusive; None to answer with the whole blob.

    Several ranges, other units or a malformed header are ignored (RFC 9110 allows serving the
    whole representation); a well-formed but unsatisfiable range is a 416."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    first, last, suffix = match.groups()
    if suffix is not None:
        length = int(suffix)
        if length == 0 or size == 0:
            raise _unsatisfiable(size)
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid, so ignored
    if start >= size:
        raise _unsatisfiable(size)
    return start, min(end, size - 1)


def _unsatisfiable(size: int) -> ApiError:
    return ApiError(
        416,
        "range_not_satisfiable",
        "Bereich nicht vorhanden",
        f"Der angefragte Bereich liegt außerhalb der Datei ({size} Bytes).",
        details={"size": size},
        headers={"Content-Range": f"bytes */{size}"},
    )


def _etag_matches(header: str | None, sha256: str) -> bool:
    """If-None-Match uses the weak comparison: ``W/"x"`` matches ``"x"``."""
    if header is None:
        return False
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == f'"{sha256}"':
            return True
    return False


def _if_range_holds(header: str | None, sha256: str) -> bool:
    """If-Range needs the strong comparison; a date cannot match a content hash."""
    return header is None or header.strip() == f'"{sha256}"'


def _read(fh: BinaryIO, start: int, count: int) -> Iterator[bytes]:
    try:
        fh.seek(start)
        while count > 0:
            data = fh.read(min(CHUNK, count))
            if not data:
                break
            count -= len(data)
            yield data
    finally:
        fh.close()
