"""PDF extraction: text, metadata, thumbnails and every kind of broken PDF."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from datetime import date

import pymupdf
import pytest
from PIL import Image

from sync.demo import samples
from sync.errors import FilingRejectedError
from sync.filing import pdf
from sync.filing.extracted import DocType, Extracted, Problem
from sync.filing.pdf import parse_pdf_date

Run = Callable[..., Extracted]

LETTER = samples.text_pdf(
    "Bescheid über Straßenreinigungsgebühren",
    [
        f"Absatz {n}: Gemäß § 5 der Satzung beträgt die Gebühr für Grundstück {n} 12,50 Euro."
        for n in range(9)
    ],
    pages=3,
)


def test_text_pdf(run: Run) -> None:
    result = run(LETTER, "Scan0001.pdf")
    assert result.doc_type is DocType.PDF
    assert result.mime_type == "application/pdf"
    assert result.page_count == 3
    assert result.title == "Bescheid über Straßenreinigungsgebühren"
    assert result.document_date == date(2024, 3, 15)
    assert "Straßenreinigungsgebühren" in result.text
    assert "Gemäß § 5" in result.text
    assert result.text.count("\f") == 2  # page separators
    assert "Seite 3 von 3" in result.text.split("\f")[2]
    assert result.problems == []
    thumb = Image.open(io.BytesIO(result.thumbnail_png or b""))
    assert thumb.format == "PNG"
    assert thumb.width == 200
    assert 270 <= thumb.height <= 290  # A4 proportions
    assert thumb.mode == "L"  # black on white is stored as grey


def test_thumbnail_can_be_skipped(run: Run) -> None:
    result = run(LETTER, "brief.pdf", thumbnail=False)
    assert result.thumbnail_png is None
    assert result.page_count == 3


def test_colour_page_keeps_colour_thumbnail(run: Run) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_rect(page.rect, color=(1, 0, 0), fill=(1, 0, 0))
    result = run(doc.tobytes(), "rot.pdf")
    thumb = Image.open(io.BytesIO(result.thumbnail_png or b"")).convert("RGB")
    assert thumb.getpixel((100, 100)) == (255, 0, 0)


def test_title_falls_back_to_file_name(run: Run) -> None:
    data = samples.text_pdf("Microsoft Word - Dokument1.docx", ["Inhalt"])
    assert run(data, "Einladung_Ortsbeirat.pdf").title == "Einladung Ortsbeirat"


def test_scanned_pdf_has_no_text_but_a_thumbnail(run: Run) -> None:
    data = samples.scanned_pdf(["Stadt Sontra", "Bescheid", "Sehr geehrte Frau Weiß,"], pages=2)
    result = run(data, "Scan_20240315.pdf")
    assert result.page_count == 2
    assert result.text.strip() == ""
    assert result.problems == [Problem.NO_FULL_TEXT]
    assert result.thumbnail_png is not None
    assert Image.open(io.BytesIO(result.thumbnail_png)).width == 200


def test_encrypted_pdf_is_filed_with_problems(run: Run) -> None:
    result = run(samples.encrypted_pdf(), "geheim.pdf")
    assert result.doc_type is DocType.PDF
    assert set(result.problems) == {Problem.ENCRYPTED, Problem.NO_FULL_TEXT, Problem.NO_PREVIEW}
    assert result.page_count == 1
    assert result.text == ""
    assert result.thumbnail_png is None
    assert result.title == "geheim"


def test_owner_password_only_pdf_is_readable(run: Run) -> None:
    with pymupdf.open(stream=LETTER, filetype="pdf") as doc:
        data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="chef", user_pw="")
    result = run(data, "brief.pdf")
    assert Problem.ENCRYPTED not in result.problems
    assert "Straßenreinigungsgebühren" in result.text


def test_truncated_pdf_is_repaired_or_rejected(run: Run) -> None:
    try:
        result = run(samples.truncated_pdf(), "abgebrochen.pdf")
    except FilingRejectedError as exc:
        assert exc.reason == "pdf_corrupt"
    else:
        assert Problem.REPAIRED in result.problems
        assert (result.page_count or 0) >= 1


def test_cut_after_header_is_rejected(run: Run) -> None:
    with pytest.raises(FilingRejectedError) as info:
        run(samples.truncated_pdf(keep=0.02), "kaputt.pdf")
    assert info.value.reason == "pdf_corrupt"
    assert "kaputt.pdf" in info.value.message
    assert "neu scannen" in info.value.message


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 20,
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n",  # a valid PDF without pages
    ],
    ids=["garbage", "zero-pages"],
)
def test_unusable_pdf_is_rejected(run: Run, data: bytes) -> None:
    with pytest.raises(FilingRejectedError) as info:
        run(data, "x.pdf")
    assert info.value.reason == "pdf_corrupt"


def test_damaged_pdf_prints_nothing(run: Run, capfd: pytest.CaptureFixture[str]) -> None:
    for data in (samples.truncated_pdf(), samples.truncated_pdf(keep=0.02), b"%PDF-1.7\nxx"):
        with contextlib.suppress(FilingRejectedError):
            run(data, "x.pdf")
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""


def test_junk_before_header_is_still_a_pdf(run: Run) -> None:
    result = run(b"\r\n" * 20 + LETTER, "mit_vorspann.bin")
    assert result.doc_type is DocType.PDF
    assert "Straßenreinigungsgebühren" in result.text


def test_text_is_capped(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_TEXT_CHARS", 100)
    result = run(LETTER, "lang.pdf")
    assert len(result.text) == 100
    assert Problem.TEXT_TRUNCATED in result.problems


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("D:20240315101500+01'00'", date(2024, 3, 15)),
        ("D:20240315233000Z", date(2024, 3, 16)),  # 00:30 in Berlin
        ("D:20240715230000Z", date(2024, 7, 16)),  # summer time: 01:00 in Berlin
        ("D:20240315233000-05'00'", date(2024, 3, 16)),
        ("D:20240315", date(2024, 3, 15)),
        ("D:2024", date(2024, 1, 1)),
        ("20240315101500", date(2024, 3, 15)),
        ("D:20241345", None),
        ("D:00000101", None),
        ("gestern", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_pdf_date(raw: str | None, expected: date | None) -> None:
    assert parse_pdf_date(raw) == expected
