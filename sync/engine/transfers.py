"""Resumable, verified blob transfers between the local BlobStore and the server (DESIGN rule 6;
the server's side of the protocol is described in ``server/routes/blobs.py``).

Upload: HEAD tells where the server stands. A new blob goes in one PUT, the fastest way; if
the line breaks, the server keeps what arrived and the rest follows in PATCH chunks from the
server's offset, so nothing is sent twice. A 413 from the server or a proxy in between makes
the requests smaller until they pass. The local file is read in pieces and hashed on the way;
a mismatch stops the request before its last byte, so the server never commits a blob it
would have to reject. Download: into ``tmp/dl-<sha>.part`` of
the store, resumed with Range/If-Range after an interruption or a restart, verified (length and
SHA-256), fsynced and renamed into the store. Either way lost connections, timeouts and 5xx
are retried with the transport's back-off, and a 401 renews the access token once.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import requests

from sync.blobs.store import BlobStore, StagedBlob
from sync.engine.transfer_files import (
    MSG_DAMAGED,
    Partial,
    Source,
    TransferProgress,
)
from sync.errors import BlobCorruptError, EAkteError
from sync.transport import (
    ServerAnswerError,
    ServerClient,
    ServerRefusedError,
    ServerUnreachableError,
)

log = logging.getLogger("eakte.sync.transfers")

# Received pieces: a broken line loses the piece in flight, so keep it small for slow lines.
DOWNLOAD_PIECE = 64 * 1024
RETRY_STATUSES = frozenset({500, 502, 503, 504})  # 507 (disk full) will not pass by waiting
MAX_REPOSITIONS = 20  # offset answers without progress before the upload is given up
# After a break, chunks grow while the line is fast: per request the server writes, fsyncs and
# locks, and on loopback 8 MiB chunks reach only ~0.4x the throughput of one PUT, 32-64 MiB
# ~0.75x. On a slow line they stay small, so another interruption costs little.
GROW_BELOW_S = 1.0  # a chunk sent faster than this: the next one is twice as large
MAX_CHUNK = 64 * 1024 * 1024  # the server's default limit for one PATCH body
MIN_CHUNK = 256 * 1024  # a body limit below this is a misconfigured proxy, not worth chunking
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")

MSG_REJECTED = (
    "Der Server hat die Datei wiederholt als beschädigt zurückgewiesen, obwohl sie auf diesem "
    "Rechner in Ordnung ist; vermutlich verfälscht die Verbindung die Daten (z. B. ein Proxy "
    "oder Virenscanner). Die Übertragung wird beim nächsten Abgleich erneut versucht; bleibt "
    "es so, die IT-Betreuung verständigen."
)
MSG_TOO_SMALL = (
    "Der Server oder ein Proxy davor nimmt nicht einmal kleine Teile dieser Datei an (Antwort "
    "413, Anfrage zu groß). Die Übertragung wird beim nächsten Abgleich erneut versucht; bitte "
    "die IT-Betreuung verständigen (Größenbeschränkung des Proxys, z. B. client_max_body_size)."
)
MSG_STUCK = (
    "Die Übertragung kommt nicht voran: der Server meldet einen anderen Stand dieser Datei. Sie "
    "wird beim nächsten Abgleich erneut versucht; bleibt es so, die IT-Betreuung verständigen."
)


class Authorizer(Protocol):
    def token(self) -> str:
        """The current access token (asked before every request)."""
        ...

    def renew(self) -> str:
        """After a 401: a fresh access token (may raise)."""
        ...


class BlobTransferError(EAkteError):
    """An upload the server keeps refusing although the local file is sound."""

    code = "blob_transfer_failed"
    title = "Übertragung fehlgeschlagen"


class BlobTransfers:
    def __init__(
        self,
        client: ServerClient,
        blobs: BlobStore,
        auth: Authorizer,
        *,
        chunk_size: int = 8 * 1024 * 1024,
        max_chunk_size: int = MAX_CHUNK,
    ) -> None:
        if chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        self.client = client
        self.blobs = blobs
        self.auth = auth
        self.chunk_size = chunk_size  # the first chunk after a break
        self.max_chunk_size = max(chunk_size, max_chunk_size)
        self.clock: Callable[[], float] = time.monotonic

    # --- upload --------------------------------------------------------------------------

    def upload(self, sha256: str, size: int, progress: TransferProgress | None = None) -> bool:
        """Send the local blob unless the server has it. True if bytes were sent, False if
        the server had it already (HEAD 200)."""
        with Source(self.blobs.path(sha256), sha256, size, progress or _ignore) as source:
            run = _Run(self)
            up = _Upload(
                chunk=self.chunk_size,
                cap=self.max_chunk_size,
                floor=min(MIN_CHUNK, self.chunk_size),
            )
            while up.result is None:
                try:
                    self._upload_step(source, up, run)
                except ServerRefusedError as exc:
                    if exc.code == "upload_offset_mismatch":  # e.g. our last answer was lost
                        up.repositions += 1
                        up.offset = _header_int(exc.headers, "Upload-Offset")
                    elif exc.code == "blob_hash_mismatch":
                        # The server discarded the upload (its bytes did not hash to the name).
                        if up.restarted:
                            raise BlobTransferError(MSG_REJECTED) from exc
                        log.warning("server rejected %s, uploading again from 0", sha256[:12])
                        up.restarted, up.offset = True, 0
                    elif exc.code == "upload_length_mismatch":  # begun with another size
                        raise BlobTransferError(MSG_STUCK) from exc
                    elif exc.status == 413 and exc.code != "blob_too_large":
                        up.shrink()  # over the server's limit for one request
                    else:
                        run.recover(exc)
                        up.failed(self.chunk_size)
                except ServerAnswerError as exc:
                    if exc.status == 413:  # a proxy's body limit (nginx: client_max_body_size)
                        up.shrink()
                    else:
                        run.recover(exc)
                        up.failed(self.chunk_size)
                except ServerUnreachableError as exc:
                    run.recover(exc)
                    up.failed(self.chunk_size)
                    up.chunked = True  # the line breaks: from now on, lose a chunk at most
                if up.repositions > MAX_REPOSITIONS:
                    raise BlobTransferError(MSG_STUCK)
            source.report(size, size)
        if up.result:
            log.info("uploaded %s (%d bytes)", sha256[:12], size)
        return up.result

    def _upload_step(self, source: Source, up: _Upload, run: _Run) -> None:
        """One request: HEAD where the position is unknown, else the PUT or the next chunk."""
        if up.offset is None:
            up.offset = self._upload_offset(source.sha256, source.size)
            if up.offset is None:
                up.result = up.sent
                return
            source.report(up.offset, source.size)
        up.sent = True
        offset, size = up.offset, source.size
        if offset == 0 and not up.chunked:
            # After a break the server holds what arrived (HEAD says how much) and chunks
            # follow; if it held nothing (a buffering proxy), they lose less the next time.
            up.body = size
            self._put(source)  # one request, and the server hashes on the way
            up.result = True
            return
        up.body = min(up.chunk, size - offset)
        started = self.clock()
        new = self._patch(source, offset, up.chunk)
        if new is None:
            up.result = True
            return
        if new <= offset:
            up.repositions += 1
        elif self.clock() - started < GROW_BELOW_S:
            up.chunk = min(2 * up.chunk, up.cap)
        if new > offset:
            run.progressed()
            up.repositions = 0
        up.offset = new
        source.report(new, size)

    def _upload_offset(self, sha256: str, size: int) -> int | None:
        """Where the server's upload stands; None if the blob is stored for us already."""
        response = self.client.request(
            "HEAD", _path(sha256), token=self.auth.token(), accept=(404,)
        )
        if response.status_code != 404:
            return None
        offset = _header_int(response.headers, "Upload-Offset") or 0
        return offset if offset <= size else 0

    def _put(self, source: Source) -> None:
        body = source.body(0, source.size)
        self.client.request(
            "PUT",
            _path(source.sha256),
            data=body if len(body) else b"",  # b"": requests then sends Content-Length: 0
            token=self.auth.token(),
            headers=_OCTETS,
        )

    def _patch(self, source: Source, offset: int, chunk: int) -> int | None:
        """Send one chunk from ``offset``; the server's new offset, or None once stored.
        An empty chunk at the end finishes an upload the server holds completely."""
        body = source.body(offset, min(chunk, source.size - offset))
        headers = {**_OCTETS, "Upload-Offset": str(offset), "Upload-Length": str(source.size)}
        response = self.client.request(
            "PATCH",
            _path(source.sha256),
            data=body if len(body) else b"",
            token=self.auth.token(),
            headers=headers,
        )
        if response.status_code in (200, 201):
            return None
        return _header_int(response.headers, "Upload-Offset")

    # --- download ------------------------------------------------------------------------

    def partial_path(self, sha256: str) -> Path:
        """Where an interrupted download of ``sha256`` waits to be resumed."""
        return self.blobs.path(sha256).parent.parent / "tmp" / f"dl-{sha256}.part"

    def download(self, sha256: str, size: int, progress: TransferProgress | None = None) -> None:
        """Fetch the blob into the store (resuming a partial download), verified and committed.
        A damaged transfer raises BlobCorruptError and removes the partial file."""
        report = progress or _ignore
        partial = Partial(self.partial_path(sha256), size)
        run = _Run(self)
        while True:
            before = partial.resume()
            try:
                self._fetch(sha256, partial, report)
                break
            except (ServerRefusedError, ServerUnreachableError, ServerAnswerError) as exc:
                if isinstance(exc, ServerRefusedError) and exc.code == "range_not_satisfiable":
                    partial.discard()  # the server's blob is shorter than announced
                    raise BlobCorruptError(MSG_DAMAGED) from exc
                if partial.have > before:
                    run.progressed()
                run.recover(exc)
        if partial.have != size or partial.digest.hexdigest() != sha256:
            log.warning("download of %s damaged in transit, discarded", sha256[:12])
            partial.discard()
            raise BlobCorruptError(MSG_DAMAGED)
        if self.blobs.contains(sha256) and not self.blobs.verify(sha256):
            self.blobs.quarantine(sha256)  # the store would keep a same-sized old copy
        self.blobs.commit(StagedBlob(sha256, size, partial.path))
        log.info("downloaded %s (%d bytes)", sha256[:12], size)

    def _fetch(self, sha256: str, partial: Partial, report: TransferProgress) -> None:
        """One GET from where the partial file ends, appended to it (fsynced)."""
        if partial.have == partial.size and partial.path.exists():
            return  # complete before a restart: only the verification is left
        headers: dict[str, str] = {}
        if partial.have:
            headers = {"Range": f"bytes={partial.have}-", "If-Range": f'"{sha256}"'}
        response = self.client.request(
            "GET", _path(sha256), token=self.auth.token(), headers=headers, stream=True
        )
        with response:
            length = _header_int(response.headers, "Content-Length")
            if response.status_code == 200:
                partial.restart()  # the whole blob (Range ignored or stripped on the way)
                first, total = 0, partial.size if length is None else length
            else:  # 206 (other successes are not asked for)
                match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
                first, total = (int(match[1]), int(match[3])) if match else (-1, -1)
            wrong_length = length is not None and length != total - first
            if (first, total) != (partial.have, partial.size) or wrong_length:
                partial.discard()  # not the blob that was announced
                raise BlobCorruptError(MSG_DAMAGED)
            report(partial.have, partial.size)
            try:
                partial.write(response.iter_content(DOWNLOAD_PIECE), report)
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,  # the line broke off mid-body
            ) as exc:
                raise self.client.unreachable(exc) from exc


