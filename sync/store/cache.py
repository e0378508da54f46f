"""The local blob cache's size limit: least recently used blobs go first, but never one that
is pinned ("available offline") or not yet on the server (evicting it would lose it)."""

from __future__ import annotations

import logging
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.records.model import Blob
from sync.store.database import Store

log = logging.getLogger("eakte.store")


def touch(store: Store, sha256: str) -> None:
    """Mark a blob as just used (called when a document is opened)."""
    with store.write() as session:
        blob = session.get(Blob, sha256)
        if blob is not None:
            blob.last_used = time.time()


def cached_bytes(store: Store) -> int:
    with store.read() as session:
        return _present_bytes(session)


def _present_bytes(session: Session) -> int:
    total = session.scalar(select(func.coalesce(func.sum(Blob.size), 0)).where(Blob.present))
    return int(total or 0)


def enforce_limit(store: Store, limit_bytes: int) -> int:
    """Evict until the cache holds at most ``limit_bytes`` (or nothing evictable is left).

    Returns the number of bytes freed. The row is marked absent in the same transaction that
    decides the eviction; the file goes after the commit, so a crash in between leaves an
    unreferenced file (harmless) rather than a row that claims a missing file is present.
    """
    evicted: list[str] = []
    freed = 0
    with store.write() as session:
        total = _present_bytes(session)
        if total <= limit_bytes:
            return 0
        candidates = session.scalars(
            select(Blob)
            .where(Blob.present, Blob.synced, Blob.pinned.is_(False))
            .order_by(Blob.last_used)
        )
        for blob in candidates:
            if total - freed <= limit_bytes:
                break
            blob.present = False
            freed += blob.size
            evicted.append(blob.sha256)
    for sha in evicted:
        store.blobs.delete(sha)
    log.info("cache: evicted %d blobs, %d bytes freed", len(evicted), freed)
    return freed
