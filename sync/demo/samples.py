# PyMuPDF ships partial type hints: many of its functions are untyped.
# mypy: disable-error-code="no-untyped-call"
"""Sample documents for tests, the demo installation and benchmarks.

Pure functions returning bytes; the same arguments (and seed) give the same bytes. The
office formats are in ``sync.demo.office_samples`` and re-exported here.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import random
import struct
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from functools import cache

import pymupdf
from PIL import Image, ImageChops, ImageDraw, ImageFont

from sync.demo.office_samples import docx, odt, xlsx

__all__ = [
    "bomb_png",
    "docx",
    "eml_message",
    "encrypted_pdf",
    "jpeg_image",
    "multipage_tiff",
    "odt",
    "png_image",
    "scanned_pdf",
    "text_pdf",
    "truncated_pdf",
    "xlsx",
]

SAMPLE_DATE = datetime(2024, 3, 15, 10, 30, tzinfo=UTC)
_A4 = pymupdf.paper_rect("a4")
_MARGIN = 72.0  # one inch


def _pdf_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")


def _save_pdf(doc: pymupdf.Document, title: str, created: datetime) -> bytes:
    stamp = _pdf_date(created)
    doc.set_metadata(
        {"title": title, "creationDate": stamp, "modDate": stamp, "producer": "E-Akte Demo"}
    )
    return bytes(doc.tobytes(garbage=3, deflate=True, no_new_id=True))


def text_pdf(
    title: str,
    paragraphs: Sequence[str],
    pages: int = 1,
    *,
    created: datetime = SAMPLE_DATE,
) -> bytes:
    """A PDF with a real text layer: ``title`` on page 1, ``paragraphs`` spread over pages.

    Uses the built-in Helvetica, which covers Latin-1 (äöüß, ÄÖÜ, §) but not e.g. "–" or
    "€": those come out as "?". Text that does not fit on its page is cut.
    """
    if pages < 1:
        raise ValueError("pages must be at least 1")
    doc = pymupdf.open()
    per_page = max(1, -(-len(paragraphs) // pages))
    for number in range(pages):
        page = doc.new_page(width=_A4.width, height=_A4.height)
        top = _MARGIN
        if number == 0:
            page.insert_textbox(
                pymupdf.Rect(_MARGIN, top, _A4.width - _MARGIN, top + 40),
                title,
                fontname="hebo",
                fontsize=16,
            )
            top += 48
        chunk = paragraphs[number * per_page : (number + 1) * per_page]
        page.insert_textbox(
            pymupdf.Rect(_MARGIN, top, _A4.width - _MARGIN, _A4.height - _MARGIN),
            "\n\n".join(chunk),
            fontname="helv",
            fontsize=11,
        )
        page.insert_text(
            (_MARGIN, _A4.height - _MARGIN / 2),
            f"Seite {number + 1} von {pages}",
            fontname="helv",
            fontsize=9,
        )
    return _save_pdf(doc, title, created)


@cache
def _font_bytes() -> bytes:
    # MuPDF's built-in Helvetica (Nimbus Sans): it has ä, ö, ü and ß, which Pillow's bundled
    # default font lacks, and it is there on every platform without a system font.
    return bytes(pymupdf.Font("helv").buffer)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(io.BytesIO(_font_bytes()), size)


def _paper(
    lines: Sequence[str], size: tuple[int, int], rng: random.Random, *, font_px: int
) -> Image.Image:
    """A grey-scale "scanned" page: text, a slight skew and sensor noise."""
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    font = _font(font_px)
    margin = size[0] // 10
    y = margin
    for line in lines:
        draw.text((margin, y), line, fill=20, font=font)
        y += int(font_px * 1.5)
    page = page.rotate(rng.uniform(-0.6, 0.6), resample=Image.Resampling.BICUBIC, fillcolor=255)
    noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return ImageChops.subtract(page, noise.point(lambda v: v * 12 // 255))


def scanned_pdf(
    lines: Sequence[str], pages: int = 1, *, seed: int = 0, dpi: int = 120, quality: int = 75
) -> bytes:
    """An image-only PDF as a scanner writes it: one grey JPEG per A4 page, no text layer."""
    rng = random.Random(seed)
    size = (round(_A4.width / 72 * dpi), round(_A4.height / 72 * dpi))
    doc = pymupdf.open()
    for number in range(pages):
        image = _paper([*lines, "", f"Seite {number + 1}"], size, rng, font_px=dpi * 11 // 72)
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=quality, dpi=(dpi, dpi))
        page = doc.new_page(width=_A4.width, height=_A4.height)
        page.insert_image(page.rect, stream=buf.getvalue())
    return _save_pdf(doc, "", SAMPLE_DATE)


def _picture(width: int, height: int, text: str, seed: int) -> Image.Image:
    """A colourful RGB picture: gradient background, a few shapes and a caption."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((width, height))
    picture = Image.merge(
        "RGB", (base, base.rotate(90).resize((width, height)), Image.new("L", (width, height), 160))
    )
    draw = ImageDraw.Draw(picture)
    for _ in range(6):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(10, max(11, min(width, height) // 4))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in "rgb"))
    draw.text((10, 10), text, fill=(0, 0, 0), font=_font(max(12, height // 12)))
    return picture


def png_image(
    width: int = 640, height: int = 480, *, text: str = "Beispielbild", seed: int = 0
) -> bytes:
    buf = io.BytesIO()
    _picture(width, height, text, seed).save(buf, format="PNG")
    return buf.getvalue()


def jpeg_image(
    width: int = 1600,
    height: int = 1200,
    *,
    text: str = "Ortstermin",
    seed: int = 0,
    taken: datetime | None = SAMPLE_DATE,
    quality: int = 85,
) -> bytes:
    """A photo-like JPEG; ``taken`` goes into EXIF DateTimeOriginal like a camera does."""
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    buf = io.BytesIO()
    _picture(width, height, text, seed).save(buf, format="JPEG", quality=quality, exif=exif)
    return buf.getvalue()


def multipage_tiff(pages: int = 3, *, width: int = 850, height: int = 1100, seed: int = 0) -> bytes:
    """A bi-level, CCITT G4 compressed multi-page TIFF: what a fax or document scanner writes."""
    rng = random.Random(seed)
    images = [
        _paper([f"Telefax Seite {n + 1}", "Bauamt Witzenhausen"], (width, height), rng, font_px=28)
        .point(lambda v: 255 if v > 128 else 0)
        .convert("1")
        for n in range(pages)
    ]
    buf = io.BytesIO()
    images[0].save(
        buf, format="TIFF", compression="group4", save_all=True, append_images=images[1:]
    )
    return buf.getvalue()


def eml_message(
    subject: str,
    sender: str,
    recipient: str,
    date: datetime | None,
    body: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    *,
    html_body: str | None = None,
) -> bytes:
    """An RFC 822 message (CRLF line ends). Non-ASCII headers are RFC 2047 encoded.

    An attachment whose name ends in ".eml" is attached as a message/rfc822 part, i.e. a
    forwarded message. ``date=None`` leaves out the Date header.
    """
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = subject
    if date is not None:
        msg["Date"] = format_datetime(date)
    digest = hashlib.sha256(f"{subject}|{sender}|{date}".encode()).hexdigest()[:20]
    msg["Message-ID"] = f"<{digest}@demo.eakte.invalid>"
    msg.set_content(body)
    if html_body is not None:
        msg.add_alternative(html_body, subtype="html")
    for name, data in attachments:
        if name.lower().endswith(".eml"):
            inner = BytesParser(policy=policy.default).parsebytes(data)
            msg.add_attachment(inner, filename=name)
            continue
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    # The email package draws random MIME boundaries; fixed ones keep the bytes stable.
    for number, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"==eakte-{digest}-{number}")
    return msg.as_bytes()


def encrypted_pdf(password: str = "geheim") -> bytes:  # noqa: S107 (sample data)
    """A text PDF that needs ``password`` to open (AES-256).

    The one generator whose bytes differ from call to call: MuPDF draws the document ID
    and the AES initialisation vectors at random. The content is always the same.
    """
    plain = text_pdf("Vertraulich", ["Personalakte, nur für die Sachbearbeitung."])
    with pymupdf.open(stream=plain, filetype="pdf") as doc:
        data = doc.tobytes(
            encryption=pymupdf.PDF_ENCRYPT_AES_256,  # type: ignore[attr-defined]
            user_pw=password,
            owner_pw=password + "-owner",
            no_new_id=True,
        )
    return bytes(data)


def truncated_pdf(keep: float = 0.6) -> bytes:
    """A two-page text PDF cut off after ``keep`` of its bytes (an aborted download)."""
    full = text_pdf(
        "Abgebrochene Übertragung",
        [f"Absatz {n}: Die Übertragung wurde unterbrochen." for n in range(40)],
        pages=2,
    )
    return full[: int(len(full) * keep)]


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def bomb_png(width: int = 50_000, height: int = 50_000) -> bytes:
    """A tiny PNG that declares a giant canvas: a decompression bomb as far as its header
    goes (the pixel data is a few bytes; a decoder would allocate width*height*3)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (1 + 3 * min(width, 1024)), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )
