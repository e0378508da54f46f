"""Where blob bytes live. The default is a content-addressed folder; the interface is small
enough that an S3-compatible store can implement it later (staging stays on local disk).

Layout: ``<root>/ab/<sha256>`` for committed blobs, ``<root>/staging/<upload id>`` for
uploads in progress.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 1024 * 1024


class BlobStorage(Protocol):
    def staging_path(self, upload_id: str) -> Path:
        """A local file that collects an upload's bytes until it is committed."""
        ...

    def discard(self, upload_id: str) -> None:
        """Remove an upload's staging file, if there is one."""
        ...

    def iter_staging(self) -> Iterator[tuple[str, float]]:
        """Names and modification times (epoch seconds) of the staging files."""
        ...

    def free_bytes(self) -> int:
        """Free space where staging files grow (uploads are refused when it runs short)."""
        ...

    def commit(self, sha256: str, staged: Path) -> None:
        """Make the verified staged file the blob ``sha256`` (atomic; idempotent)."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def digest(self, sha256: str) -> str:
        """SHA-256 of the stored bytes, read back (for ``eakte-server check``)."""
        ...

    def iter_hashes(self) -> Iterator[str]: ...


def sha256_of_file(path: Path, length: int | None = None) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        remaining = length
        while True:
            chunk = fh.read(CHUNK if remaining is None else min(CHUNK, remaining))
            if not chunk:
                break
            h.update(chunk)
            if remaining is not None:
                remaining -= len(chunk)
    return h.hexdigest()


class FilesystemBlobStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging = root / "staging"
        self.staging.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def staging_path(self, upload_id: str) -> Path:
        return self.staging / upload_id

    def discard(self, upload_id: str) -> None:
        self.staging_path(upload_id).unlink(missing_ok=True)

    def iter_staging(self) -> Iterator[tuple[str, float]]:
        for item in self.staging.iterdir():
            try:
                yield item.name, item.stat().st_mtime
            except FileNotFoundError:  # finished meanwhile
                continue

    def commit(self, sha256: str, staged: Path) -> None:
        target = self.path(sha256)
        if target.exists():
            staged.unlink(missing_ok=True)
            return
        target.parent.mkdir(exist_ok=True)
        with staged.open("rb") as fh:
            os.fsync(fh.fileno())
        staged.replace(target)
        _fsync_dir(target.parent)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def digest(self, sha256: str) -> str:
        return sha256_of_file(self.path(sha256))

    def iter_hashes(self) -> Iterator[str]:
        for folder in sorted(self.root.glob("[0-9a-f][0-9a-f]")):
            for item in sorted(folder.iterdir()):
                yield item.name

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.staging).free


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
