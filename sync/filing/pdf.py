# PyMuPDF ships partial type hints: many of its functions are untyped.
# mypy: disable-error-code="no-untyped-call"
"""PDF extraction with PyMuPDF: page count, full text, metadata, first-page thumbnail."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pymupdf

from sync.filing.extracted import (
    MAX_TEXT_CHARS,
    THUMB_MAX_HEIGHT,
    THUMB_WIDTH,
    DocType,
    Extracted,
    Problem,
    cap_text,
    local_date,
    rejection,
)
from sync.filing.images import encode_png
from sync.filing.names import meaningful_title

log = logging.getLogger("eakte.filing")

MIME_PDF = "application/pdf"
PAGE_SEPARATOR = "\f"  # between the texts of two pages, so a hit can be mapped to a page


def quiet_mupdf() -> None:
    """Keep MuPDF's warnings off stdout/stderr; they go to our log at DEBUG level instead.

    Damaged PDFs make MuPDF chatty ("trying to repair broken xref"); the clerk learns
    about that through ``Problem.REPAIRED``, not through console noise.
    """
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pymupdf.set_messages(pylogging=True, pylogging_logger=logging.getLogger("eakte.filing.mupdf"))


quiet_mupdf()


def extract_pdf(path: Path, name: str, *, thumbnail: bool = True) -> Extracted:
    """Extract a PDF. Raises ``FilingRejectedError("pdf_corrupt")`` if it cannot be used."""
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:
        log.info("PDF %r cannot be opened: %s", name, exc)
        raise rejection("pdf_corrupt", name) from exc
    try:
        return _extract(doc, name, thumbnail=thumbnail)
    finally:
        doc.close()
        _drain_warnings(name)


def pdf_thumbnail(path: Path) -> bytes | None:
    """The first-page thumbnail alone, e.g. for a background pass after filing."""
    try:
        with pymupdf.open(path, filetype="pdf") as doc:
            if doc.needs_pass or doc.page_count < 1:
                return None
            return _thumbnail(doc, path.name, Extracted(DocType.PDF, MIME_PDF))
    except Exception:
        log.info("no thumbnail for %s", path, exc_info=True)
        return None
    finally:
        _drain_warnings(path.name)


def _extract(doc: pymupdf.Document, name: str, *, thumbnail: bool) -> Extracted:
    result = Extracted(doc_type=DocType.PDF, mime_type=MIME_PDF)
    if doc.is_repaired:
        result.add_problem(Problem.REPAIRED)
    if doc.needs_pass:
        # Filed as it is: the content is intact, only we cannot look inside.
        result.page_count = _page_count_or_none(doc)
        for problem in (Problem.ENCRYPTED, Problem.NO_FULL_TEXT, Problem.NO_PREVIEW):
            result.add_problem(problem)
        return result
    page_count = _page_count_or_none(doc)
    if not page_count:
        raise rejection("pdf_corrupt", name)
    result.page_count = page_count
    metadata = doc.metadata or {}
    result.title = meaningful_title(metadata.get("title"))
    result.document_date = parse_pdf_date(metadata.get("creationDate")) or parse_pdf_date(
        metadata.get("modDate")
    )
    result.text = _full_text(doc, result)
    if not result.text.strip():
        result.add_problem(Problem.NO_FULL_TEXT)
    if thumbnail:
        result.thumbnail_png = _thumbnail(doc, name, result)
    return result


def _page_count_or_none(doc: pymupdf.Document) -> int | None:
    try:
        return int(doc.page_count)
    except Exception:
        return None


def _full_text(doc: pymupdf.Document, result: Extracted) -> str:
    parts: list[str] = []
    total = 0
    for number in range(result.page_count or 0):
        try:
            page_text = doc[number].get_text()
        except Exception as exc:  # a damaged content stream costs this page's text only
            log.info("no text from page %d: %s", number + 1, exc)
            page_text = ""
        parts.append(page_text)
        total += len(page_text) + len(PAGE_SEPARATOR)
        if total > MAX_TEXT_CHARS:  # the rest would be cut off anyway
            break
    text, truncated = cap_text(PAGE_SEPARATOR.join(parts), MAX_TEXT_CHARS)
    if truncated:
        result.add_problem(Problem.TEXT_TRUNCATED)
    return text


def _thumbnail(doc: pymupdf.Document, name: str, result: Extracted) -> bytes | None:
    try:
        page = doc[0]
        rect = page.rect
        if rect.width <= 0 or rect.height <= 0:
            return None
        zoom = min(THUMB_WIDTH / rect.width, THUMB_MAX_HEIGHT / rect.height)
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        samples = bytes(pix.samples_mv)
        if pix.n == 3 and samples[0::3] == samples[1::3] == samples[2::3]:
            # Most pages are black on white: a grey PNG is a third of the work.
            return encode_png(pix.width, pix.height, 1, samples[0::3])
        return encode_png(pix.width, pix.height, pix.n, samples)
    except Exception as exc:
        # If page 1 cannot be rendered, the viewer will not manage either.
        log.info("no thumbnail for %r: %s", name, exc)
        result.add_problem(Problem.NO_PREVIEW)
        return None


def _drain_warnings(name: str) -> None:
    # MuPDF collects warnings in a process-wide list; empty it so it cannot grow forever.
    warnings = pymupdf.TOOLS.mupdf_warnings(reset=True)
    if warnings:
        log.debug("MuPDF warnings for %r: %s", name, warnings.replace("\n", "; "))


_PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:([Zz+-])(?:(\d{2})'?(\d{2})?'?)?)?"
)


def parse_pdf_date(value: str | None) -> date | None:
    """The date of a PDF date string such as ``D:20240315101500+01'00'``.

    With a time zone the moment is converted to German local time; without one it is
    taken as written (producers then mean local time).
    """
    if not value:
        return None
    match = _PDF_DATE.match(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
        )
        if sign in ("Z", "z"):
            moment = moment.replace(tzinfo=UTC)
        elif sign in ("+", "-"):
            offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
            moment = moment.replace(tzinfo=timezone(offset if sign == "+" else -offset))
    except ValueError:
        return None
    if not 1980 <= moment.year <= 2200:
        return None
    return local_date(moment) if moment.tzinfo else moment.date()
