"""Writing prepared files into the records: document, version, blob row, search index and
journal, all inside the caller's transaction."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.blobs.store import StagedBlob
from sync.errors import NotFoundError
from sync.filing.names import title_from_file_name
from sync.filing.preparation import Prepared
from sync.records.journal import record_change
from sync.records.model import Blob, Case, Document, Dossier, Version, new_id
from sync.search import index_document, set_document_text


def resolve_target(session: Session, target_id: str) -> tuple[Dossier, Case | None]:
    """A filing target is a case or a dossier, given by id."""
    case = session.get(Case, target_id)
    if case is not None:
        return session.get_one(Dossier, case.dossier_id), case
    dossier = session.get(Dossier, target_id)
    if dossier is not None:
        return dossier, None
    raise NotFoundError("Die Zielakte bzw. der Zielvorgang existiert nicht (mehr).")


def find_duplicates(
    session: Session, dossier_id: str, case_id: str | None, shas: Iterable[str]
) -> dict[str, str]:
    """sha256 -> id of a live document in the same place whose current content it is.
    One query for a whole batch."""
    place = (
        Document.case_id == case_id
        if case_id
        else (Document.dossier_id == dossier_id) & Document.case_id.is_(None)
    )
    current = (Version.document_id == Document.id) & (Version.number == Document.current_version)
    rows = session.execute(
        select(Version.blob_sha256, Document.id)
        .join(Version, current)
        .where(place, Version.blob_sha256.in_(set(shas)), Document.deleted_at.is_(None))
    )
    return {sha: doc_id for sha, doc_id in rows}


def insert_document(
    session: Session,
    prepared: Prepared,
    dossier: Dossier,
    case: Case | None,
    *,
    actor: str,
    parent: Document | None = None,
) -> list[str]:
    """Insert ``prepared`` and its attachments; returns their ids, the document's first."""
    ex = prepared.extracted
    _upsert_blob(session, prepared.staged)
    thumb = prepared.thumbnail
    if thumb is not None:
        # Derived data: it can be made again, so it may be evicted like synced content.
        _upsert_blob(session, thumb, synced=True)
    document = Document(
        id=new_id(),
        dossier_id=dossier.id,
        case_id=case.id if case else None,
        parent_document_id=parent.id if parent else None,
        title=(ex.title or title_from_file_name(prepared.file_name))[:500],
        doc_type=str(ex.doc_type),
        mime_type=ex.mime_type,
        file_name=prepared.file_name,
        sender=ex.sender,
        recipient=ex.recipient,
        # Posteingangsdatum: the mail's date, an attachment's mail's date, else today.
        received_on=ex.received_on or (parent.received_on if parent else None) or date.today(),
        document_date=ex.document_date,
        page_count=ex.page_count,
        problems=",".join(dict.fromkeys(str(p) for p in ex.problems)),
        current_version=1,
    )
    version = Version(
        document_id=document.id,
        number=1,
        blob_sha256=prepared.staged.sha256,
        size=prepared.staged.size,
        file_name=prepared.file_name,
        thumbnail_sha256=thumb.sha256 if thumb else None,
        created_by=actor,
    )
    session.add_all([document, version])
    record_change(session, document, "create", actor=actor)
    record_change(session, version, "create", actor=actor)
    set_document_text(session, document.id, ex.text)
    index_document(session, document.id)
    ids = [document.id]
    for child in prepared.children:
        ids += insert_document(session, child, dossier, case, actor=actor, parent=document)[:1]
    return ids


def _upsert_blob(session: Session, staged: StagedBlob, *, synced: bool = False) -> None:
    blob = session.get(Blob, staged.sha256)
    if blob is None:
        session.add(
            Blob(sha256=staged.sha256, size=staged.size, synced=synced, last_used=time.time())
        )
    else:
        blob.present = True
        blob.last_used = time.time()
