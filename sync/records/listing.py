"""Read models for the desktop's document list and metadata panel, as plain frozen values.

ORM objects belong to the session of the worker thread that loaded them, so nothing here
returns one. A list is one query whatever its length: the badges (conflict, waiting in the
outbox, bytes in the local cache) are correlated subqueries that SQLite answers from
indexes, not a query per row.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from sync.errors import NotFoundError, RecordClosedError, RecordDeletedError
from sync.records.guards import ensure_editable
from sync.records.model import (
    Blob,
    Case,
    Document,
    DocumentTag,
    Dossier,
    Note,
    OutboxEntry,
    Tag,
    Version,
)
from sync.records.tree import Kind


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One row of the document list. ``unsynced``: a change of the document waits in the
    outbox; ``conflict``: a version is marked as a parallel edit; ``offline``: the current
    version's bytes are in the local cache."""

    id: str
    title: str
    doc_type: str
    received_on: date | None
    sender: str | None
    case_id: str | None
    case_title: str | None
    page_count: int | None
    problems: tuple[str, ...]
    conflict: bool
    unsynced: bool
    offline: bool


@dataclass(frozen=True, slots=True)
class DocumentListing:
    """The documents of one container. ``case_ids`` are the live cases of a listed dossier:
    a change announced for one of them changes this list too."""

    container_kind: Kind
    container_id: str
    rows: tuple[DocumentRow, ...]
    case_ids: frozenset[str] = frozenset()


def list_documents(session: Session, kind: Kind, container_id: str) -> DocumentListing:
    """Top-level documents of a case, of a dossier (those in its cases included) or the
    attachments of an e-mail, in filing order. Plan units hold no documents: empty."""
    if kind == "case":
        where: ColumnElement[bool] = and_(
            Document.case_id == container_id, Document.parent_document_id.is_(None)
        )
    elif kind == "dossier":
        where = and_(Document.dossier_id == container_id, Document.parent_document_id.is_(None))
    elif kind == "document":
        where = Document.parent_document_id == container_id
    else:
        return DocumentListing(kind, container_id, ())
    current = and_(Version.document_id == Document.id, Version.number == Document.current_version)
    query = (
        select(
            Document.id,
            Document.title,
            Document.doc_type,
            Document.received_on,
            Document.sender,
            Document.case_id,
            Case.title,
            Document.page_count,
            Document.problems,
            exists().where(Version.document_id == Document.id, Version.conflict),
            exists().where(OutboxEntry.entity_id == Document.id),
            exists().where(current, Blob.sha256 == Version.blob_sha256, Blob.present),
        )
        .outerjoin(Case, Case.id == Document.case_id)
        .where(
            where,
            Document.deleted_at.is_(None),
            # A document of a case in the Papierkorb is not listed under its dossier either.
            or_(Document.case_id.is_(None), Case.deleted_at.is_(None)),
        )
        .order_by(Document.received_on, Document.created_at, Document.id)
    )
    # On the connection, not the session: plain columns need no ORM result machinery, which
    # cost a fifth of the time at 5,000 rows.
    result = session.connection().execute(query)
    rows = tuple(
        DocumentRow(
            id=doc_id,
            title=title,
            doc_type=doc_type,
            received_on=received_on,
            sender=sender,
            case_id=case_id,
            case_title=case_title,
            page_count=page_count,
            problems=tuple(p for p in problems.split(",") if p),
            conflict=bool(conflict),
            unsynced=bool(unsynced),
            offline=bool(offline),
        )
        for (
            doc_id,
            title,
            doc_type,
            received_on,
            sender,
            case_id,
            case_title,
            page_count,
            problems,
            conflict,
            unsynced,
            offline,
        ) in result
    )
    case_ids: frozenset[str] = frozenset()
    if kind == "dossier":
        case_ids = frozenset(
            session.scalars(
                select(Case.id).where(Case.dossier_id == container_id, Case.deleted_at.is_(None))
            )
        )
    return DocumentListing(kind, container_id, rows, case_ids)


@dataclass(frozen=True, slots=True)
class VersionInfo:
    number: int
    created_at: datetime
    size: int
    file_name: str
    conflict: bool


@dataclass(frozen=True, slots=True)
class NoteInfo:
    id: str
    text: str
    author: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DocumentDetails:
    """What the metadata panel shows of one document. ``read_only_reason`` is the German
    explanation why edits are refused (zdA, Papierkorb), None when it may be edited."""

    id: str
    title: str
    doc_type: str
    received_on: date | None
    document_date: date | None
    sender: str | None
    recipient: str | None
    file_name: str
    size: int | None  # of the current version
    page_count: int | None
    reference: str
    dossier_id: str
    case_id: str | None
    case_title: str | None
    problems: tuple[str, ...]
    tags: tuple[str, ...]
    notes: tuple[NoteInfo, ...]
    versions: tuple[VersionInfo, ...]
    read_only_reason: str | None

    @property
    def container_id(self) -> str:
        return self.case_id or self.dossier_id


def document_details(session: Session, document_id: str) -> DocumentDetails:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError("Das Dokument ist nicht (mehr) vorhanden.")
    dossier = session.get_one(Dossier, document.dossier_id)
    case = session.get_one(Case, document.case_id) if document.case_id else None
    try:
        # The same rules the write will apply, so the panel never offers a refused edit.
        ensure_editable(session, document)
        reason = None
    except (RecordClosedError, RecordDeletedError) as exc:
        reason = exc.message
    versions = tuple(
        VersionInfo(v.number, v.created_at, v.size, v.file_name, v.conflict)
        for v in session.scalars(
            select(Version).where(Version.document_id == document_id).order_by(Version.number)
        )
    )
    current = next((v for v in versions if v.number == document.current_version), None)
    tags = tuple(
        sorted(
            session.scalars(
                select(Tag.name)
                .join(DocumentTag, DocumentTag.tag_id == Tag.id)
                .where(DocumentTag.document_id == document_id)
            ),
            key=_dictionary_order,
        )
    )
    notes = tuple(
        NoteInfo(n.id, n.text, n.author, n.created_at)
        for n in session.scalars(
            select(Note)
            .where(
                Note.target_kind == "document",
                Note.target_id == document_id,
                Note.deleted_at.is_(None),
            )
            .order_by(Note.created_at, Note.id)
        )
    )
    return DocumentDetails(
        id=document.id,
        title=document.title,
        doc_type=document.doc_type,
        received_on=document.received_on,
        document_date=document.document_date,
        sender=document.sender,
        recipient=document.recipient,
        file_name=document.file_name,
        size=current.size if current else None,
        page_count=document.page_count,
        reference=dossier.reference,
        dossier_id=dossier.id,
        case_id=case.id if case else None,
        case_title=case.title if case else None,
        problems=tuple(document.problem_codes),
        tags=tags,
        notes=notes,
        versions=versions,
        read_only_reason=reason,
    )


def _dictionary_order(text: str) -> tuple[str, str]:
    """German dictionary order (DIN 5007-1: ä as a, ß as ss), without Qt's collator."""
    base = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in base if not unicodedata.combining(ch)), text


__all__ = [
    "DocumentDetails",
    "DocumentListing",
    "DocumentRow",
    "NoteInfo",
    "VersionInfo",
    "document_details",
    "list_documents",
]
