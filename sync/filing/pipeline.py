"""The one entry point for filing: paths or bytes in, documents in a case or dossier out.

Order of work for each file, chosen so that nothing is ever half stored:

1. copy the content into the blob store's temp area while hashing it (bounded memory);
2. a duplicate of a document already in the same case/dossier ends here, nothing is written;
3. detect the type by content and extract text and metadata (thumbnails come later, see
   ``filing.thumbnails``);
4. move the blobs into place (atomic rename), then write document, version, search index,
   event and outbox row in ONE transaction.

A blob that is in place when the transaction fails is merely unreferenced (the cache's garbage
collection removes it); a record without its blob cannot happen.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.blobs.store import BlobStore, BlobTooLargeError, SourceChangedError, StagedBlob
from sync.errors import EAkteError, FilingRejectedError, NotFoundError
from sync.filing.extract import extract
from sync.filing.extracted import Attachment, DocType, Extracted, Problem, problem_message
from sync.filing.names import clean_file_name, title_from_file_name
from sync.records.guards import ensure_open_container
from sync.records.journal import record_change
from sync.records.model import Blob, Case, Document, Dossier, Version
from sync.search import index_document, set_document_text
from sync.store.database import Store

log = logging.getLogger("eakte.filing")

Status = Literal["filed", "duplicate", "rejected"]

DEFAULT_MAX_SIZE = 2 * 1024**3  # 2 GiB: larger than any scan or mail, smaller than a disk image
MAX_ATTACHMENT_DEPTH = 3  # a mail in a mail in a mail is the most anyone has seen
# Files that operating systems and mail clients leave in folders; they are not records.
JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "~lock"}


@dataclass(frozen=True)
class FilingOutcome:
    """What became of one file. ``message`` says why it was rejected, or what a filed
    document lacks (no full text, encrypted, no preview, name adjusted)."""

    path: str
    status: Status
    document_id: str | None = None
    message: str = ""
    reason: str | None = None
    problems: tuple[str, ...] = ()
    attachment_ids: tuple[str, ...] = ()


@dataclass
class _Prepared:
    """A file that is staged and extracted, ready for the transaction."""

    file_name: str
    staged: StagedBlob
    extracted: Extracted
    notes: list[str] = field(default_factory=list)
    children: list[_Prepared] = field(default_factory=list)

    def staged_blobs(self) -> Iterator[StagedBlob]:
        yield self.staged
        for child in self.children:
            yield from child.staged_blobs()


class Filer:
    """Files documents into one store. Not thread-safe: use one per worker."""

    def __init__(self, store: Store, *, actor: str = "", max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.store = store
        self.blobs: BlobStore = store.blobs
        self.actor = actor
        self.max_size = max_size

    # -- public entry points ------------------------------------------------------------

    def file_paths(
        self,
        paths: Iterable[Path],
        target_id: str,
        *,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[FilingOutcome]:
        """File every path (folders recursively), yielding one outcome per file as it goes."""
        for path in expand_paths(paths):
            if cancelled():
                return
            yield self.file_path(path, target_id)

    def file_path(
        self, path: Path, target_id: str, *, file_name: str | None = None
    ) -> FilingOutcome:
        shown = str(path)
        try:
            staged = self.blobs.stage_file(path, max_size=self.max_size)
        except BlobTooLargeError:
            return _rejected(shown, "too_large", _too_large_message(path.name, self.max_size))
        except FileNotFoundError:
            return _rejected(
                shown,
                "vanished",
                f"Die Datei „{path.name}“ ist nicht mehr vorhanden (verschoben oder gelöscht, "
                "während sie gelesen wurde). Bitte erneut ablegen.",
            )
        except SourceChangedError:
            return _rejected(
                shown,
                "changed",
                f"Die Datei „{path.name}“ hat sich beim Lesen verändert (schreibt der Scanner "
                "noch?). Bitte warten, bis sie fertig ist, und erneut ablegen.",
            )
        except PermissionError:
            return _rejected(
                shown,
                "no_access",
                f"Auf die Datei „{path.name}“ besteht kein Lesezugriff. Ist sie noch in einem "
                "anderen Programm geöffnet?",
            )
        except OSError as exc:
            return _rejected(
                shown,
                "read_error",
                f"Die Datei „{path.name}“ konnte nicht vollständig gelesen werden "
                f"({exc.strerror or exc}). Bitte erneut ablegen.",
            )
        return self._file_staged(shown, file_name or path.name, staged, target_id)

    def file_bytes(self, data: bytes, file_name: str, target_id: str) -> FilingOutcome:
        if len(data) > self.max_size:
            return _rejected(file_name, "too_large", _too_large_message(file_name, self.max_size))
        return self._file_staged(file_name, file_name, self.blobs.stage_bytes(data), target_id)

    # -- the work -----------------------------------------------------------------------

    def _file_staged(
        self, shown: str, raw_name: str, staged: StagedBlob, target_id: str
    ) -> FilingOutcome:
        prepared: _Prepared | None = None
        try:
            if staged.size == 0:
                raise FilingRejectedError(
                    "empty",
                    f"Die Datei „{raw_name}“ ist leer (0 Byte) und wird nicht abgelegt. "
                    "Bitte die Quelle prüfen, z. B. den Scan wiederholen.",
                )
            with self.store.read() as session:
                dossier, case = resolve_target(session, target_id)
                ensure_open_container(dossier, case)
                duplicate = find_duplicate(
                    session, dossier.id, case.id if case else None, staged.sha256
                )
            if duplicate is not None:
                self.blobs.discard(staged)
                return FilingOutcome(
                    shown,
                    "duplicate",
                    duplicate,
                    f"„{raw_name}“ liegt mit identischem Inhalt bereits in diesem "
                    f"{'Vorgang' if case else 'Akte'} und wurde nicht doppelt abgelegt.",
                )
            prepared = self._prepare(raw_name, staged, depth=0)
            document_id, attachment_ids = self._commit(prepared, target_id)
        except EAkteError as exc:
            self._discard(prepared, staged)
            reason = exc.reason if isinstance(exc, FilingRejectedError) else exc.code
            return _rejected(shown, reason, exc.message)
        except BaseException:
            self._discard(prepared, staged)
            raise
        problems = tuple(str(p) for p in prepared.extracted.problems)
        message = " ".join(
            [
                *prepared.notes,
                *(
                    problem_message(p)
                    for p in prepared.extracted.problems
                    if p is not Problem.NAME_CHANGED  # the note above names both names
                ),
            ]
        )
        return FilingOutcome(
            shown, "filed", document_id, message, None, problems, tuple(attachment_ids)
        )

    def _prepare(self, raw_name: str, staged: StagedBlob, *, depth: int) -> _Prepared:
        file_name, _ = clean_file_name(raw_name)
        # Thumbnails are made afterwards (filing.thumbnails): rendering a scan's first page
        # costs more than everything else here together.
        extracted = extract(staged.temp_path, raw_name, thumbnail=False)
        notes: list[str] = []
        if Problem.NAME_CHANGED in extracted.problems:
            notes.append(f"Dateiname angepasst: „{raw_name}“ → „{file_name}“.")
        prepared = _Prepared(file_name, staged, extracted, notes)
        for attachment in extracted.attachments:
            child = self._prepare_attachment(attachment, depth + 1)
            if child is None:
                notes.append(f"Leerer Anhang „{attachment.file_name}“ wurde übersprungen.")
            else:
                prepared.children.append(child)
                notes.extend(child.notes)
        return prepared

    def _prepare_attachment(self, attachment: Attachment, depth: int) -> _Prepared | None:
        if not attachment.data:
            return None
        staged = self.blobs.stage_bytes(attachment.data)
        if depth > MAX_ATTACHMENT_DEPTH:
            return _as_other(attachment.file_name, staged, "zu tief verschachtelt")
        try:
            return self._prepare(attachment.file_name, staged, depth=depth)
        except FilingRejectedError as exc:
            # The mail is the record: an unreadable attachment is kept, just without preview.
            return _as_other(attachment.file_name, staged, exc.message)

    def _commit(self, prepared: _Prepared, target_id: str) -> tuple[str, list[str]]:
        for blob in prepared.staged_blobs():
            self.blobs.commit(blob)
        with self.store.write() as session:
            dossier, case = resolve_target(session, target_id)
            # Checked again inside the write transaction: it may have been closed meanwhile.
            ensure_open_container(dossier, case)
            document = self._insert(session, prepared, dossier, case, parent=None)
            attachment_ids = [
                self._insert(session, child, dossier, case, parent=document).id
                for child in prepared.children
            ]
        log.info(
            "filed %s as %s (%d attachments)", prepared.file_name, document.id, len(attachment_ids)
        )
        return document.id, attachment_ids

    def _insert(
        self,
        session: Session,
        prepared: _Prepared,
        dossier: Dossier,
        case: Case | None,
        parent: Document | None,
    ) -> Document:
        ex = prepared.extracted
        _upsert_blob(session, prepared.staged)
        document = Document(
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
        session.add(document)
        session.flush()
        version = Version(
            document_id=document.id,
            number=1,
            blob_sha256=prepared.staged.sha256,
            size=prepared.staged.size,
            file_name=prepared.file_name,
            created_by=self.actor,
        )
        session.add(version)
        record_change(session, document, "create", actor=self.actor)
        record_change(session, version, "create", actor=self.actor)
        set_document_text(session, document.id, ex.text)
        index_document(session, document.id)
        return document

    def _discard(self, prepared: _Prepared | None, staged: StagedBlob) -> None:
        blobs = list(prepared.staged_blobs()) if prepared else [staged]
        for blob in blobs:
            self.blobs.discard(blob)


def resolve_target(session: Session, target_id: str) -> tuple[Dossier, Case | None]:
    """A filing target is a case or a dossier, given by id."""
    case = session.get(Case, target_id)
    if case is not None:
        return session.get_one(Dossier, case.dossier_id), case
    dossier = session.get(Dossier, target_id)
    if dossier is not None:
        return dossier, None
    raise NotFoundError("Die Zielakte bzw. der Zielvorgang existiert nicht (mehr).")


def find_duplicate(
    session: Session, dossier_id: str, case_id: str | None, sha256: str
) -> str | None:
    """The id of a live document in the same place whose current content is ``sha256``."""
    place = (
        Document.case_id == case_id
        if case_id
        else ((Document.dossier_id == dossier_id) & Document.case_id.is_(None))
    )
    return session.scalar(
        select(Document.id)
        .join(
            Version,
            (Version.document_id == Document.id) & (Version.number == Document.current_version),
        )
        .where(place, Version.blob_sha256 == sha256, Document.deleted_at.is_(None))
        .limit(1)
    )


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, folders recursively in a stable order; OS junk files are skipped."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.casefold() not in JUNK_NAMES and not name.startswith("~$"):
                        yield Path(root) / name
        else:
            yield path


def _upsert_blob(session: Session, staged: StagedBlob) -> None:
    blob = session.get(Blob, staged.sha256)
    if blob is None:
        session.add(Blob(sha256=staged.sha256, size=staged.size, last_used=time.time()))
    else:
        blob.present = True
        blob.last_used = time.time()


def _as_other(file_name: str, staged: StagedBlob, why: str) -> _Prepared:
    name, _ = clean_file_name(file_name)
    extracted = Extracted(
        doc_type=DocType.OTHER,
        mime_type="application/octet-stream",
        problems=[Problem.NO_PREVIEW, Problem.NO_FULL_TEXT],
    )
    return _Prepared(name, staged, extracted, [f"Anhang „{name}“ ohne Vorschau abgelegt: {why}"])


def _rejected(shown: str, reason: str, message: str) -> FilingOutcome:
    log.info("rejected %s: %s", shown, reason)
    return FilingOutcome(shown, "rejected", None, message, reason)


def _too_large_message(name: str, limit: int) -> str:
    return (
        f"Die Datei „{name}“ ist größer als {limit // 1024**2} MB und wird nicht abgelegt. "
        "Bitte die zentrale IT ansprechen."
    )
