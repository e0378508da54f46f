"""Offline sets: dossiers marked "offline verfügbar" are kept complete on this PC.

The mark is a store setting per dossier. Before each download step the current versions of
the marked dossiers' documents are pinned (never evicted) and the missing ones queued; the
rest of the cache is filled when a document is opened and evicted least recently used
(``sync.store.cache.enforce_limit``), never a blob the server does not have yet.
"""

from __future__ import annotations

from sqlalchemy import and_, delete, select, update
from sqlalchemy.orm import Session

from sync.engine.binding import put_setting
from sync.records.model import Blob, Document, StoreSetting, Version

PREFIX = "offline:"


def set_offline(session: Session, dossier_id: str, offline: bool) -> None:
    key = PREFIX + dossier_id
    if offline:
        put_setting(session, key, "1")
    else:
        session.execute(delete(StoreSetting).where(StoreSetting.key == key))
        session.flush()
    pin_offline_sets(session)


def offline_dossiers(session: Session) -> set[str]:
    keys = session.scalars(select(StoreSetting.key).where(StoreSetting.key.like(PREFIX + "%")))
    return {key[len(PREFIX) :] for key in keys}


def pin_offline_sets(session: Session) -> dict[str, int]:
    """Pin exactly the current versions of documents in offline dossiers; returns the pinned
    blobs that are not here yet (sha -> size)."""
    dossiers = offline_dossiers(session)
    wanted: dict[str, int] = {}
    if dossiers:
        rows = session.execute(
            select(Version.blob_sha256, Version.size)
            .join(
                Document,
                and_(
                    Document.id == Version.document_id,
                    Document.current_version == Version.number,
                ),
            )
            .where(Document.dossier_id.in_(dossiers), Document.deleted_at.is_(None))
        )
        wanted = {sha: int(size) for sha, size in rows}
    session.execute(
        update(Blob).where(Blob.pinned, Blob.sha256.not_in(list(wanted))).values(pinned=False)
    )
    if wanted:
        session.execute(update(Blob).where(Blob.sha256.in_(list(wanted))).values(pinned=True))
    missing = session.execute(
        select(Blob.sha256, Blob.size).where(Blob.pinned, Blob.present.is_(False))
    )
    return {sha: int(size) for sha, size in missing}
