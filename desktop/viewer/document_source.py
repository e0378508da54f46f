"""What the viewer reads from the store, as plain values (no Qt): run inside loader jobs,
never on the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from sync.blobs.store import BlobStore
from sync.filing.detect import text_charset
from sync.filing.mail_view import MailContent, read_mail
from sync.records import queries
from sync.records.model import Blob

#: Most bytes of a text file shown; the rest is left out with a note.
MAX_TEXT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentInfo:
    document_id: str
    file_name: str
    doc_type: str
    size: int


@dataclass(frozen=True)
class DocumentFacts:
    """A document's current version: enough to choose a view and to describe the file.
    ``present``: its bytes are in the local blob cache."""

    document_id: str
    title: str
    file_name: str
    doc_type: str
    mime_type: str
    size: int
    page_count: int | None
    sha256: str
    present: bool
    problems: tuple[str, ...]
    attachments: tuple[AttachmentInfo, ...] = ()


@dataclass(frozen=True)
class TextContent:
    text: str
    charset: str
    truncated: bool


def document_facts(session: Session, document_id: str) -> DocumentFacts:
    document, version = queries.current_version(session, document_id)
    blob = session.get(Blob, version.blob_sha256)
    attachments: list[AttachmentInfo] = []
    for child in queries.attachments_of(session, document_id):
        _, child_version = queries.current_version(session, child.id)
        attachments.append(
            AttachmentInfo(child.id, child.file_name, child.doc_type, child_version.size)
        )
    return DocumentFacts(
        document_id=document.id,
        title=document.title,
        file_name=version.file_name,
        doc_type=document.doc_type,
        mime_type=document.mime_type,
        size=version.size,
        page_count=document.page_count,
        sha256=version.blob_sha256,
        present=blob is not None and blob.present,
        problems=tuple(document.problem_codes),
        attachments=tuple(attachments),
    )


def verified_path(blobs: BlobStore, sha256: str) -> Path:
    """The blob's path once its whole content matched its hash (BlobMissingError,
    BlobCorruptError otherwise)."""
    return blobs.open_verified(sha256)


def mail_content(blobs: BlobStore, facts: DocumentFacts) -> MailContent:
    return read_mail(verified_path(blobs, facts.sha256), facts.mime_type, facts.file_name)


def text_content(blobs: BlobStore, facts: DocumentFacts) -> TextContent:
    data = blobs.read_bytes(facts.sha256)  # verifies the hash
    truncated = len(data) > MAX_TEXT_BYTES
    head = data[:MAX_TEXT_BYTES]
    declared = facts.mime_type.partition("charset=")[2].strip() or None
    charset = declared or text_charset(head, complete=not truncated) or "windows-1252"
    try:
        text = head.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name in the MIME type
        charset = "windows-1252"
        text = head.decode(charset, errors="replace")
    return TextContent(text.removeprefix("\ufeff"), charset, truncated)
