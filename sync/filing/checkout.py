"""Check-out and check-in: editing a document in the program the clerk knows.

``check_out`` copies the current version's bytes to a work copy (under the document's own,
Windows-safe file name, in a folder per document) and remembers the check-out in the store.
``check_in`` brings a changed work copy back as a new version (``records.versions``), with the
text re-extracted for search; an unchanged copy adds nothing. ``finish`` checks in one last time
and removes the work copy, ``discard`` removes it without checking in.

Check-outs are kept as ``StoreSetting`` rows (key ``checkout:<document id>``, a JSON value)
rather than in a table of their own: they are this workstation's bookkeeping, never synced, a
handful at a time, only ever looked up by document or listed whole. A table would need a schema
revision, which makes every store back itself up on upgrade and an older client refuse the
store, without any query that needs real columns. One key per document also means one work
copy per document, so two check-outs can never race each other's edits.

Documents in a closed (zdA) or deleted place cannot be checked out; ``view_copy`` makes a
read-only copy of them for reading in another program instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import mimetypes
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.blobs.store import SourceChangedError, StagedBlob
from sync.errors import (
    BlobCorruptError,
    BlobMissingError,
    EAkteError,
    FilingRejectedError,
    NotFoundError,
)
from sync.filing.extract import extract
from sync.filing.extracted import Extracted, Problem
from sync.filing.names import clean_file_name
from sync.records import queries
from sync.records.guards import ensure_editable
from sync.records.model import Document, StoreSetting, Version
from sync.records.versions import add_version
from sync.store.database import Store

log = logging.getLogger("eakte.filing.checkout")

KEY_PREFIX = "checkout:"
# Word refuses paths longer than 259 characters; the store folder and the document's folder
# already take about 80 of them on Windows.
MAX_NAME_LEN = 80
_CHUNK = 1 << 20


class WorkCopyBusyError(EAkteError):
    """The work copy cannot be read or removed right now (being saved, open in a program)."""

    code = "work_copy_busy"
    title = "Datei in Bearbeitung"


@dataclass(frozen=True, slots=True)
class WorkCopy:
    """An outstanding check-out. ``version_number`` and ``blob_sha256`` are the version the
    work copy holds unchanged: the one checked out, or the one it was last checked in as."""

    document_id: str
    version_number: int
    blob_sha256: str
    path: Path
    checked_out_at: datetime
    title: str


# -- check-out ---------------------------------------------------------------------------


def check_out(store: Store, document_id: str, work_dir: Path) -> WorkCopy:
    """A work copy of the document's current version in ``work_dir/<document id>/``.

    An outstanding check-out of the document is returned as it is (its file may hold edits),
    unless its file is gone or is an untouched copy of an older version. Raises
    RecordClosedError or RecordDeletedError for documents that take no edits, and
    BlobMissingError or BlobCorruptError when the bytes are not usable on this computer.
    """
    with store.read() as session:
        document, version = queries.current_version(session, document_id)
        ensure_editable(session, document)
        existing = _load(session, document_id)
        name = _work_name(version.file_name, document.mime_type)
        title, sha = document.title, version.blob_sha256
        number = version.number
    # An outstanding copy may hold edits; only an untouched copy of an older version is renewed.
    if (
        existing is not None
        and existing.path.is_file()
        and (existing.version_number == number or changed(existing))
    ):
        return existing
    target = Path(work_dir) / document_id / name
    if existing is not None and existing.path != target:
        with contextlib.suppress(OSError):  # an untouched copy under an older name
            existing.path.unlink(missing_ok=True)
    _copy_blob(store, sha, target, title)
    work_copy = WorkCopy(document_id, number, sha, target, datetime.now(UTC), title)
    with store.write() as session:
        _save(session, work_copy)
    log.info("checked out %s version %d to %s", document_id, number, target)
    return work_copy


def view_copy(store: Store, document_id: str, view_dir: Path) -> Path:
    """A read-only copy of the current version in ``view_dir/<document id>/``, for documents
    that cannot be checked out. Nothing is recorded: changes to it are not taken back."""
    with store.read() as session:
        document, version = queries.current_version(session, document_id)
        name = _work_name(version.file_name, document.mime_type)
        title, sha = document.title, version.blob_sha256
    target = Path(view_dir) / document_id / name
    if target.is_file() and _hash(target) == sha:
        return target  # perhaps still open in a viewer, which may hold it locked
    if target.exists():
        target.chmod(stat.S_IREAD | stat.S_IWRITE)  # Windows cannot replace a read-only file
    _copy_blob(store, sha, target, title, read_only=True)
    return target


def clear_view_copies(view_dir: Path) -> None:
    """Remove read-only copies left from earlier sessions; ones still open stay."""
    if not view_dir.is_dir():
        return
    for path in sorted(view_dir.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        try:
            if path.is_dir():
                path.rmdir()
            else:
                path.chmod(stat.S_IREAD | stat.S_IWRITE)
                path.unlink()
        except OSError as exc:
            log.debug("view copy %s stays: %s", path, exc)


# -- check-in ----------------------------------------------------------------------------


def changed(work_copy: WorkCopy) -> bool:
    """Whether the work copy's content differs from the version it holds (a missing file has
    nothing to bring back)."""
    try:
        return _hash(work_copy.path) != work_copy.blob_sha256
    except FileNotFoundError:
        return False
    except PermissionError as exc:
        raise _busy(work_copy) from exc


def check_in(store: Store, work_copy: WorkCopy, *, actor: str = "") -> Version | None:
    """Add the changed work copy as the document's new version; None if it is unchanged.

    A file that is being written (it changes while read, is empty, locked or replaced just
    now) raises WorkCopyBusyError: try again later. It is never half stored: the content is
    staged and hashed first, and version, blob and check-out go in one transaction.
    """
    record = find_work_copy(store, work_copy.document_id)
    if record is None:
        raise NotFoundError(f"„{work_copy.title}“ ist nicht (mehr) zur Bearbeitung geöffnet.")
    if not changed(record):
        return None
    staged = _stage(store, record)
    try:
        version = _record_version(store, record, staged, actor)
    except BaseException:
        store.blobs.discard(staged)
        raise
    if version is None:
        store.blobs.discard(staged)
    else:
        log.info("checked in %s as version %d", record.document_id, version.number)
    return version


def _record_version(
    store: Store, record: WorkCopy, staged: StagedBlob, actor: str
) -> Version | None:
    if staged.sha256 == record.blob_sha256:
        return None  # changed back while we looked
    extracted = _extract(staged.temp_path, record.path.name)
    with store.write() as session:
        current = _load(session, record.document_id)
        if current is None:
            raise NotFoundError(f"„{record.title}“ ist nicht (mehr) zur Bearbeitung geöffnet.")
        if current.blob_sha256 == staged.sha256:
            return None  # a concurrent check-in stored this content already
        document = session.get(Document, record.document_id)
        if document is None:
            raise NotFoundError(f"Das Dokument „{record.title}“ existiert nicht mehr.")
        version = add_version(
            session,
            document,
            blob_sha256=staged.sha256,
            size=staged.size,
            base_number=current.version_number,
            actor=actor,
            text=extracted.text if extracted else "",
            content=_content_fields(extracted, document),
        )
        _save(session, replace(current, version_number=version.number, blob_sha256=staged.sha256))
        # In place before the records that point at it commit, as in filing.
        store.blobs.commit(staged)
    return version


def finish(store: Store, work_copy: WorkCopy, *, actor: str = "") -> Version | None:
    """Check in a last time, then remove the work copy and its check-out."""
    version = check_in(store, work_copy, actor=actor)
    discard(store, work_copy)
    return version


def discard(store: Store, work_copy: WorkCopy) -> None:
    """Remove the work copy and forget the check-out, without checking in. Raises
    WorkCopyBusyError (and keeps the check-out) while a program holds the file open."""
    try:
        work_copy.path.unlink(missing_ok=True)
    except OSError as exc:
        raise WorkCopyBusyError(
            f"Die Arbeitskopie von „{work_copy.title}“ ist noch in einem Programm geöffnet. "
            "Bitte das Programm schließen und es dann noch einmal versuchen."
        ) from exc
    folder = work_copy.path.parent
    if folder.name == work_copy.document_id:  # only ever our own per-document folder
        # Editors leave lock files beside the document; one still held open stays behind.
        shutil.rmtree(folder, ignore_errors=True)
    with store.write() as session:
        row = session.get(StoreSetting, KEY_PREFIX + work_copy.document_id)
        if row is not None:
            session.delete(row)
    log.info("work copy of %s removed", work_copy.document_id)


# -- outstanding check-outs ----------------------------------------------------------------


def open_work_copies(store: Store) -> list[WorkCopy]:
    """Every outstanding check-out, oldest first (so a restart finds edits made while the
    application was closed)."""
    with store.read() as session:
        rows = session.scalars(
            select(StoreSetting).where(StoreSetting.key.startswith(KEY_PREFIX, autoescape=True))
        ).all()
        copies = [c for row in rows if (c := _decode(row)) is not None]
    return sorted(copies, key=lambda c: c.checked_out_at)


def find_work_copy(store: Store, document_id: str) -> WorkCopy | None:
    with store.read() as session:
        return _load(session, document_id)


def _load(session: Session, document_id: str) -> WorkCopy | None:
    row = session.get(StoreSetting, KEY_PREFIX + document_id)
    return None if row is None else _decode(row)


def _save(session: Session, work_copy: WorkCopy) -> None:
    value = json.dumps(
        {
            "version": work_copy.version_number,
            "sha256": work_copy.blob_sha256,
            "path": str(work_copy.path),
            "checked_out_at": work_copy.checked_out_at.isoformat(),
            "title": work_copy.title,
        },
        ensure_ascii=False,
    )
    key = KEY_PREFIX + work_copy.document_id
    row = session.get(StoreSetting, key)
    if row is None:
        session.add(StoreSetting(key=key, value=value))
    else:
        row.value = value


def _decode(row: StoreSetting) -> WorkCopy | None:
    try:
        data: dict[str, Any] = json.loads(row.value)
        return WorkCopy(
            document_id=row.key.removeprefix(KEY_PREFIX),
            version_number=int(data["version"]),
            blob_sha256=str(data["sha256"]),
            path=Path(data["path"]),
            checked_out_at=datetime.fromisoformat(data["checked_out_at"]),
            title=str(data["title"]),
        )
    except (ValueError, KeyError, TypeError):
        log.warning("unreadable check-out record %s skipped", row.key)
        return None


# -- files -------------------------------------------------------------------------------


def _work_name(file_name: str, mime_type: str) -> str:
    """The document's file name, Windows-safe and short; with an extension, so that the
    operating system knows which program opens it."""
    name = clean_file_name(file_name, MAX_NAME_LEN)[0]
    if not Path(name).suffix:
        guessed = mimetypes.guess_extension(mime_type.partition(";")[0].strip())
        if guessed:
            name = clean_file_name(name + guessed, MAX_NAME_LEN)[0]
    return name


def _copy_blob(
    store: Store, sha256: str, target: Path, title: str, *, read_only: bool = False
) -> None:
    """Copy blob ``sha256`` to ``target`` while verifying it, durably and atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    temp = Path(name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, store.blobs.path(sha256).open("rb") as source:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            # Before the check-out is recorded: a torn copy must never look like an edit.
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            log.warning("blob %s is corrupt", sha256)
            raise BlobCorruptError(
                f"Die gespeicherte Datei von „{title}“ ist beschädigt (Prüfsumme stimmt nicht). "
                "Bitte die Synchronisierung starten, um sie neu zu laden."
            )
        if read_only:
            temp.chmod(stat.S_IREAD)
        temp.replace(target)
    except FileNotFoundError:
        temp.unlink(missing_ok=True)
        raise BlobMissingError(
            f"Die Datei von „{title}“ ist auf diesem Rechner nicht vorhanden. Bitte die "
            "Synchronisierung starten, um sie zu laden, und das Dokument dann erneut öffnen."
        ) from None
    except PermissionError as exc:
        temp.unlink(missing_ok=True)
        raise WorkCopyBusyError(
            f"Die Datei „{target.name}“ ist noch in einem Programm geöffnet. Bitte das "
            "Programm schließen und das Dokument dann erneut öffnen."
        ) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _hash(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _busy(work_copy: WorkCopy) -> WorkCopyBusyError:
    return WorkCopyBusyError(
        f"„{work_copy.title}“ wird gerade gespeichert oder ist gesperrt. "
        "Die Änderungen werden übernommen, sobald die Datei fertig geschrieben ist."
    )


def _stage(store: Store, work_copy: WorkCopy) -> StagedBlob:
    try:
        staged = store.blobs.stage_file(work_copy.path)
    except (SourceChangedError, FileNotFoundError, PermissionError) as exc:
        # Being written, or replaced by the editor's save (write a temp file, rename).
        raise _busy(work_copy) from exc
    except OSError as exc:
        raise EAkteError(
            f"Die Arbeitskopie von „{work_copy.title}“ konnte nicht gelesen werden "
            f"({exc.strerror or exc}). Bitte freien Speicherplatz prüfen und erneut speichern.",
            title="Arbeitskopie nicht lesbar",
        ) from exc
    if staged.size == 0:
        # Editors that save in place truncate first: an empty file is a save in progress.
        store.blobs.discard(staged)
        raise _busy(work_copy)
    return staged


def _extract(path: Path, file_name: str) -> Extracted | None:
    """What the new content says, for search; None if it cannot be read (it is kept anyway:
    the clerk's edit matters more than its full text)."""
    try:
        return extract(path, file_name, thumbnail=False)
    except FilingRejectedError as exc:
        log.info("new version of %r not extracted: %s", file_name, exc.reason)
        return None


def _content_fields(extracted: Extracted | None, document: Document) -> dict[str, Any]:
    if extracted is None:
        problems = [*document.problem_codes, Problem.NO_FULL_TEXT.value]
        return {"problems": ",".join(dict.fromkeys(problems))}
    problems = [str(p) for p in extracted.problems]
    if Problem.NAME_CHANGED.value in document.problem_codes:
        problems.append(Problem.NAME_CHANGED.value)  # about the filed name, which stays
    return {
        "doc_type": str(extracted.doc_type),
        "mime_type": extracted.mime_type,
        "page_count": extracted.page_count,
        "problems": ",".join(dict.fromkeys(problems)),
    }
