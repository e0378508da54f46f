"""Getting a file ready to file: stage its bytes, extract what it says, recurse into mails.

Nothing here touches the database; a ``Prepared`` file is staged in the blob store's temp
area and extracted, waiting for the transaction in ``filing.pipeline``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sync.blobs.store import BlobStore, BlobTooLargeError, SourceChangedError, StagedBlob
from sync.errors import FilingRejectedError
from sync.filing.extract import extract
from sync.filing.extracted import Attachment, DocType, Extracted, Problem, problem_message
from sync.filing.names import clean_file_name

#: What reads a staged file: (its temp path, the name it came with) -> what it says.
Extractor = Callable[[Path, str], Extracted]

MAX_ATTACHMENT_DEPTH = 3  # a mail in a mail in a mail is the most anyone has seen


@dataclass(eq=False)
class Prepared:
    """A file that is staged and extracted, ready for the transaction."""

    shown: str  # the path or name as the clerk knows it
    file_name: str  # cleaned, Windows-safe
    staged: StagedBlob
    extracted: Extracted
    notes: list[str] = field(default_factory=list)
    children: list[Prepared] = field(default_factory=list)
    thumbnail: StagedBlob | None = None  # only where extraction made one for free (images)

    def staged_blobs(self) -> Iterator[StagedBlob]:
        yield self.staged
        if self.thumbnail is not None:
            yield self.thumbnail
        for child in self.children:
            yield from child.staged_blobs()

    def message(self) -> str:
        """What the clerk should know about the filed document, in German."""
        lacks = (
            problem_message(p)
            for p in self.extracted.problems
            if p is not Problem.NAME_CHANGED  # the note names both names instead
        )
        return " ".join([*self.notes, *lacks])


def stage_path(blobs: BlobStore, path: Path, max_size: int) -> StagedBlob:
    """Copy a file into the store's temp area; read problems become specific rejections."""
    name = path.name
    try:
        return blobs.stage_file(path, max_size=max_size)
    except BlobTooLargeError:
        raise too_large(name, max_size) from None
    except FileNotFoundError:
        raise FilingRejectedError(
            "vanished",
            f"Die Datei „{name}“ ist nicht (mehr) vorhanden – verschoben, umbenannt oder "
            "gelöscht? Bitte prüfen und erneut ablegen.",
        ) from None
    except SourceChangedError:
        raise FilingRejectedError(
            "changed",
            f"Die Datei „{name}“ hat sich beim Lesen verändert (schreibt der Scanner noch?). "
            "Bitte warten, bis sie fertig ist, und erneut ablegen.",
        ) from None
    except IsADirectoryError:
        raise FilingRejectedError("read_error", f"„{name}“ ist ein Ordner.") from None
    except PermissionError:
        raise FilingRejectedError(
            "no_access",
            f"Auf die Datei „{name}“ besteht kein Lesezugriff. Ist sie noch in einem anderen "
            "Programm geöffnet?",
        ) from None
    except OSError as exc:
        raise FilingRejectedError(
            "read_error",
            f"Die Datei „{name}“ konnte nicht vollständig gelesen werden "
            f"({exc.strerror or exc}). Bitte erneut ablegen.",
        ) from None


def too_large(name: str, limit: int) -> FilingRejectedError:
    return FilingRejectedError(
        "too_large",
        f"Die Datei „{name}“ ist größer als {limit // 1024**2} MB und wird nicht abgelegt. "
        "Bitte die zentrale IT ansprechen.",
    )


def extract_here(path: Path, raw_name: str) -> Extracted:
    """Extraction in this process. Thumbnails are made afterwards (filing.thumbnails):
    rendering a scan's first page costs more than everything else here together."""
    return extract(path, raw_name, thumbnail=False)


def prepare(
    blobs: BlobStore,
    shown: str,
    raw_name: str,
    staged: StagedBlob,
    *,
    extractor: Extractor = extract_here,
) -> Prepared:
    """Extract a staged file (and its attachments) with ``extractor``. Raises
    FilingRejectedError for content that must not be filed; the caller discards the staged
    blobs then."""
    if staged.size == 0:
        raise FilingRejectedError(
            "empty",
            f"Die Datei „{raw_name}“ ist leer (0 Byte) und wird nicht abgelegt. "
            "Bitte die Quelle prüfen, z. B. den Scan wiederholen.",
        )
    return _prepare(blobs, shown, raw_name, staged, depth=0, extractor=extractor)


def _prepare(
    blobs: BlobStore,
    shown: str,
    raw_name: str,
    staged: StagedBlob,
    *,
    depth: int,
    extractor: Extractor,
) -> Prepared:
    file_name, _ = clean_file_name(raw_name)
    extracted = extractor(staged.temp_path, raw_name)
    prepared = Prepared(shown, file_name, staged, extracted)
    if extracted.thumbnail_png:
        prepared.thumbnail = blobs.stage_bytes(extracted.thumbnail_png)
        extracted.thumbnail_png = None
    if Problem.NAME_CHANGED in extracted.problems:
        prepared.notes.append(f"Dateiname angepasst: „{raw_name}“ → „{file_name}“.")
    try:
        for attachment in extracted.attachments:
            child = _prepare_attachment(blobs, attachment, depth + 1, extractor)
            if child is None:
                prepared.notes.append(f"Leerer Anhang „{attachment.file_name}“ wurde übersprungen.")
            else:
                prepared.children.append(child)
                prepared.notes.extend(child.notes)
    except BaseException:
        if prepared.thumbnail is not None:
            blobs.discard(prepared.thumbnail)
        for child in prepared.children:
            for blob in child.staged_blobs():
                blobs.discard(blob)
        raise
    # The bytes are staged now; holding them twice in memory helps nobody.
    extracted.attachments.clear()
    return prepared


def _prepare_attachment(
    blobs: BlobStore, attachment: Attachment, depth: int, extractor: Extractor
) -> Prepared | None:
    if not attachment.data:
        return None
    staged = blobs.stage_bytes(attachment.data)
    name = attachment.file_name
    if depth > MAX_ATTACHMENT_DEPTH:
        return _as_other(name, staged, "zu tief verschachtelt")
    try:
        return _prepare(blobs, name, name, staged, depth=depth, extractor=extractor)
    except FilingRejectedError as exc:
        # The mail is the record: an unreadable attachment is kept, just without preview.
        return _as_other(name, staged, exc.message)


def _as_other(file_name: str, staged: StagedBlob, why: str) -> Prepared:
    name, _ = clean_file_name(file_name)
    extracted = Extracted(
        doc_type=DocType.OTHER,
        mime_type="application/octet-stream",
        problems=[Problem.NO_PREVIEW, Problem.NO_FULL_TEXT],
    )
    return Prepared(
        name, name, staged, extracted, [f"Anhang „{name}“ ohne Vorschau abgelegt: {why}"]
    )
