"""Filesystem helpers of the blob store: hash check, Windows lock retries, dir fsync, scans."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

log = logging.getLogger("eakte.blobs")

T = TypeVar("T")

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SHARD = re.compile(r"[0-9a-f]{2}")

# Windows refuses to replace or delete a file that another handle (a viewer, a virus scanner,
# the search indexer) holds open; such locks are usually gone within a fraction of a second.
# Elsewhere a PermissionError is a real permission problem, so there is nothing to wait for.
RETRIES = 6 if os.name == "nt" else 1
RETRY_DELAY = 0.05


def check_sha(sha256: str) -> None:
    # The hash becomes a path: anything but 64 lowercase hex digits could escape the store.
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")


def retry_locked(op: Callable[[], T]) -> T:
    """Run ``op``, retrying a PermissionError with exponential back-off (~1.5 s in total)."""
    for attempt in range(RETRIES - 1):
        try:
            return op()
        except PermissionError:
            log.debug("file locked, retry %d", attempt + 1)
            time.sleep(RETRY_DELAY * 2**attempt)
    return op()


def fsync_dir(path: Path) -> None:
    """Make a rename or create inside ``path`` durable. Windows cannot open directories for
    this (NTFS journals the metadata itself), and some network filesystems refuse it."""
    if os.name == "nt":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        log.debug("cannot open %s for fsync: %s", path, exc)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        log.debug("directory fsync of %s failed: %s", path, exc)
    finally:
        os.close(fd)


def scan_shards(root: Path) -> Iterator[tuple[str, int]]:
    """(name, size) of the files at ``root/ab/abcd...`` whose name is a SHA-256 that fits
    its shard; everything else there (temp, quarantine, strays, links) is not a blob."""
    for shard in _shard_dirs(root):
        with os.scandir(shard.path) as entries:
            for e in entries:
                if (
                    _SHA256.fullmatch(e.name)
                    and e.name[:2] == shard.name
                    and e.is_file(follow_symlinks=False)
                ):
                    yield e.name, e.stat(follow_symlinks=False).st_size


def _shard_dirs(path: Path) -> list[os.DirEntry[str]]:
    with os.scandir(path) as entries:
        return [e for e in entries if _SHARD.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]


def remove_stale(directory: Path, cutoff: float) -> int:
    """Remove the files in ``directory`` last modified before ``cutoff``; returns the count.
    Files that cannot be removed (still open on Windows) are left for the next sweep."""
    removed = 0
    with os.scandir(directory) as entries:
        for e in entries:
            try:
                if e.is_file(follow_symlinks=False) and e.stat().st_mtime < cutoff:
                    os.unlink(e.path)  # noqa: PTH108 - DirEntry path
                    removed += 1
            except OSError as exc:
                log.debug("%s not removed: %s", e.path, exc)
    return removed
