"""Entry point of the content stage: detect the type of a file and extract what it holds.

The caller (the filing pipeline) has already hashed and size-checked the file and hands
in a local copy. Detection is by content only; ``file_name`` is used for the suggested
title and the NAME_CHANGED note, never to decide the type.
"""

from __future__ import annotations

import codecs
import logging
import time
import unicodedata
from pathlib import Path

from sync.errors import FilingRejectedError
from sync.filing.detect import detect
from sync.filing.extracted import (
    MAX_TEXT_CHARS,
    DocType,
    Extracted,
    Problem,
    cap_text,
    rejection,
)
from sync.filing.images import extract_image
from sync.filing.mail import extract_mail
from sync.filing.names import clean_file_name, title_from_file_name
from sync.filing.office import extract_office
from sync.filing.pdf import extract_pdf, pdf_thumbnail

log = logging.getLogger("eakte.filing")

_CORRUPT_REASON = {
    DocType.PDF: "pdf_corrupt",
    DocType.IMAGE: "image_corrupt",
    DocType.EMAIL: "mail_corrupt",
    DocType.OFFICE: "office_corrupt",
}


def extract(path: Path, file_name: str, *, thumbnail: bool = True) -> Extracted:
    """Detect the type of the file at ``path`` and extract title, dates, text and more.

    Raises ``FilingRejectedError`` (reasons: pdf_corrupt, image_corrupt, image_bomb,
    mail_corrupt, office_corrupt, unreadable) for content that must not be filed.
    Anything else that is not understood is filed as ``DocType.OTHER``.

    ``thumbnail=False`` skips the PDF thumbnail, the one costly step that filing does not
    need (make it later with ``make_thumbnail``). Images are decoded either way, because that
    is how a damaged image is recognised, so they always come with their thumbnail.

    NAME_CHANGED is reported when ``clean_file_name(file_name)`` differs from the
    NFC form of ``file_name``: NFD → NFC alone is no news to the clerk.
    """
    started = time.perf_counter()
    display_name = clean_file_name(file_name)[0]
    doc_type, mime = detect(path)
    try:
        result = _dispatch(path, display_name, doc_type, mime, thumbnail=thumbnail)
    except FilingRejectedError as exc:
        log.info("rejected %r (%s): %s", display_name, doc_type, exc.reason)
        raise
    except MemoryError:
        raise
    except Exception as exc:
        # A library choked on content we detected as ours: the file is damaged.
        log.exception("extraction of %r (%s) failed", display_name, mime)
        raise rejection(_CORRUPT_REASON.get(doc_type, "unreadable"), display_name) from exc
    if not result.title:
        result.title = title_from_file_name(file_name)
    if display_name != unicodedata.normalize("NFC", file_name):
        result.add_problem(Problem.NAME_CHANGED)
    log.debug(
        "extracted %r as %s in %.1f ms",
        display_name,
        mime,
        (time.perf_counter() - started) * 1000,
    )
    return result


def _dispatch(path: Path, name: str, doc_type: DocType, mime: str, *, thumbnail: bool) -> Extracted:
    if doc_type is DocType.PDF:
        return extract_pdf(path, name, thumbnail=thumbnail)
    if doc_type is DocType.IMAGE:
        return extract_image(path, name, mime, thumbnail=thumbnail)
    if doc_type is DocType.EMAIL:
        return extract_mail(path, name, mime)
    if doc_type is DocType.OFFICE:
        return extract_office(path, name, mime)
    if doc_type is DocType.TEXT:
        return _extract_text(path, mime)
    return Extracted(
        doc_type=DocType.OTHER,
        mime_type=mime,
        problems=[Problem.NO_PREVIEW, Problem.NO_FULL_TEXT],
    )


def _extract_text(path: Path, mime: str) -> Extracted:
    charset = mime.partition("charset=")[2] or "utf-8"
    codec = "utf-8-sig" if charset == "utf-8" else charset
    # Read only what the index can take (4 bytes per character at most), not a 2 GB log.
    with path.open("rb") as fh:
        raw = fh.read(MAX_TEXT_CHARS * 4 + 4)
        more = bool(fh.read(1))
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    text = decoder.decode(raw, final=not more).replace("\r\n", "\n")
    result = Extracted(doc_type=DocType.TEXT, mime_type=mime)
    result.text, truncated = cap_text(text, MAX_TEXT_CHARS)
    if truncated or more:
        result.add_problem(Problem.TEXT_TRUNCATED)
    if not result.text.strip():
        result.add_problem(Problem.NO_FULL_TEXT)
    return result


def make_thumbnail(path: Path) -> bytes | None:
    """The thumbnail of a PDF (first page) or image; None for other types or on failure.

    For filing with ``extract(..., thumbnail=False)`` and making thumbnails later, off
    the critical path.
    """
    doc_type, mime = detect(path)
    try:
        if doc_type is DocType.PDF:
            return pdf_thumbnail(path)
        if doc_type is DocType.IMAGE:
            return extract_image(path, path.name, mime).thumbnail_png
    except Exception:
        log.info("no thumbnail for %s", path, exc_info=True)
    return None
