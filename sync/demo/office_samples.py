"""Minimal but valid office documents (DOCX, XLSX, ODT), written with zipfile.

Only the parts the formats require, so Word, Excel and LibreOffice open them. Zip entries
carry a fixed timestamp, so the same arguments give the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape

SAMPLE_CREATED = datetime(2024, 3, 15, 10, 30, tzinfo=UTC)
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_SHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CT_OOXML = "application/vnd.openxmlformats-officedocument"


def _zip(parts: Iterable[tuple[str, str | bytes]], *, stored_first: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for index, (name, content) in enumerate(parts):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            # ODF wants its "mimetype" entry first and uncompressed, so it can be sniffed.
            stored = stored_first and index == 0
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            zf.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return buf.getvalue()


def _content_types(overrides: dict[str, str]) -> str:
    items = "".join(
        f'<Override PartName="{part}" ContentType="{ctype}"/>' for part, ctype in overrides.items()
    )
    return (
        _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f"{items}</Types>"
    )


def _rels(targets: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    )
    return _XML + f'<Relationships xmlns="{_NS_REL}">{items}</Relationships>'


def _package_rels(main_part: str) -> str:
    return _rels(
        [
            (f"{_NS_OFFICE_REL}/officeDocument", main_part),
            (
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                "core-properties",
                "docProps/core.xml",
            ),
        ]
    )


def _core(title: str | None, created: datetime) -> str:
    title_xml = f"<dc:title>{escape(title)}</dc:title>" if title else ""
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        _XML + "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{title_xml}<dc:creator>E-Akte Demo</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        "</cp:coreProperties>"
    )


def docx(
    paragraphs: Sequence[str], *, title: str | None = None, created: datetime = SAMPLE_CREATED
) -> bytes:
    """A Word document; a tab in a paragraph becomes a real tab, a newline a line break."""

    def run(text: str) -> str:
        pieces = []
        for i, line in enumerate(text.split("\n")):
            if i:
                pieces.append("<w:br/>")
            for j, cell in enumerate(line.split("\t")):
                if j:
                    pieces.append("<w:tab/>")
                pieces.append(f'<w:t xml:space="preserve">{escape(cell)}</w:t>')
        return f"<w:p><w:r>{''.join(pieces)}</w:r></w:p>"

    body = "".join(run(p) for p in paragraphs)
    document = (
        _XML + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    return _zip(
        [
            (
                "[Content_Types].xml",
                _content_types(
                    {"/word/document.xml": f"{_CT_OOXML}.wordprocessingml.document.main+xml"}
                ),
            ),
            ("_rels/.rels", _package_rels("word/document.xml")),
            ("word/document.xml", document),
            ("docProps/core.xml", _core(title, created)),
        ]
    )


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def xlsx(
    rows: Sequence[Sequence[str | int | float]],
    *,
    sheet_name: str = "Tabelle1",
    title: str | None = None,
    created: datetime = SAMPLE_CREATED,
) -> bytes:
    """An Excel workbook with one sheet; strings go to the shared string table like Excel's."""
    strings: dict[str, int] = {}
    row_xml = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
        row_xml.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = _XML + f'<worksheet xmlns="{_NS_SHEET}"><sheetData>{"".join(row_xml)}</sheetData>'
    sheet += "</worksheet>"
    shared = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    sst = (
        _XML + f'<sst xmlns="{_NS_SHEET}" count="{len(strings)}" uniqueCount="{len(strings)}">'
        f"{shared}</sst>"
    )
    workbook = (
        _XML + f'<workbook xmlns="{_NS_SHEET}" xmlns:r="{_NS_OFFICE_REL}"><sheets>'
        f'<sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    spreadsheet = f"{_CT_OOXML}.spreadsheetml"
    return _zip(
        [
            (
                "[Content_Types].xml",
                _content_types(
                    {
                        "/xl/workbook.xml": f"{spreadsheet}.sheet.main+xml",
                        "/xl/worksheets/sheet1.xml": f"{spreadsheet}.worksheet+xml",
                        "/xl/sharedStrings.xml": f"{spreadsheet}.sharedStrings+xml",
                    }
                ),
            ),
            ("_rels/.rels", _package_rels("xl/workbook.xml")),
            ("xl/workbook.xml", workbook),
            (
                "xl/_rels/workbook.xml.rels",
                _rels(
                    [
                        (f"{_NS_OFFICE_REL}/worksheet", "worksheets/sheet1.xml"),
                        (f"{_NS_OFFICE_REL}/sharedStrings", "sharedStrings.xml"),
                    ]
                ),
            ),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", sst),
            ("docProps/core.xml", _core(title, created)),
        ]
    )


_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"'
)
MIME_ODT = "application/vnd.oasis.opendocument.text"


def _odf_paragraph(text: str) -> str:
    """ODF collapses white space, so runs of spaces and tabs need their own elements."""

    def spaces(match: re.Match[str]) -> str:
        run = match.group(0)
        return f' <text:s text:c="{len(run) - 1}"/>' if len(run) > 1 else " "

    parts = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<text:line-break/>")
        cells = [re.sub(r" {2,}", spaces, escape(cell)) for cell in line.split("\t")]
        parts.append("<text:tab/>".join(cells))
    return f"<text:p>{''.join(parts)}</text:p>"


def odt(
    paragraphs: Sequence[str], *, title: str | None = None, created: datetime = SAMPLE_CREATED
) -> bytes:
    """An OpenDocument text (LibreOffice Writer)."""
    body = "".join(_odf_paragraph(p) for p in paragraphs)
    content = (
        _XML + f"<office:document-content {_ODF_NS}><office:body><office:text>{body}"
        "</office:text></office:body></office:document-content>"
    )
    title_xml = f"<dc:title>{escape(title)}</dc:title>" if title else ""
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    meta = (
        _XML + f"<office:document-meta {_ODF_NS}><office:meta>{title_xml}"
        f"<meta:creation-date>{stamp}</meta:creation-date></office:meta></office:document-meta>"
    )
    manifest = (
        _XML + '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
        'manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        f'manifest:media-type="{MIME_ODT}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return _zip(
        [
            ("mimetype", MIME_ODT),
            ("META-INF/manifest.xml", manifest),
            ("content.xml", content),
            ("meta.xml", meta),
        ],
        stored_first=True,
    )
