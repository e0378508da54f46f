"""Blob transfers without HTTP: receiving bytes and resumable uploads (who may read a blob:
``server.blobs.reading``).

The HTTP mapping is in ``server.routes.blobs``; this module knows sessions, files and rules.

- Bytes arrive in a staging file (``Sink``), counted and, for a whole upload, hashed on the way.
  Nothing becomes a blob before its size and SHA-256 are verified.
- A resumable upload is one ``Upload`` row per municipality and hash plus a staging file named
  by the row's id. The row's ``offset`` is the truth: bytes beyond it in the staging file (from an
  append whose transaction never committed) are cut off by the next append.
- A chunk is received into a file of its own first, without any lock, and only then appended
  under the upload row's lock (``SELECT ... FOR UPDATE``; SQLite serialises write transactions
  anyway). A slow client therefore never holds a lock, and two requests racing for one offset
  cannot interleave their bytes: the second finds the offset moved on.
- Once all bytes are in, the whole staging file is hashed outside any lock; then, in one
  transaction, the file becomes the blob, ``BlobRow``/``BlobOwner`` are written and the upload
  row is removed. The file move happens before the commit, so a ``BlobRow`` never exists
  without its bytes (a crash in between leaves an unregistered file that the next upload of the
  same hash adopts).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server.auth.principal import Principal
from server.blobs.storage import CHUNK, BlobStorage, sha256_of_file
from server.context import ServerContext
from server.db.tables import BlobOwner, BlobRow, Upload, utcnow

log = logging.getLogger("eakte.server.blobs")

MAX_BLOB_BYTES = 4 * 1024**3  # the largest blob a client may announce
MIN_FREE_BYTES = 256 * 1024**2  # staging never fills the disk beyond this reserve
WRITE_BUFFER = 1024 * 1024  # received bytes are written (and hashed) in pieces this large


# --- problems (the route turns them into HTTP answers) ------------------------------------


class TransferError(Exception):
    """A refused transfer; nothing of it was kept unless stated otherwise."""


class HashMismatchError(TransferError):
    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"sha256 {actual} instead of {expected}")
        self.expected = expected
        self.actual = actual


class SizeMismatchError(TransferError):
    def __init__(self, declared: int, actual: int) -> None:
        super().__init__(f"{actual} bytes instead of {declared}")
        self.declared = declared
        self.actual = actual


class OffsetMismatchError(TransferError):
    """The chunk does not start where the upload stands; ``length`` is None if there is none."""

    def __init__(self, offset: int, length: int | None) -> None:
        super().__init__(f"upload stands at {offset}")
        self.offset = offset
        self.length = length


class LengthMismatchError(TransferError):
    def __init__(self, offset: int, length: int) -> None:
        super().__init__(f"upload was announced with {length} bytes")
        self.offset = offset
        self.length = length


class TooLargeError(TransferError):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"{length} bytes exceed {limit}")
        self.length = length
        self.limit = limit


class InsufficientStorageError(TransferError):
    def __init__(self, needed: int, free: int) -> None:
        super().__init__(f"{needed} bytes needed, {free} free")
        self.needed = needed
        self.free = free


# --- receiving bytes ----------------------------------------------------------------------


class Sink:
    """A new staging file that receives bytes, counting and optionally hashing them."""

    def __init__(self, path: Path, *, hashing: bool) -> None:
        self.path = path
        self.size = 0
        self._hash = hashlib.sha256() if hashing else None
        self._fh: BinaryIO | None = path.open("xb")

    def write(self, data: bytes | bytearray) -> None:
        assert self._fh is not None
        self._fh.write(data)
        if self._hash is not None:
            self._hash.update(data)
        self.size += len(data)

    def finish(self, *, durable: bool) -> None:
        if self._fh is None:
            return  # finished already
        self._fh.flush()
        if durable:
            os.fsync(self._fh.fileno())
        self._fh.close()
        self._fh = None

    @property
    def digest(self) -> str:
        assert self._hash is not None
        return self._hash.hexdigest()

    def discard(self) -> None:
        """Close and delete the file (nothing happens once it has been committed away)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self.path.unlink(missing_ok=True)


def new_sink(storage: BlobStorage, purpose: str, *, hashing: bool) -> Sink:
    return Sink(storage.staging_path(f"{purpose}-{uuid.uuid4()}"), hashing=hashing)


async def receive(chunks: AsyncIterator[bytes], sink: Sink, *, durable: bool) -> None:
    """Stream a request body into ``sink``; file writes and hashing run off the event loop.
    If the client goes away, what arrived is written all the same (a PUT may keep it)."""
    buffer = bytearray()
    try:
        async for chunk in chunks:
            buffer += chunk
            if len(buffer) >= WRITE_BUFFER:
                data, buffer = buffer, bytearray()
                await run_in_threadpool(sink.write, data)
    finally:
        if buffer:
            await run_in_threadpool(sink.write, buffer)
    await run_in_threadpool(lambda: sink.finish(durable=durable))


