"""New content for an existing document: always a new version, never an overwrite.

A version is immutable (DESIGN.md glossary). Changed content becomes the next version, journaled
like every other change (event + outbox) in the caller's transaction. When the document has
received a version that the edit did not start from (another clerk's edit arrived by sync), the
edit is kept as well, numbered after the highest and marked as a conflict for the clerk to
resolve (sync contract rule 7); that is also how the server numbers parallel versions.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.records.guards import ensure_editable
from sync.records.journal import record_change
from sync.records.model import Blob, Document, Version
from sync.search import index_document, set_document_text

# Document fields that describe the content rather than the record: a new version may change
# them (an edited PDF has more pages). The clerk's fields (title, dates, sender) stay as they are.
CONTENT_FIELDS = frozenset({"doc_type", "mime_type", "page_count", "problems"})


def add_version(
    session: Session,
    document: Document,
    *,
    blob_sha256: str,
    size: int,
    base_number: int,
    actor: str = "",
    text: str | None = None,
    content: Mapping[str, Any] | None = None,
) -> Version:
    """Add the blob ``blob_sha256`` (already committed to the blob store, or committed before
    the caller's transaction commits) as the document's newest, current version.

    ``base_number`` is the version the new content was made from; if the document has a newer
    one by now, the new version is marked ``conflict``. ``text`` replaces the document's
    searchable text (None keeps it); ``content`` holds new values of ``CONTENT_FIELDS``.
    Closed (zdA) and deleted documents are refused with the typed errors of ``guards``.
    """
    ensure_editable(session, document)
    fields = dict(content or {})
    unknown = set(fields) - CONTENT_FIELDS
    if unknown:
        raise ValueError(f"not content fields: {sorted(unknown)}")
    _ensure_blob(session, blob_sha256, size)
    highest = session.scalar(
        select(func.max(Version.number)).where(Version.document_id == document.id)
    )
    number = int(highest or 0) + 1
    version = Version(
        document_id=document.id,
        number=number,
        blob_sha256=blob_sha256,
        size=size,
        file_name=document.file_name,
        created_by=actor,
        conflict=(highest or 0) != base_number,
    )
    session.add(version)
    # Local bookkeeping, not on the wire: the client derives "current" from the versions.
    document.current_version = number
    record_change(session, version, "create", actor=actor)
    old = {name: getattr(document, name) for name in fields}
    changed = {name for name, value in fields.items() if old[name] != value}
    if changed:
        for name in changed:
            setattr(document, name, fields[name])
        record_change(
            session,
            document,
            "update",
            actor=actor,
            fields=changed,
            details={"old": {name: old[name] for name in changed}},
        )
    if text is not None:
        set_document_text(session, document.id, text)
    index_document(session, document.id)
    return version


def _ensure_blob(session: Session, sha256: str, size: int) -> None:
    """The blob row for new content: not yet on the server, so never evicted from the cache."""
    now = time.time()
    blob = session.get(Blob, sha256)
    if blob is None:
        session.add(Blob(sha256=sha256, size=size, last_used=now))
    else:
        blob.present, blob.last_used = True, now


__all__ = ["CONTENT_FIELDS", "add_version"]
