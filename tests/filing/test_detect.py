"""Type detection looks at content only."""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sync.demo import samples
from sync.filing.detect import MIME_DOCX, MIME_ODT, MIME_XLSX, detect, text_charset
from sync.filing.extracted import DocType

Put = Callable[[bytes, str], Path]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (samples.text_pdf("T", ["x"]), (DocType.PDF, "application/pdf")),
        (samples.png_image(20, 20), (DocType.IMAGE, "image/png")),
        (samples.jpeg_image(20, 20), (DocType.IMAGE, "image/jpeg")),
        (samples.multipage_tiff(1, width=20, height=20), (DocType.IMAGE, "image/tiff")),
        (samples.docx(["x"]), (DocType.OFFICE, MIME_DOCX)),
        (samples.xlsx([["x"]]), (DocType.OFFICE, MIME_XLSX)),
        (samples.odt(["x"]), (DocType.OFFICE, MIME_ODT)),
        (
            samples.eml_message("S", "a@b.de", "c@d.de", None, "x"),
            (DocType.EMAIL, "message/rfc822"),
        ),
        ("Grüße\n".encode(), (DocType.TEXT, "text/plain; charset=utf-8")),
        ("Grüße\n".encode("cp1252"), (DocType.TEXT, "text/plain; charset=windows-1252")),
        (
            codecs.BOM_UTF16_LE + "Grüße".encode("utf-16-le"),
            (DocType.TEXT, "text/plain; charset=utf-16"),
        ),
        (bytes(range(256)) * 4, (DocType.OTHER, "application/octet-stream")),
        (b"\x00\x01\x02\x03" * 100, (DocType.OTHER, "application/octet-stream")),
    ],
    ids=[
        "pdf",
        "png",
        "jpeg",
        "tiff",
        "docx",
        "xlsx",
        "odt",
        "eml",
        "utf8",
        "cp1252",
        "utf16",
        "binary",
        "nul-bytes",
    ],
)
def test_detect(put: Put, data: bytes, expected: tuple[DocType, str]) -> None:
    assert detect(put(data, "ohne_endung")) == expected


def test_names_do_not_matter(put: Put) -> None:
    pdf = samples.text_pdf("T", ["x"])
    assert detect(put(pdf, "x.txt"))[0] is DocType.PDF
    assert detect(put(samples.png_image(10, 10), "bild.pdf"))[0] is DocType.IMAGE
    assert detect(put(b"Hallo", "brief.pdf"))[0] is DocType.TEXT


@pytest.mark.parametrize(
    "text",
    [
        "BM steht für Bürgermeister\n",  # starts with the BMP magic
        "From: the text of a note\nnothing else\n",  # one header-like line is not a mail
        "Subject: Protokoll\nDate: heute\n\nText",  # no From/Received/MIME-Version anchor
        "Hinweis: bitte lesen\nDanke\n",
        "Die Datei beginnt mit %PDF-1.4 und ist trotzdem nur eine Notiz.\n",
    ],
)
def test_text_that_looks_like_something_else(put: Put, text: str) -> None:
    assert detect(put(text.encode(), "x"))[0] is DocType.TEXT


def test_mail_headers_with_continuation_and_mbox_line(put: Put) -> None:
    raw = (
        b"From MAILER-DAEMON Mon Mar  4 08:00:00 2024\n"
        b"Received: from a by b;\n\tMon, 4 Mar 2024 08:00:00 +0100\n"
        b"From: a@example.de\nSubject: Hallo\n\nText\n"
    )
    assert detect(put(raw, "x")) == (DocType.EMAIL, "message/rfc822")


def test_utf8_cut_in_the_middle_of_a_character_at_the_sniff_limit(put: Put) -> None:
    data = ("a" * (64 * 1024 - 1) + "ä" * 10).encode()  # the sniff ends inside "ä"
    assert detect(put(data, "x")) == (DocType.TEXT, "text/plain; charset=utf-8")


def test_text_charset_rules() -> None:
    assert text_charset(b"", complete=True) == "utf-8"
    assert text_charset("Straß".encode()[:-1], complete=False) == "utf-8"
    assert text_charset("Straß".encode()[:-1] + b"x", complete=True) == "windows-1252"
    assert text_charset(bytes(range(0x80, 0x100)) * 10, complete=True) is None  # not text
    assert text_charset(b"\x81\x8d\x8f", complete=True) is None  # undefined in cp1252
    assert text_charset(b"text\x1b[0m colour codes\x07" * 20, complete=True) is None


def test_epub_keeps_its_mime_type(put: Put) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("META-INF/container.xml", "<container/>")
    assert detect(put(buf.getvalue(), "x")) == (DocType.OTHER, "application/epub+zip")