def check_space(storage: BlobStorage, needed: int) -> None:
    free = storage.free_bytes()
    if free - needed < MIN_FREE_BYTES:
        log.error("refusing upload: %d bytes needed, %d free", needed, free)
        raise InsufficientStorageError(needed, free)


def check_length(length: int) -> None:
    if length > MAX_BLOB_BYTES:
        raise TooLargeError(length, MAX_BLOB_BYTES)


# --- state --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlobState:
    """What HEAD tells: the committed size, or how far an upload has come."""

    size: int | None  # committed and owned by the caller's municipality
    offset: int = 0
    length: int | None = None  # an upload is in progress


def state(ctx: ServerContext, principal: Principal, sha256: str) -> BlobState:
    with ctx.db.read() as session:
        if owned(session, principal.municipality_id, sha256):
            blob = session.get(BlobRow, sha256)
            if blob is not None:
                return BlobState(size=blob.size)
        upload = _upload(session, principal.municipality_id, sha256)
    if upload is None:
        return BlobState(size=None)
    return BlobState(size=None, offset=upload.offset, length=upload.length)


# --- whole uploads (PUT) ------------------------------------------------------------------


def store_whole(
    ctx: ServerContext, principal: Principal, sha256: str, declared: int, sink: Sink
) -> bool:
    """Commit a fully received, not yet verified staging file. True if new for the caller."""
    if sink.size != declared:
        raise SizeMismatchError(declared, sink.size)
    if sink.digest != sha256:
        log.warning("PUT %s by %s: content hashes to %s", sha256[:12], principal.actor, sink.digest)
        raise HashMismatchError(sha256, sink.digest)
    with ctx.db.write() as session:
        created = not owned(session, principal.municipality_id, sha256)
        ctx.blobs.commit(sha256, sink.path)
        _register(session, principal.municipality_id, sha256, sink.size)
        superseded = _drop_upload(session, principal.municipality_id, sha256)
    if superseded:
        ctx.blobs.discard(superseded)
    log.info("blob %s (%d bytes) stored for %s", sha256[:12], declared, principal.municipality)
    return created


def keep_interrupted(
    ctx: ServerContext, principal: Principal, sha256: str, declared: int, sink: Sink
) -> int:
    """A PUT broke off mid-body: keep what arrived as a resumable upload, so the client goes on
    with PATCH from there instead of sending everything again. Returns the offset kept (0:
    nothing kept). An upload that already holds as much or more of the same length stays."""
    if sink.size == 0 or sink.size >= declared:
        return 0  # nothing, or everything but unverified: either way no use for a resume
    sink.finish(durable=True)  # the row will count these bytes: they must be on disk first
    replaced: str | None = None
    with ctx.db.write() as session:
        mid = principal.municipality_id
        if owned(session, mid, sha256):
            return 0
        upload = _upload(session, mid, sha256, lock=True)
        if upload is not None and upload.length == declared and upload.offset >= sink.size:
            return 0
        if upload is not None:
            session.delete(upload)
            session.flush()  # (municipality, sha256) is unique: the old row goes first
            replaced = upload.id
        kept = Upload(
            id=str(uuid.uuid4()),
            municipality_id=mid,
            user_id=principal.user_id,
            sha256=sha256,
            length=declared,
            offset=sink.size,
        )
        session.add(kept)
        # Renamed before the commit: a row never counts bytes that are not in its file.
        sink.path.replace(ctx.blobs.staging_path(kept.id))
    if replaced is not None:
        ctx.blobs.discard(replaced)
    log.info("interrupted PUT of %s kept at %d of %d bytes", sha256[:12], sink.size, declared)
    return sink.size


# --- resumable uploads (PATCH) ------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    upload_id: str | None
    offset: int
    length: int
    owned: bool = False  # the blob was stored for the caller already: nothing to do

    @property
    def complete(self) -> bool:
        return self.offset == self.length


def precheck(
    ctx: ServerContext,
    principal: Principal,
    sha256: str,
    offset: int,
    length: int,
    chunk_size: int,
) -> bool:
    """Cheap checks before a chunk is received (no lock). True if the blob is owned already."""
    check_length(length)
    if offset + chunk_size > length:
        raise SizeMismatchError(length, offset + chunk_size)
    with ctx.db.read() as session:
        if owned(session, principal.municipality_id, sha256):
            return True
        upload = _upload(session, principal.municipality_id, sha256)
    _check_position(upload, offset, length)
    check_space(ctx.blobs, length - offset + chunk_size)
    return False


def append(
    ctx: ServerContext,
    principal: Principal,
    sha256: str,
    offset: int,
    length: int,
    chunk: Sink,
) -> Progress:
    """Append a received chunk at ``offset`` under the upload row's lock."""
    lost: str | None = None
    with ctx.db.write() as session:
        if owned(session, principal.municipality_id, sha256):
            return Progress(None, length, length, owned=True)
        upload = _upload(session, principal.municipality_id, sha256, lock=True)
        if upload is None:
            upload = _create(session, principal, sha256, offset, length)
        _check_position(upload, offset, length)
        staged = ctx.blobs.staging_path(upload.id)
        if _file_size(staged) < upload.offset:
            # The staging file lost bytes the row counts (disk trouble, manual cleanup): the
            # upload cannot be continued. Forget it; the client starts again at 0.
            session.delete(upload)
            lost = upload.id
        else:
            _write_at(staged, upload.offset, chunk.path)
            upload.offset += chunk.size
            upload.updated_at = utcnow()
        progress = Progress(upload.id, upload.offset, upload.length)
    if lost is not None:
        ctx.blobs.discard(lost)
        log.warning("upload %s of %s lost its staged bytes; restarting", lost, sha256[:12])
        raise OffsetMismatchError(0, None)
    return progress


