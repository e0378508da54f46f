"""Writing prepared files into the records: document, version, blob row, search index and
journal, all inside the caller's transaction."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.errors import NotFoundError
from sync.filing.names import title_from_file_name
from sync.filing.preparation import Prepared
from sync.records.journal import record_change
from sync.records.model import Blob, Case, Document, Dossier, Version, new_id
from sync.records.queries import in_place
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
    place = in_place(dossier_id, case_id)
    current = (Version.document_id == Document.id) & (Version.number == Document.current_version)
    rows = session.execute(
        select(Version.blob_sha256, Document.id)
        .join(Version, current)
        .where(place, Version.blob_sha256.in_(set(shas)), Document.deleted_at.is_(None))
    )
    return {sha: doc_id for sha, doc_id in rows}


def insert_documents(
    session: Session, items: Sequence[Prepared], dossier: Dossier, case: Case | None, *, actor: str
) -> list[list[str]]:
    """Insert prepared files and their attachments; per file, its document id first, then
    the ids of its attachments. Rows go in with a few flushes per batch, not several per
    document: the ORM's per-flush overhead was the largest single cost of filing."""
    built: list[tuple[Document, Version, str]] = []
    ids = [_build(item, dossier, case, actor, None, built) for item in items]
    _upsert_blobs(session, items)
    session.add_all([row for document, version, _ in built for row in (document, version)])
    session.flush()
    for document, version, _ in built:
        record_change(session, document, "create", actor=actor)
        record_change(session, version, "create", actor=actor)
    for document, _, text in built:
        set_document_text(session, document.id, text)
        index_document(session, document.id)
    return ids


def _build(
    prepared: Prepared,
    dossier: Dossier,
    case: Case | None,
    actor: str,
    parent: Document | None,
    built: list[tuple[Document, Version, str]],
) -> list[str]:
    """Document and version objects for ``prepared`` and its attachments, parents first."""
    ex = prepared.extracted
    thumb = prepared.thumbnail
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
    built.append((document, version, ex.text))
    children = [
        _build(child, dossier, case, actor, document, built)[0] for child in prepared.children
    ]
    return [document.id, *children]


def _upsert_blobs(session: Session, items: Sequence[Prepared]) -> None:
    """Blob rows for every staged file of ``items``: new ones added, known ones marked present.
    Thumbnails are derived data that can be made again, so they count as synced (evictable)."""
    wanted: dict[str, tuple[int, bool]] = {}

    def collect(item: Prepared) -> None:
        wanted.setdefault(item.staged.sha256, (item.staged.size, False))
        if item.thumbnail is not None:
            wanted.setdefault(item.thumbnail.sha256, (item.thumbnail.size, True))
        for child in item.children:
            collect(child)

    for item in items:
        collect(item)
    now = time.time()
    for blob in session.scalars(select(Blob).where(Blob.sha256.in_(wanted))):
        blob.present, blob.last_used = True, now
        del wanted[blob.sha256]
    session.add_all(
        Blob(sha256=sha, size=size, synced=synced, last_used=now)
        for sha, (size, synced) in wanted.items()
    )
