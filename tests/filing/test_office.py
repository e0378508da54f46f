"""Office documents: text, metadata, and archives that try to hurt us."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sync.demo import samples
from sync.errors import FilingRejectedError
from sync.filing import office
from sync.filing.detect import MIME_DOCX, MIME_ODT, MIME_OFFICE_ENCRYPTED, MIME_PPTX, MIME_XLSX
from sync.filing.extracted import DocType, Extracted, Problem
from tests.support.msgfile import build_cfb

Run = Callable[..., Extracted]

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _replace(data: bytes, part: str, content: bytes) -> bytes:
    """``data`` (a zip) with ``part`` replaced by ``content``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = content if info.filename == part else src.read(info)
            dst.writestr(info.filename, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _document(body: str) -> bytes:
    return f"<w:document {W}><w:body>{body}</w:body></w:document>".encode()


def test_docx(run: Run) -> None:
    data = samples.docx(
        [
            "Vermerk über den Ortstermin",
            "Teilnehmer:\tHerr Weiß\nFrau Müller",
            "Ergebnis: genehmigt",
        ],
        title="Ortstermin Bahnhofstraße 5",
    )
    result = run(data, "Vermerk.docx")
    assert (result.doc_type, result.mime_type) == (DocType.OFFICE, MIME_DOCX)
    assert result.title == "Ortstermin Bahnhofstraße 5"
    assert result.document_date == date(2024, 3, 15)
    assert result.text == (
        "Vermerk über den Ortstermin\nTeilnehmer:\tHerr Weiß\nFrau Müller\nErgebnis: genehmigt"
    )
    assert result.problems == [Problem.NO_PREVIEW]
    assert result.thumbnail_png is None


def test_docx_ignores_deleted_text_and_field_codes(run: Run) -> None:
    body = (
        "<w:p><w:r><w:t>Sichtbar</w:t></w:r><w:del><w:r><w:delText>Gelöscht</w:delText></w:r>"
        '</w:del><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t xml:space="preserve"> '
        "bleibt</w:t></w:r></w:p>"
    )
    data = _replace(samples.docx(["x"]), "word/document.xml", _document(body))
    assert run(data, "x.docx").text == "Sichtbar bleibt"


def test_xlsx(run: Run) -> None:
    rows = [
        ["Haushaltsstelle", "Ansatz 2024", "Bemerkung"],
        ["Straßenbau", 125000, ""],
        ["Grünflächen", 12.5, "überplanmäßig"],
        ["Straßenbau", 3, "Nachtrag"],
    ]
    result = run(samples.xlsx(rows, title="Haushalt 2024"), "Haushalt.xlsx")
    assert result.mime_type == MIME_XLSX
    assert result.title == "Haushalt 2024"
    assert result.text.splitlines() == [
        "Haushaltsstelle\tAnsatz 2024\tBemerkung",
        "Straßenbau\t125000",
        "Grünflächen\t12.5\tüberplanmäßig",
        "Straßenbau\t3\tNachtrag",
    ]


def test_odt(run: Run) -> None:
    data = samples.odt(
        ["Einladung zur Sitzung", "Beginn:\t19  Uhr\nOrt: Rathaus"], title="Einladung"
    )
    result = run(data, "Einladung.odt")
    assert result.mime_type == MIME_ODT
    assert result.title == "Einladung"
    assert result.document_date == date(2024, 3, 15)
    assert result.text == "Einladung zur Sitzung\nBeginn:\t19  Uhr\nOrt: Rathaus"


def test_pptx(run: Run) -> None:
    slide = (
        '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>'
        "<p:sp><p:txBody><a:p><a:r><a:t>Folie {n}</a:t></a:r><a:br/><a:r><a:t>Zeile</a:t>"
        "</a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for n in (10, 2, 1):
            zf.writestr(f"ppt/slides/slide{n}.xml", slide.replace("{n}", str(n)))
    result = run(buf.getvalue(), "Vortrag.pptx")
    assert result.mime_type == MIME_PPTX
    assert result.text == "Folie 1\nZeile\nFolie 2\nZeile\nFolie 10\nZeile"


def test_zip_bomb_docx_stops_at_the_budget(run: Run) -> None:
    # 53 MB of white space in front of the text; deflates to about 60 KB.
    body = b"<w:p><w:r><w:t>Anfang</w:t></w:r></w:p>" + b" " * 53_000_000
    body += b"<w:p><w:r><w:t>Ende</w:t></w:r></w:p>"
    data = _replace(samples.docx(["x"]), "word/document.xml", _document(body.decode()))
    assert len(data) < 200_000
    started = time.perf_counter()
    result = run(data, "bombe.docx")
    assert time.perf_counter() - started < 5
    assert result.doc_type is DocType.OFFICE
    assert result.text == "Anfang"
    assert Problem.TEXT_TRUNCATED in result.problems


def test_budget_is_shared_by_all_parts(put: Callable[[bytes, str], Path]) -> None:
    data = samples.xlsx([["Zeile", n] for n in range(2000)])
    result = office.extract_office(put(data, "x"), "gross.xlsx", MIME_XLSX, budget=20_000)
    assert Problem.TEXT_TRUNCATED in result.problems
    assert 0 < result.text.count("\n") < 1999


def test_entity_expansion_is_refused(run: Run) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = _replace(samples.docx(["x"]), "word/document.xml", laughs.encode())
    result = run(data, "lol.docx")
    assert result.text == ""
    assert Problem.NO_FULL_TEXT in result.problems


def test_broken_xml_is_filed_without_text(run: Run) -> None:
    data = _replace(samples.docx(["x"]), "word/document.xml", b"<w:document><w:body><w:p>")
    result = run(data, "halb.docx")
    assert result.doc_type is DocType.OFFICE
    assert Problem.NO_FULL_TEXT in result.problems


def test_broken_metadata_is_ignored(run: Run) -> None:
    data = _replace(samples.docx(["Inhalt"], title="T"), "docProps/core.xml", b"<<<")
    result = run(data, "Notiz.docx")
    assert (result.title, result.text) == ("Notiz", "Inhalt")


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_docx_is_rejected(run: Run, keep: float) -> None:
    data = samples.docx([f"Absatz {n} mit etwas Text." for n in range(200)])
    with pytest.raises(FilingRejectedError) as info:
        run(data[: int(len(data) * keep)], "abgeschnitten.docx")
    assert info.value.reason == "office_corrupt"
    assert "neu speichern" in info.value.message


def test_truncated_odt_is_rejected(run: Run) -> None:
    data = samples.odt([f"Absatz {n}" for n in range(300)])
    with pytest.raises(FilingRejectedError) as info:
        run(data[: len(data) // 2], "abgeschnitten.odt")
    assert info.value.reason == "office_corrupt"


def test_plain_zip_is_other(run: Run) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("fotos/bild1.txt", "x")
    result = run(buf.getvalue(), "Archiv.docx")
    assert (result.doc_type, result.mime_type) == (DocType.OTHER, "application/zip")


def test_password_protected_office_file(run: Run) -> None:
    data = build_cfb(
        {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 200, "EncryptedPackage": b"\x00" * 5000}
    )
    result = run(data, "Gehalt.xlsx")
    assert (result.doc_type, result.mime_type) == (DocType.OFFICE, MIME_OFFICE_ENCRYPTED)
    assert set(result.problems) == {Problem.ENCRYPTED, Problem.NO_FULL_TEXT, Problem.NO_PREVIEW}
