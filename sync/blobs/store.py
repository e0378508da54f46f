"""Content-addressed blob store of the offline client (DESIGN.md, sync contract rule 6).

Layout: ``root/ab/<sha256>`` for committed blobs (one level of 256 shards, as git does: a young
store would otherwise create two new folders for nearly every blob, and even a million blobs
are only 4,000 files a folder), ``root/tmp/`` for staged content and
``root/corrupt/`` for quarantined blobs. Content is written to a temp file while it is hashed,
fsynced, and only then renamed into its shard, so a blob at its final path is always complete.
A blob is never trusted on read: every read verifies the hash, and a mismatch is reported,
never served. Blobs are immutable, so concurrent commits of the same content are harmless.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sync.blobs._fs import check_sha, fsync_dir, remove_stale, retry_locked, scan_shards
from sync.blobs._messages import MSG_CORRUPT, MSG_MISSING, MSG_STAGE_LOST, MSG_TRANSFER, too_large
from sync.errors import BlobCorruptError, BlobMissingError, EAkteError

log = logging.getLogger("eakte.blobs")

_CHUNK = 1 << 20

Progress = Callable[[int], None]


class BlobTooLargeError(EAkteError):
    """Content larger than the allowed maximum; staging stops without reading the rest."""

    code = "too_large"
    title = "Datei zu groß"

    def __init__(self, max_size: int, size: int | None = None) -> None:
        super().__init__(too_large(max_size, size))
        self.max_size = max_size
        self.size = size


class SourceChangedError(OSError):
    """The source changed while it was copied (a scanner still writing it?). An OSError, so
    callers that map I/O errors of the source catch it too."""


@dataclass(frozen=True, slots=True)
class StagedBlob:
    """Content written to a temp file inside the store, hashed and fsynced, not yet visible."""

    sha256: str
    size: int
    temp_path: Path


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._tmp = self.root / "tmp"
        self._corrupt = self.root / "corrupt"
        self._tmp.mkdir(parents=True, exist_ok=True)

    def stage_file(
        self,
        source: Path,
        *,
        max_size: int | None = None,
        chunk_size: int = _CHUNK,
        progress: Progress | None = None,
    ) -> StagedBlob:
        """Copy ``source`` into the store while hashing it. Errors reading the source propagate
        as they are; a source that changes during the copy raises SourceChangedError."""
        with open(source, "rb", buffering=0) as f:  # noqa: PTH123 - tests patch open()
            before = os.fstat(f.fileno())
            if max_size is not None and before.st_size > max_size:
                raise BlobTooLargeError(max_size, before.st_size)
            buf = bytearray(chunk_size)
            view = memoryview(buf)

            def read() -> memoryview:
                return view[: f.readinto(buf) or 0]

            def unchanged(_sha: str, size: int) -> None:
                # Catches truncation and appends (size) as well as rewrites in place (mtime).
                after = os.fstat(f.fileno())
                stamp = (before.st_size, before.st_mtime_ns)
                if size != before.st_size or (after.st_size, after.st_mtime_ns) != stamp:
                    msg = f"changed while copied: {before.st_size} -> {after.st_size} bytes"
                    raise SourceChangedError(msg, str(source))

            return self._stage(read, max_size=max_size, progress=progress, check=unchanged)

    def stage_bytes(self, data: bytes) -> StagedBlob:
        return self.stage_stream(io.BytesIO(data))

    def stage_stream(
        self,
        stream: BinaryIO,
        *,
        max_size: int | None = None,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
        chunk_size: int = _CHUNK,
        progress: Progress | None = None,
    ) -> StagedBlob:
        """Stage a stream (e.g. a download). An announced hash or size that does not match
        raises BlobCorruptError; reading stops as soon as the stream is longer than announced."""
        if expected_sha256 is not None:
            check_sha(expected_sha256)
        if max_size is not None and expected_size is not None and expected_size > max_size:
            raise BlobTooLargeError(max_size, expected_size)

        def as_announced(sha: str, size: int) -> None:
            if (expected_size is not None and size != expected_size) or (
                expected_sha256 is not None and sha != expected_sha256
            ):
                got, want = (sha, size), (expected_sha256, expected_size)
                log.warning("transfer mismatch: got %s, expected %s", got, want)
                raise BlobCorruptError(MSG_TRANSFER)

        # Read at most one byte more than announced: enough to know the stream is too long.
        limit = expected_size + 1 if expected_size is not None else None
        return self._stage(
            lambda: stream.read(chunk_size),
            max_size=max_size,
            progress=progress,
            limit=limit,
            check=as_announced,
        )

    def _stage(
        self,
        read: Callable[[], bytes | memoryview],
        *,
        max_size: int | None,
        progress: Progress | None,
        limit: int | None = None,
        check: Callable[[str, int], None],
    ) -> StagedBlob:
        """Copy chunks from ``read`` into a fresh temp file; ``limit`` stops reading early and
        ``check(sha256, size)`` judges the result. The temp file is removed on any failure."""
        fd, name = tempfile.mkstemp(dir=self._tmp, prefix="s-", suffix=".part")
        temp = Path(name)
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := read():
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise BlobTooLargeError(max_size)
                    digest.update(chunk)
                    out.write(chunk)
                    if progress is not None:
                        progress(size)
                    if limit is not None and size >= limit:
                        break
                sha = digest.hexdigest()
                check(sha, size)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return StagedBlob(sha, size, temp)

    def commit(self, staged: StagedBlob) -> Path:
        """Rename staged content into its shard; idempotent and safe against concurrent
        commits. The data was fsynced when it was staged, so only directories remain.
        On an unexpected failure the staged file stays for a retry or ``discard``."""
        return self.commit_many([staged])[0]

    def commit_many(self, staged: Sequence[StagedBlob]) -> list[Path]:
        """Commit several blobs, syncing each touched directory once at the end (a batch of
        filed documents costs one directory fsync per shard, not several per blob)."""
        touched: set[Path] = set()
        paths = [self._rename_into_place(blob, touched) for blob in staged]
        # Deepest first: a new shard folder must be durable before its parent's entry is.
        for directory in sorted(touched, key=lambda d: len(d.parts), reverse=True):
            fsync_dir(directory)
        return paths

    def _rename_into_place(self, staged: StagedBlob, touched: set[Path]) -> Path:
        self._check_staged(staged)
        target = self.path(staged.sha256)
        if self._present(target, staged.size):
            self.discard(staged)
            return target
        new_dir = not target.parent.is_dir()
        target.parent.mkdir(exist_ok=True)
        try:
            retry_locked(lambda: staged.temp_path.replace(target))
        except FileNotFoundError:
            # Temp removed meanwhile (clean_temp, a second commit of the same StagedBlob).
            if self._present(target, staged.size):
                return target
            raise BlobMissingError(MSG_STAGE_LOST) from None
        except PermissionError:
            # Windows: another committer or a reader holds the target; if it is there, fine.
            if not self._present(target, staged.size):
                raise
            self.discard(staged)
            return target
        touched.add(target.parent)
        if new_dir:
            touched.add(target.parent.parent)
        log.debug("committed %s (%d bytes)", staged.sha256, staged.size)
        return target

    def discard(self, staged: StagedBlob) -> None:
        """Remove a staged temp file. Never raises: a leftover is swept by ``clean_temp``."""
        self._check_staged(staged)
        try:
            retry_locked(lambda: staged.temp_path.unlink(missing_ok=True))
        except OSError as exc:
            log.warning("cannot remove temp file %s: %s", staged.temp_path, exc)

    def _check_staged(self, staged: StagedBlob) -> None:
        # Only our own temp files may be renamed or removed.
        check_sha(staged.sha256)
        if staged.temp_path.parent != self._tmp:
            raise ValueError(f"not a temp file of this store: {staged.temp_path}")

    def _present(self, target: Path, size: int) -> bool:
        try:
            actual = target.stat().st_size
        except FileNotFoundError:
            return False
        if actual != size:
            log.warning("blob %s has %d bytes instead of %d, replacing", target, actual, size)
            return False
        return True

    def path(self, sha256: str) -> Path:
        check_sha(sha256)
        return self.root / sha256[:2] / sha256

    def contains(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobMissingError(MSG_MISSING) from None

    def read_bytes(self, sha256: str) -> bytes:
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise BlobMissingError(MSG_MISSING) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            log.warning("blob %s is corrupt", sha256)
            raise BlobCorruptError(MSG_CORRUPT)
        return data

    def open_verified(self, sha256: str) -> Path:
        """Verify the whole file (streamed) and return its path for readers like PyMuPDF."""
        if not self.verify(sha256):
            if not self.contains(sha256):
                raise BlobMissingError(MSG_MISSING)
            log.warning("blob %s is corrupt", sha256)
            raise BlobCorruptError(MSG_CORRUPT)
        return self.path(sha256)

    def verify(self, sha256: str) -> bool:
        """True if the blob is present and matches its hash."""
        try:
            with self.path(sha256).open("rb") as f:
                return hashlib.file_digest(f, "sha256").hexdigest() == sha256
        except FileNotFoundError:
            return False

    def delete(self, sha256: str) -> None:
        # Shard directories stay: removing them would race with a concurrent commit.
        path = self.path(sha256)
        retry_locked(lambda: path.unlink(missing_ok=True))

    def quarantine(self, sha256: str) -> Path:
        """Move a corrupt blob to ``root/corrupt/`` so it is never served and can be fetched
        again; earlier quarantined copies of the same hash are kept."""
        source = self.path(sha256)
        self._corrupt.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        target = self._corrupt / f"{sha256}.{stamp}.{uuid.uuid4().hex[:8]}"
        try:
            retry_locked(lambda: source.replace(target))
        except FileNotFoundError:
            raise BlobMissingError(MSG_MISSING) from None
        log.warning("blob %s quarantined to %s", sha256, target)
        return target

    def iter_blobs(self) -> Iterator[tuple[str, int]]:
        """(sha256, size) of every committed blob; tmp/, corrupt/ and stray files are skipped."""
        return scan_shards(self.root)

    def total_size(self) -> int:
        return sum(size for _, size in self.iter_blobs())

    def clean_temp(self, older_than_seconds: float = 3600) -> int:
        """Remove staged files older than the threshold (leftovers of crashes); returns the
        count. Files still open elsewhere (Windows) are skipped and swept next time."""
        removed = remove_stale(self._tmp, time.time() - older_than_seconds)
        if removed:
            log.info("removed %d stale temp file(s)", removed)
        return removed
