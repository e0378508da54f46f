"""Text and metadata of office documents (DOCX, XLSX, PPTX, ODT, ODS, ODP).

Read with zipfile and defusedxml only; no office suite involved. Office files are zip
archives of XML, so both zip bombs and XML entity tricks are on the table: every byte
read from the archive counts against ``MAX_UNCOMPRESSED``, XML is parsed as a stream with
DTDs and entities forbidden.

What is rejected: only an archive that cannot be read at all ("office_corrupt"), since
nobody could open it later either. A readable archive with broken or oversized XML is
filed without (or with partial) full text: the file itself may still open in Word.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from sync.filing.detect import (
    MIME_DOCX,
    MIME_ODP,
    MIME_ODS,
    MIME_ODT,
    MIME_OFFICE_ENCRYPTED,
    MIME_PPTX,
    MIME_XLSX,
)
from sync.filing.extracted import (
    MAX_TEXT_CHARS,
    DocType,
    Extracted,
    Problem,
    cap_text,
    local_date,
    rejection,
)
from sync.filing.names import meaningful_title

log = logging.getLogger("eakte.filing")

#: Most bytes decompressed from one office file, over all its parts.
MAX_UNCOMPRESSED = 50 * 1024 * 1024
_MAX_META_BYTES = 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"


class _BudgetExceededError(Exception):
    pass


class _Budget:
    def __init__(self, limit: int) -> None:
        self.remaining = limit


class _LimitedReader:
    """A file-like view of a zip member that stops when the shared budget is spent."""

    def __init__(self, raw: IO[bytes], budget: _Budget) -> None:
        self._raw = raw
        self._budget = budget

    def read(self, size: int = -1) -> bytes:
        want = 64 * 1024 if size is None or size < 0 else size
        data = self._raw.read(min(want, self._budget.remaining + 1))
        self._budget.remaining -= len(data)
        if self._budget.remaining < 0:
            raise _BudgetExceededError
        return data


def extract_office(
    path: Path, name: str, mime: str, *, budget: int = MAX_UNCOMPRESSED
) -> Extracted:
    result = Extracted(doc_type=DocType.OFFICE, mime_type=mime)
    result.add_problem(Problem.NO_PREVIEW)
    if mime == MIME_OFFICE_ENCRYPTED:
        result.add_problem(Problem.ENCRYPTED)
        result.add_problem(Problem.NO_FULL_TEXT)
        return result
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:
        log.info("office file %r is not a readable zip: %s", name, exc)
        raise rejection("office_corrupt", name) from exc
    with archive:
        _read_metadata(archive, mime, result)
        text, complete = _read_text(archive, mime, _Budget(budget))
    result.text, truncated = cap_text(text.strip(), MAX_TEXT_CHARS)
    if not result.text:
        result.add_problem(Problem.NO_FULL_TEXT)
    elif truncated or not complete:
        result.add_problem(Problem.TEXT_TRUNCATED)
    return result


def _read_text(archive: zipfile.ZipFile, mime: str, budget: _Budget) -> tuple[str, bool]:
    """The text and whether all of it was read (False: budget or a broken part)."""
    pieces: list[str] = []
    length = 0
    try:
        for piece in _text_pieces(archive, mime, budget):
            if not piece.strip():
                continue
            pieces.append(piece)
            length += len(piece) + 1
            if length > MAX_TEXT_CHARS:
                break  # cap_text will cut and report
    except _BudgetExceededError:
        log.info("office file decompresses to too many bytes; text cut")
        return "\n".join(pieces), False
    except Exception as exc:  # broken XML, forbidden entities, bad zip member
        log.info("office text extraction stopped: %s", exc)
        return "\n".join(pieces), False
    return "\n".join(pieces), True


def _text_pieces(archive: zipfile.ZipFile, mime: str, budget: _Budget) -> Iterator[str]:
    names = archive.namelist()
    if mime == MIME_DOCX:
        parts = ["word/document.xml", "word/footnotes.xml", "word/endnotes.xml"]
        parts += _numbered(names, r"word/(?:header|footer)(\d+)\.xml")
        for part in parts:
            yield from _paragraphs(archive, part, budget, {f"{_W}p"}, _docx_paragraph)
    elif mime == MIME_PPTX:
        for part in _numbered(names, r"ppt/slides/slide(\d+)\.xml"):
            yield from _paragraphs(archive, part, budget, {f"{_A}p"}, _pptx_paragraph)
    elif mime == MIME_XLSX:
        shared = list(_paragraphs(archive, "xl/sharedStrings.xml", budget, {f"{_S}si"}, _si))
        for part in _numbered(names, r"xl/worksheets/sheet(\d+)\.xml"):
            yield from _paragraphs(
                archive, part, budget, {f"{_S}row"}, lambda row: _xlsx_row(row, shared)
            )
    elif mime in (MIME_ODT, MIME_ODS, MIME_ODP) or mime.startswith(
        "application/vnd.oasis.opendocument"
    ):
        yield from _paragraphs(
            archive, "content.xml", budget, {f"{_TEXT}p", f"{_TEXT}h"}, _odf_paragraph
        )


def _numbered(names: list[str], pattern: str) -> list[str]:
    """Parts like "sheet10.xml" in numeric, not alphabetic order."""
    regex = re.compile(pattern)
    found = [(int(m.group(1)), n) for n in names if (m := regex.fullmatch(n))]
    return [n for _, n in sorted(found)]


def _paragraphs(
    archive: zipfile.ZipFile,
    part: str,
    budget: _Budget,
    tags: set[str],
    render: Callable[[Element], str],
) -> Iterator[str]:
    """Stream ``part`` and yield the rendered text of each element with a tag in ``tags``."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        return
    with archive.open(info) as raw:
        source = _LimitedReader(raw, budget)
        for _event, elem in SafeET.iterparse(source, events=("end",), forbid_dtd=True):
            if elem.tag in tags:
                text = render(elem)
                elem.clear()  # keeps memory flat on long documents
                yield text


