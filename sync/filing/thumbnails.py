"""Thumbnails, made after filing rather than during it.

Rendering the first page of a scan costs several times what the rest of filing does, so the
pipeline files without thumbnails and this pass catches up: from the command line right after
an import, and in the desktop client on a background worker. It is idempotent and resumable:
it only looks at versions that have no thumbnail yet.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy import select

from sync.errors import BlobCorruptError, BlobMissingError
from sync.filing.extract import make_thumbnail
from sync.filing.extracted import DocType, Problem
from sync.records.model import Blob, Document, Version
from sync.store.database import Store

log = logging.getLogger("eakte.filing")

BATCH = 50  # thumbnails per transaction


def pending(store: Store, limit: int) -> list[tuple[str, str]]:
    """(version id, content sha256) of current versions that should have a thumbnail."""
    with store.read() as session:
        rows = session.execute(
            select(Version.id, Version.blob_sha256)
            .join(Document, Document.id == Version.document_id)
            .join(Blob, Blob.sha256 == Version.blob_sha256)
            .where(
                Version.thumbnail_sha256.is_(None),
                Version.number == Document.current_version,
                Document.doc_type.in_([DocType.PDF.value, DocType.IMAGE.value]),
                Document.problems.not_like(f"%{Problem.NO_PREVIEW.value}%"),
                Blob.present,
            )
            .order_by(Version.created_at.desc())  # newest first: what the clerk just filed
            .limit(limit)
        )
        return [(row[0], row[1]) for row in rows]


def generate_thumbnails(
    store: Store, *, limit: int | None = None, cancelled: Callable[[], bool] = lambda: False
) -> int:
    """Make missing thumbnails; returns how many were made."""
    made = 0
    while limit is None or made < limit:
        batch = pending(store, BATCH if limit is None else min(BATCH, limit - made))
        if not batch:
            break
        results: list[tuple[str, str | None, int]] = []
        for version_id, sha in batch:
            if cancelled():
                break
            results.append((version_id, *_render(store, sha)))
        _save(store, results)
        made += sum(1 for _, thumb, _ in results if thumb)
        if cancelled() or len(results) < len(batch):
            break
    return made


def _render(store: Store, sha: str) -> tuple[str | None, int]:
    """Stage and commit the thumbnail of blob ``sha``; (thumbnail sha, size) or (None, 0)."""
    try:
        png = make_thumbnail(store.blobs.open_verified(sha))
    except (BlobMissingError, BlobCorruptError) as exc:
        log.warning("no thumbnail for %s: %s", sha, exc.code)
        png = None
    if not png:
        return None, 0
    staged = store.blobs.stage_bytes(png)
    store.blobs.commit(staged)
    return staged.sha256, staged.size


def _save(store: Store, results: list[tuple[str, str | None, int]]) -> None:
    with store.write() as session:
        for version_id, thumb, size in results:
            version = session.get_one(Version, version_id)
            if thumb is None:
                # Remember the failure so the pass does not retry it forever.
                document = session.get_one(Document, version.document_id)
                codes = [*document.problem_codes, Problem.NO_PREVIEW.value]
                document.problems = ",".join(dict.fromkeys(codes))
                continue
            if session.get(Blob, thumb) is None:
                # Derived data: it can be made again, so it may be evicted like synced content.
                session.add(Blob(sha256=thumb, size=size, synced=True, last_used=time.time()))
            version.thumbnail_sha256 = thumb
