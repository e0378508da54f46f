"""Dragging documents out of the app: Explorer and mail programs get files, the app gets ids.

A drag carries file URLs of copies of the documents' current versions, named as the
documents are (Windows-safe), in a temp folder of this process that is removed at exit, and
the ids in ``INTERNAL_MIME`` for moves inside the app. The copies are made in a worker
(``export_copies``); the blob store itself is never handed out, so no other program can
change a stored version through the file it was given. Copies stay until the app exits:
a mail program may attach a dropped file only when the mail is sent.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMetaType, QMimeData, QUrl
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.dropping.mime_sources import INTERNAL_MIME, internal_payload
from sync.blobs.store import BlobStore
from sync.errors import BlobCorruptError, BlobMissingError, EAkteError
from sync.filing.names import clean_file_name
from sync.records.model import Document, Version

log = logging.getLogger("eakte.desktop.dropping")

_CHUNK = 1024 * 1024
URI_LIST = "text/uri-list"
COPY_WAIT_SECONDS = 10.0
_folder: Path | None = None
_folder_lock = threading.Lock()


def drag_folder() -> Path:
    """This process's folder for drag copies, created on first use, removed at exit."""
    global _folder
    with _folder_lock:
        if _folder is None:
            _folder = Path(tempfile.mkdtemp(prefix="eakte-ziehen-"))
            atexit.register(shutil.rmtree, _folder, ignore_errors=True)
        return _folder


@dataclass
class Exported:
    """The copies made for one drag, and the documents that could not be copied (why)."""

    document_ids: list[str]
    paths: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def export_copies(session: Session, blobs: BlobStore, document_ids: list[str]) -> Exported:
    """Copy each document's current version into a fresh folder under ``drag_folder()``
    (one folder per drag, so two documents of the same name never meet)."""
    exported = Exported(list(document_ids))
    folder = Path(tempfile.mkdtemp(dir=drag_folder()))
    used: set[str] = set()
    for document_id in document_ids:
        document = session.get(Document, document_id)
        if document is None or document.is_deleted:
            continue
        sha = session.scalar(
            select(Version.blob_sha256).where(
                Version.document_id == document.id, Version.number == document.current_version
            )
        )
        if sha is None:
            continue
        name = _unique(clean_file_name(document.file_name)[0], used)
        try:
            _copy_verified(blobs, sha, folder / name)
        except EAkteError as exc:
            exported.problems.append(f"„{document.title}“: {exc.message}")
            continue
        exported.paths.append(folder / name)
    return exported


def _unique(name: str, used: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, number = name, 1
    while candidate.casefold() in used:  # Windows compares names without case
        number += 1
        candidate = f"{stem} ({number}){dot}{ext}"
    used.add(candidate.casefold())
    return candidate


def _copy_verified(blobs: BlobStore, sha: str, target: Path) -> None:
    """Copy the blob while hashing it: a damaged blob is never handed out."""
    digest = hashlib.sha256()
    try:
        with blobs.path(sha).open("rb") as source, target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except FileNotFoundError:
        target.unlink(missing_ok=True)
        raise BlobMissingError(
            QCoreApplication.translate(
                "DragOut",
                "Die Datei ist auf diesem Rechner nicht vorhanden. Bitte die "
                "Synchronisierung starten und erneut ziehen.",
            )
        ) from None
    if digest.hexdigest() != sha:
        target.unlink(missing_ok=True)
        log.warning("blob %s is corrupt, not handed out", sha)
        raise BlobCorruptError(
            QCoreApplication.translate(
                "DragOut",
                "Die gespeicherte Datei ist beschädigt (Prüfsumme stimmt nicht) und wird "
                "nicht herausgegeben. Bitte die Synchronisierung starten, um sie neu zu laden.",
            )
        )


class DocumentsMime(QMimeData):
    """Drag data of documents whose copies are made in a worker while the drag starts.

    The ids are there at once. The file URLs are asked for only when something outside the
    app takes the drop (Explorer, a mail program); by then the copies are normally long
    done. Should a drop beat them, ``retrieveData`` waits for them, at most
    ``COPY_WAIT_SECONDS``, because a drop that silently carries no file would be worse.
    """

    def __init__(self, store_id: str, document_ids: list[str]) -> None:
        super().__init__()
        self.setData(INTERNAL_MIME, internal_payload(store_id, document_ids))
        self.copies = Copies()

    def formats(self) -> list[str]:
        return [*super().formats(), URI_LIST]

    def hasFormat(self, mimetype: str) -> bool:  # noqa: N802
        return mimetype == URI_LIST or super().hasFormat(mimetype)

    def retrieveData(self, mimetype: str, preferred: QMetaType | QMetaType.Type) -> Any:  # noqa: N802
        if mimetype != URI_LIST:
            return super().retrieveData(mimetype, preferred)
        if not self.copies.done.is_set():
            log.info("a drop came before the drag copies were ready; waiting for them")
        if not self.copies.done.wait(COPY_WAIT_SECONDS):
            log.warning("drag copies not ready after %s s", COPY_WAIT_SECONDS)
            return []
        # A list of QUrl: Qt turns it into urls() and into text/uri-list bytes alike.
        return [QUrl.fromLocalFile(str(path)) for path in self.copies.paths]


class Copies:
    """Filled by the worker (plain Python, no Qt: the drag data may be gone by then)."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.paths: list[Path] = []

    def make(self, session: Session, blobs: BlobStore, document_ids: list[str]) -> Exported:
        """``export_copies`` in the worker; ``done`` is set even if it fails."""
        try:
            exported = export_copies(session, blobs, document_ids)
            self.paths = exported.paths
            return exported
        finally:
            self.done.set()