def _docx_paragraph(p: Element) -> str:
    out: list[str] = []
    for elem in p.iter():
        if elem.tag == f"{_W}t":
            out.append(elem.text or "")
        elif elem.tag == f"{_W}tab":
            out.append("\t")
        elif elem.tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif elem.tag == f"{_W}noBreakHyphen":
            out.append("-")
    return "".join(out)


def _pptx_paragraph(p: Element) -> str:
    out: list[str] = []
    for elem in p.iter():
        if elem.tag == f"{_A}t":
            out.append(elem.text or "")
        elif elem.tag == f"{_A}br":
            out.append("\n")
    return "".join(out)


def _si(si: Element) -> str:
    """A shared string: its own runs, without the phonetic (rPh) annotations."""
    out: list[str] = []
    for child in si:
        if child.tag == f"{_S}t":
            out.append(child.text or "")
        elif child.tag == f"{_S}r":
            out.extend(t.text or "" for t in child.iter(f"{_S}t"))
    return "".join(out)


def _xlsx_row(row: Element, shared: list[str]) -> str:
    cells: list[str] = []
    for cell in row.iter(f"{_S}c"):
        kind = cell.get("t")
        value = cell.find(f"{_S}v")
        if kind == "inlineStr":
            text = "".join(t.text or "" for t in cell.iter(f"{_S}t"))
        elif value is None or value.text is None:
            continue
        elif kind == "s":
            index = int(value.text) if value.text.strip().isdigit() else -1
            text = shared[index] if 0 <= index < len(shared) else ""
        else:
            text = value.text
        if text.strip():
            cells.append(text.strip())
    return "\t".join(cells)


def _odf_paragraph(p: Element) -> str:
    out: list[str] = []

    def walk(elem: Element) -> None:
        out.append(elem.text or "")
        for child in elem:
            if child.tag == f"{_TEXT}s":
                out.append(" " * int(child.get(f"{_TEXT}c", "1") or 1))
            elif child.tag == f"{_TEXT}tab":
                out.append("\t")
            elif child.tag == f"{_TEXT}line-break":
                out.append("\n")
            elif child.tag not in (f"{_TEXT}note-citation", f"{_TABLE}table"):
                walk(child)
            out.append(child.tail or "")

    walk(p)
    return "".join(out)


def _read_metadata(archive: zipfile.ZipFile, mime: str, result: Extracted) -> None:
    odf = mime.startswith("application/vnd.oasis.opendocument")
    part = "meta.xml" if odf else "docProps/core.xml"
    try:
        info = archive.getinfo(part)
        if info.file_size > _MAX_META_BYTES:
            return
        root = SafeET.fromstring(archive.read(info), forbid_dtd=True)
    except Exception:  # missing or broken metadata is no reason to refuse the document
        return
    title = root.find(f".//{_DC}title")
    result.title = meaningful_title(title.text if title is not None else None)
    created = root.find(f".//{_META}creation-date" if odf else f".//{_DCTERMS}created")
    result.document_date = _iso_date(created.text if created is not None else None)


_ISO_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def _iso_date(value: str | None) -> date | None:
    """The date of an ISO 8601 timestamp; with a zone it is converted to German time."""
    if not value:
        return None
    text = _ISO_FRACTION.sub(r"\1", value.strip()).replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not 1980 <= moment.year <= 2200:
        return None
    return local_date(moment) if moment.tzinfo else moment.date()