def finish(ctx: ServerContext, principal: Principal, sha256: str, upload_id: str) -> bool:
    """Verify a complete upload and commit it. True if the blob is new for the caller."""
    staged = ctx.blobs.staging_path(upload_id)
    try:
        size = staged.stat().st_size
        actual = sha256_of_file(staged)
    except FileNotFoundError:  # committed or discarded by a concurrent request
        size, actual = -1, ""
    with ctx.db.write() as session:
        mid = principal.municipality_id
        if owned(session, mid, sha256):  # finished by a concurrent request
            return False
        upload = _upload(session, mid, sha256, lock=True)
        if upload is None or upload.id != upload_id or upload.offset != upload.length:
            # Discarded (and perhaps restarted) meanwhile: report where things stand now.
            if upload is None:
                raise OffsetMismatchError(0, None)
            raise OffsetMismatchError(upload.offset, upload.length)
        session.delete(upload)
        verified = actual == sha256 and size == upload.length
        if verified:
            ctx.blobs.commit(sha256, staged)
            _register(session, mid, sha256, size)
    if not verified:
        ctx.blobs.discard(upload_id)
        log.warning("upload %s by %s: content hashes to %s", sha256[:12], principal.actor, actual)
        raise HashMismatchError(sha256, actual)
    log.info("blob %s (%d bytes) uploaded for %s", sha256[:12], size, principal.municipality)
    return True


def discard_upload(ctx: ServerContext, municipality_id: str, sha256: str) -> bool:
    """Forget an upload in progress (row and staged bytes). True if there was one."""
    with ctx.db.write() as session:
        upload_id = _drop_upload(session, municipality_id, sha256)
    if upload_id is None:
        return False
    ctx.blobs.discard(upload_id)
    return True


# --- helpers ------------------------------------------------------------------------------


def owned(session: Session, municipality_id: str, sha256: str) -> bool:
    return session.get(BlobOwner, (municipality_id, sha256)) is not None


def _upload(
    session: Session, municipality_id: str, sha256: str, *, lock: bool = False
) -> Upload | None:
    query = select(Upload).where(Upload.municipality_id == municipality_id, Upload.sha256 == sha256)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def _create(
    session: Session, principal: Principal, sha256: str, offset: int, length: int
) -> Upload:
    """A new upload at offset 0, or the one a concurrent request has just created."""
    if offset != 0:
        raise OffsetMismatchError(0, None)
    upload = Upload(
        id=str(uuid.uuid4()),
        municipality_id=principal.municipality_id,
        user_id=principal.user_id,
        sha256=sha256,
        length=length,
        offset=0,
    )
    try:
        with session.begin_nested():
            session.add(upload)
    except IntegrityError:
        existing = _upload(session, principal.municipality_id, sha256, lock=True)
        if existing is None:
            raise
        return existing
    return upload


def _check_position(upload: Upload | None, offset: int, length: int) -> None:
    if upload is None:
        if offset != 0:
            raise OffsetMismatchError(0, None)
        return
    if upload.length != length:
        raise LengthMismatchError(upload.offset, upload.length)
    if upload.offset != offset:
        raise OffsetMismatchError(upload.offset, upload.length)


def _register(session: Session, municipality_id: str, sha256: str, size: int) -> None:
    """``BlobRow`` (if new) and ``BlobOwner``; tolerant of a concurrent insert of either."""
    if session.get(BlobRow, sha256) is None:
        try:
            with session.begin_nested():
                session.add(BlobRow(sha256=sha256, size=size))
        except IntegrityError:
            pass  # another municipality committed the same content a moment ago
    if not owned(session, municipality_id, sha256):
        try:
            with session.begin_nested():
                session.add(BlobOwner(municipality_id=municipality_id, sha256=sha256))
        except IntegrityError:
            pass  # a concurrent upload of the same content by the same municipality


def _drop_upload(session: Session, municipality_id: str, sha256: str) -> str | None:
    upload = _upload(session, municipality_id, sha256, lock=True)
    if upload is None:
        return None
    session.delete(upload)
    return upload.id


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _write_at(staged: Path, offset: int, chunk: Path) -> None:
    """Write ``chunk`` at ``offset``, dropping anything beyond it first, and fsync."""
    mode = "r+b" if staged.exists() else "w+b"
    with staged.open(mode) as out, chunk.open("rb") as src:
        out.seek(offset)
        out.truncate()
        shutil.copyfileobj(src, out, CHUNK)
        out.flush()
        os.fsync(out.fileno())
