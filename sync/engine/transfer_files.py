"""The files of a blob transfer: the local blob read (and hashed) for an upload, and the
partial file a download resumes (``tmp/dl-<sha>.part`` of the store)."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from sync.errors import BlobCorruptError, BlobMissingError

log = logging.getLogger("eakte.sync.transfers")

TransferProgress = Callable[[int, int], None]  # (bytes done, total)

PIECE = 1024 * 1024  # read/hash/send granularity (the server writes 1 MiB pieces as well)
MSG_LOCAL_CORRUPT = (
    "Die Datei zu diesem Dokument ist auf diesem Rechner beschädigt oder wurde verändert "
    "(Prüfsumme stimmt nicht). Sie wurde nicht hochgeladen; auf dem Server wurde nichts "
    "gespeichert. Bitte das Dokument aus dem Original erneut ablegen; bleibt es so, die "
    "IT-Betreuung verständigen."
)
MSG_LOCAL_MISSING = (
    "Die Datei zu diesem Dokument fehlt auf diesem Rechner und kann nicht hochgeladen werden. "
    "Bitte das Dokument aus dem Original erneut ablegen; bleibt es so, die IT-Betreuung "
    "verständigen."
)
MSG_DAMAGED = (
    "Die Datei wurde bei der Übertragung beschädigt (Prüfsumme oder Größe stimmt nicht). Sie "
    "wurde verworfen und wird beim nächsten Abgleich erneut geladen."
)


class Source:
    """The local blob file, read in pieces and hashed on the way. The hash state at the start
    of the current chunk is kept, so a chunk sent again is not hashed from 0 again."""

    def __init__(self, path: Path, sha256: str, size: int, report: TransferProgress) -> None:
        self.sha256 = sha256
        self.size = size
        self.report = report
        try:
            self.file: BinaryIO = path.open("rb")
        except FileNotFoundError:
            raise BlobMissingError(MSG_LOCAL_MISSING) from None
        if os.fstat(self.file.fileno()).st_size != size:  # fail early: changed or truncated
            self.file.close()
            log.warning("local blob %s has the wrong size", sha256[:12])
            raise BlobCorruptError(MSG_LOCAL_CORRUPT)
        self.digest = hashlib.sha256()
        self.hashed = 0
        self.mark = (0, self.digest.copy())

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.file.close()

    def hash_to(self, offset: int) -> None:
        """Bring the hash to ``offset`` (the start of the next chunk) and mark it there."""
        if self.hashed != offset and self.mark[0] == offset:
            self.digest, self.hashed = self.mark[1].copy(), offset
        elif self.hashed > offset:
            self.digest, self.hashed = hashlib.sha256(), 0
        self.file.seek(self.hashed)
        while self.hashed < offset:
            self.absorb(self.read_exact(min(PIECE, offset - self.hashed)))
        if self.hashed == self.size == 0:
            self.absorb(b"")
        self.mark = (offset, self.digest.copy())

    def body(self, offset: int, length: int) -> Piecewise:
        self.hash_to(offset)
        return Piecewise(self, offset, length)

    def read_exact(self, n: int) -> bytes:
        data = self.file.read(n)
        if len(data) != n:  # truncated meanwhile
            raise BlobCorruptError(MSG_LOCAL_CORRUPT)
        return data

    def absorb(self, data: bytes) -> None:
        self.digest.update(data)
        self.hashed += len(data)
        if self.hashed == self.size and self.digest.hexdigest() != self.sha256:
            log.warning("local blob %s does not match its hash, upload stopped", self.sha256[:12])
            raise BlobCorruptError(MSG_LOCAL_CORRUPT)


class Piecewise:
    """A request body of ``length`` bytes from ``offset``: sized (so it goes with a
    Content-Length) and iterated in pieces, never held in memory as a whole. Raising from
    here aborts the request, so a bad last piece never reaches the server."""

    def __init__(self, source: Source, offset: int, length: int) -> None:
        self.source = source
        self.offset = offset
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[bytes]:
        source = self.source
        source.file.seek(self.offset)
        done = 0
        while done < self.length:
            data = source.read_exact(min(PIECE, self.length - done))
            source.absorb(data)
            yield data
            done += len(data)
            source.report(self.offset + done, source.size)


class Partial:
    """The partial download file and the hash of what it holds."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = size
        self.digest = hashlib.sha256()
        self.have = 0

    def resume(self) -> int:
        """Bytes already there; hashed from disk only when they are not known yet (a
        restarted process), else the running hash of this download goes on."""
        try:
            actual = self.path.stat().st_size
        except FileNotFoundError:
            actual = 0
        if actual > self.size:
            self.restart()
        elif actual != self.have:
            self.digest, self.have = hashlib.sha256(), 0
            with self.path.open("rb") as f:
                while data := f.read(min(PIECE, actual - self.have)):
                    self.digest.update(data)
                    self.have += len(data)
        return self.have

    def restart(self) -> None:
        self.path.write_bytes(b"")
        self.digest, self.have = hashlib.sha256(), 0

    def write(self, pieces: Iterator[bytes], report: TransferProgress) -> None:
        """Append the pieces, hashing them; what arrived stays on disk if the line breaks."""
        with self.path.open("ab") as out:
            for data in pieces:
                if self.have + len(data) > self.size:
                    break  # more than announced: not the announced blob
                out.write(data)
                self.digest.update(data)
                self.have += len(data)
                report(self.have, self.size)
            else:
                out.flush()
                os.fsync(out.fileno())
                return
        self.discard()
        raise BlobCorruptError(MSG_DAMAGED)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.digest, self.have = hashlib.sha256(), 0
