"""Image extraction with Pillow: size checks, page count, EXIF date, thumbnail.

Images are hostile input: a few kilobytes of PNG can declare a canvas of gigabytes. We
reject anything above ``MAX_PIXELS`` before decoding and decode the rest at reduced size
where the format allows it (JPEG) and only within a memory budget otherwise.
"""

from __future__ import annotations

import logging
import math
import struct
import warnings
import zlib
from datetime import date, datetime
from pathlib import Path

from PIL import Image, ImageOps

from sync.errors import FilingRejectedError
from sync.filing.extracted import (
    THUMB_MAX_HEIGHT,
    THUMB_WIDTH,
    DocType,
    Extracted,
    Problem,
    rejection,
)

log = logging.getLogger("eakte.filing")

#: Largest accepted canvas. A0 scanned at 300 dpi (building plans) is 139 Mpx, A4 at
#: 600 dpi 35 Mpx; this is also where Pillow's own default protection starts to refuse.
MAX_PIXELS = 178_000_000
#: Most pages (frames) we look at in a multi-page TIFF.
MAX_FRAMES = 5_000
#: Largest decoded bitmap we allow for a thumbnail, in bytes (Pillow stores RGB as 4 bytes
#: a pixel). Bigger images are filed without a thumbnail; the viewer renders them itself.
THUMB_DECODE_BUDGET = 256 * 1024 * 1024

_EXIF_IFD = 0x8769
_EXIF_DATETIME_ORIGINAL = 0x9003
_TIFF_DATETIME = 0x0132
_ORIENTATION = 0x0112


def extract_image(path: Path, name: str, mime: str, *, thumbnail: bool = True) -> Extracted:
    """Extract an image. Raises ``FilingRejectedError`` ("image_bomb", "image_corrupt")."""
    # Pillow warns about odd files (corrupt EXIF, 89 to 179 Mpx); that goes to our log,
    # not to stderr. Our own MAX_PIXELS decides about bombs.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _extract(path, name, mime)
    for warning in caught:
        log.debug("Pillow on %r: %s", name, warning.message)
    # ``thumbnail`` is accepted for symmetry with PDFs but changes nothing: an image is decoded
    # either way (that is how a damaged one is recognised), so its thumbnail costs nothing more.
    del thumbnail
    return result


def _extract(path: Path, name: str, mime: str) -> Extracted:
    result = Extracted(doc_type=DocType.IMAGE, mime_type=mime, page_count=1)
    result.add_problem(Problem.NO_FULL_TEXT)
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise _bomb(name) from exc
    except Exception as exc:
        log.info("image %r cannot be opened: %s", name, exc)
        raise rejection("image_corrupt", name) from exc
    with image:
        try:
            _check_frames(image, name, result)
            result.document_date = _exif_date(image)
            result.thumbnail_png = _thumbnail(image, name)
        except FilingRejectedError:
            raise
        except Exception as exc:
            log.info("image %r is damaged: %s", name, exc)
            raise rejection("image_corrupt", name) from exc
    return result


def _bomb(name: str) -> FilingRejectedError:
    return rejection("image_bomb", name, limit=MAX_PIXELS // 1_000_000)


def _check_frames(image: Image.Image, name: str, result: Extracted) -> None:
    """Every page of a multi-page image must stay within the pixel limit."""
    frames = min(int(getattr(image, "n_frames", 1)), MAX_FRAMES)
    for index in range(frames):
        if index:
            image.seek(index)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _bomb(name)
    if frames > 1:
        image.seek(0)
    # Frames of an animated GIF or WebP are not pages; those of a TIFF are.
    result.page_count = frames if image.format == "TIFF" else 1


def _exif_date(image: Image.Image) -> date | None:
    try:
        exif = image.getexif()
        raw = exif.get_ifd(_EXIF_IFD).get(_EXIF_DATETIME_ORIGINAL) or exif.get(_TIFF_DATETIME)
        if not isinstance(raw, str):
            return None
        # Cameras write local time without a zone: take the date as written.
        return datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S").date()
    except Exception:
        return None


def _thumbnail(image: Image.Image, name: str) -> bytes | None:
    """Decode (which also proves the data is complete) and shrink to a PNG thumbnail."""
    box = (THUMB_WIDTH, THUMB_MAX_HEIGHT)
    if image.format == "JPEG":
        # DCT scaling: libjpeg decodes at 1/2 .. 1/8 size, far less time and memory.
        width, height = image.size
        shown = (
            (height, width)
            if image.getexif().get(_ORIENTATION) in (5, 6, 7, 8)
            else (width, height)
        )
        scale = min(box[0] / shown[0], box[1] / shown[1], 1.0)
        need = (math.ceil(width * scale), math.ceil(height * scale))
        image.draft(image.mode if image.mode in ("L", "RGB") else None, need)
    width, height = image.size
    if width * height * 4 > THUMB_DECODE_BUDGET:
        log.info("image %r too large for a thumbnail (%dx%d)", name, width, height)
        return None
    image.load()
    small = ImageOps.exif_transpose(image)  # a copy, so thumbnail() may work in place
    small.thumbnail(box, Image.Resampling.BILINEAR, reducing_gap=2.0)
    small = _to_gray_or_rgb(small)
    return encode_png(small.width, small.height, len(small.getbands()), small.tobytes())


def _to_gray_or_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("L", "RGB"):
        return image
    if image.mode in ("1", "I", "I;16", "I;16B", "I;16L", "F"):
        return image.convert("L")
    if image.mode == "P" and "transparency" not in image.info:
        return image.convert("RGB")
    if "A" in image.getbands() or image.mode in ("P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def encode_png(width: int, height: int, channels: int, samples: bytes) -> bytes:
    """A PNG of 8-bit grey (1 channel) or RGB (3 channels) ``samples``, rows top down.

    Written by hand because thumbnails must be cheap: no per-row filter search and zlib
    level 1 cost a fraction of MuPDF's or Pillow's encoder on noisy scans, for files
    that are at most a third larger.
    """
    colour_type = {1: 0, 3: 2}[channels]
    stride = width * channels
    if len(samples) != stride * height:
        raise ValueError("sample buffer does not match the image size")
    rows = b"".join(
        b"\x00" + samples[offset : offset + stride] for offset in range(0, stride * height, stride)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows, 1))
        + _png_chunk(b"IEND", b"")
    )
