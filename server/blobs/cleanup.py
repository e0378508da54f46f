"""Abandoned uploads: a client that never came back leaves an ``Upload`` row and its staging
file; a crash mid-request can leave a loose staging file. Both are removed once they are
older than the configured expiry (``upload_expiry_hours``), at start and then periodically."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from sqlalchemy import select

from server.context import ServerContext
from server.db.tables import Upload, utcnow

log = logging.getLogger("eakte.server.blobs")


def purge_stale_uploads(ctx: ServerContext, max_age: timedelta) -> int:
    """Remove uploads untouched for ``max_age`` and loose staging files as old; returns the
    number of staging files removed."""
    cutoff = utcnow() - max_age
    with ctx.db.write() as session:
        stale = list(session.scalars(select(Upload).where(Upload.updated_at < cutoff)))
        for upload in stale:
            session.delete(upload)
        live = set(session.scalars(select(Upload.id))) - {u.id for u in stale}
    removed = 0
    for upload in stale:
        ctx.blobs.discard(upload.id)
        removed += 1
    oldest_allowed = time.time() - max_age.total_seconds()
    for name, modified in ctx.blobs.iter_staging():
        if name not in live and modified < oldest_allowed:
            ctx.blobs.discard(name)
            removed += 1
    if removed:
        log.info("removed %d abandoned upload file(s) older than %s", removed, max_age)
    return removed
