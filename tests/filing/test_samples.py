"""The sample generators: deterministic, and the files are what they claim to be."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage

import pymupdf
import pytest
from PIL import Image

from sync.demo import samples

GENERATORS: dict[str, Callable[[], bytes]] = {
    "text_pdf": lambda: samples.text_pdf("Titel", ["Äußerst wichtig"], pages=2),
    "scanned_pdf": lambda: samples.scanned_pdf(["Zeile"], pages=1, seed=3),
    "png": lambda: samples.png_image(64, 48, seed=1),
    "jpeg": lambda: samples.jpeg_image(64, 48, seed=1),
    "tiff": lambda: samples.multipage_tiff(2, width=100, height=120, seed=2),
    "eml": lambda: samples.eml_message(
        "Betreff", "a@example.de", "b@example.de", samples.SAMPLE_DATE, "Text", [("a.txt", b"x")]
    ),
    "docx": lambda: samples.docx(["Absatz"], title="T"),
    "xlsx": lambda: samples.xlsx([["a", 1]]),
    "odt": lambda: samples.odt(["Absatz"]),
    "truncated_pdf": samples.truncated_pdf,
    "bomb_png": samples.bomb_png,
}


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_are_deterministic(name: str) -> None:
    assert GENERATORS[name]() == GENERATORS[name]()


def test_encrypted_pdf_content_is_stable() -> None:
    texts = []
    for _ in range(2):
        with pymupdf.open(stream=samples.encrypted_pdf("geheim")) as doc:
            assert doc.needs_pass
            assert doc.authenticate("geheim")
            texts.append(doc[0].get_text())
    assert texts[0] == texts[1]
    assert "Personalakte" in texts[0]


def test_seed_changes_the_content() -> None:
    assert samples.scanned_pdf(["x"], seed=1) != samples.scanned_pdf(["x"], seed=2)


def test_text_pdf_umlauts_round_trip() -> None:
    with pymupdf.open(stream=samples.text_pdf("Grüße", ["Maß und Größe: ÄÖÜ äöü ß §"])) as doc:
        text = doc[0].get_text()
        assert doc.metadata["title"] == "Grüße"
    assert "Maß und Größe: ÄÖÜ äöü ß §" in text


def test_scanned_pdf_is_image_only() -> None:
    with pymupdf.open(stream=samples.scanned_pdf(["Bescheid"], pages=2)) as doc:
        assert doc.page_count == 2
        assert all(page.get_text().strip() == "" for page in doc)
        assert all(len(page.get_images()) == 1 for page in doc)


def test_tiff_pages_and_bomb_header() -> None:
    assert Image.open(io.BytesIO(samples.multipage_tiff(4))).n_frames == 4
    bomb = samples.bomb_png()
    assert len(bomb) < 1000
    assert int.from_bytes(bomb[16:20], "big") == 50_000


def test_eml_has_encoded_headers_and_attachment() -> None:
    data = samples.eml_message(
        "Grüße",
        "Jürgen <j@example.de>",
        "b@example.de",
        samples.SAMPLE_DATE,
        "Text",
        [("Plan.pdf", b"%PDF-1.4")],
    )
    assert data.isascii()
    msg = message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["Subject"] == "Grüße"
    (attachment,) = msg.iter_attachments()
    assert attachment.get_filename() == "Plan.pdf"


@pytest.mark.parametrize(
    ("data", "required"),
    [
        (samples.docx(["x"]), {"[Content_Types].xml", "_rels/.rels", "word/document.xml"}),
        (
            samples.xlsx([["x"]]),
            {
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                "xl/worksheets/sheet1.xml",
                "xl/sharedStrings.xml",
            },
        ),
        (samples.odt(["x"]), {"mimetype", "META-INF/manifest.xml", "content.xml"}),
    ],
)
def test_office_packages(data: bytes, required: set[str]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        assert required <= set(zf.namelist())
        if "mimetype" in required:
            first = zf.infolist()[0]
            assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