# --- helpers ------------------------------------------------------------------------------

_OCTETS = {"Content-Type": "application/octet-stream"}


def _ignore(_done: int, _total: int) -> None:
    pass


def _path(sha256: str) -> str:
    return f"/blobs/{sha256}"


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw)


@dataclass
class _Upload:
    """Where one upload stands."""

    chunk: int
    cap: int  # chunks grow up to this
    floor: int  # a body limit below this is given up
    offset: int | None = None  # None: ask the server (HEAD)
    result: bool | None = None  # set when done: were bytes sent?
    sent: bool = False
    restarted: bool = False  # after the server discarded it once
    chunked: bool = False  # no (more) PUT: the line broke or a body limit was met
    repositions: int = 0  # offset answers without progress
    body: int = 0  # bytes in the last request's body

    def failed(self, min_chunk: int) -> None:
        """Ask the server again, and go on with a smaller chunk: a shaky line loses less (they
        grow again while the line is fast)."""
        self.offset = None
        self.chunk = max(min_chunk, self.chunk // 2)

    def shrink(self) -> None:
        """The last body was over a limit (413): from now on chunks of at most half of it."""
        if self.body <= self.floor:
            raise BlobTransferError(MSG_TOO_SMALL)
        self.offset = None
        self.chunked = True
        self.cap = max(self.floor, self.body // 2)
        self.chunk = min(self.chunk, self.cap)


class _Run:
    """Retries of one transfer: the transport's back-off for failures that waiting can cure,
    counted afresh whenever the transfer made progress; one token renewal per 401."""

    def __init__(self, transfers: BlobTransfers) -> None:
        self.transfers = transfers
        self.failures = 0
        self.renewed = False

    def progressed(self) -> None:
        self.failures = 0
        self.renewed = False

    def recover(self, exc: EAkteError) -> None:
        """Prepare the next attempt after ``exc``, or raise it when that would not help."""
        status = getattr(exc, "status", None)
        if status == 401 and not self.renewed:
            self.renewed = True
            log.info("access token refused, renewing")
            self.transfers.auth.renew()
            return
        if not (isinstance(exc, ServerUnreachableError) or status in RETRY_STATUSES):
            raise exc
        backoff = self.transfers.client.backoff
        if self.failures + 1 >= backoff.attempts:
            raise exc
        log.info("transfer failed (%s), retrying", exc.code)
        backoff.wait(self.failures)
        self.failures += 1
