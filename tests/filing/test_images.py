"""Image extraction: formats, page counts, EXIF, thumbnails, bombs and damage."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from PIL import Image

from sync.demo import samples
from sync.errors import FilingRejectedError
from sync.filing import images
from sync.filing.extracted import DocType, Extracted, Problem

Run = Callable[..., Extracted]


def _thumb(result: Extracted) -> Image.Image:
    assert result.thumbnail_png is not None
    thumb = Image.open(io.BytesIO(result.thumbnail_png))
    assert thumb.format == "PNG"
    thumb.load()
    return thumb


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **params)
    return buf.getvalue()


def test_jpeg_photo(run: Run) -> None:
    result = run(samples.jpeg_image(1600, 1200), "IMG_4711.JPG")
    assert result.doc_type is DocType.IMAGE
    assert result.mime_type == "image/jpeg"
    assert result.page_count == 1
    assert result.problems == [Problem.NO_FULL_TEXT]
    assert result.document_date == date(2024, 3, 15)  # EXIF DateTimeOriginal
    assert result.title == "IMG 4711"
    assert _thumb(result).size == (200, 150)


def test_exif_orientation_is_applied_to_the_thumbnail(run: Run) -> None:
    picture = Image.open(io.BytesIO(samples.jpeg_image(800, 600, taken=None)))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise for display
    result = run(_encode(picture, "JPEG", exif=exif), "hochkant.jpg")
    assert _thumb(result).size == (200, 267)


def test_png(run: Run) -> None:
    result = run(samples.png_image(640, 480), "plan.png")
    assert (result.mime_type, result.page_count) == ("image/png", 1)
    assert _thumb(result).size == (200, 150)


def test_multipage_tiff_counts_pages(run: Run) -> None:
    result = run(samples.multipage_tiff(3), "Fax_0001.tif")
    assert result.mime_type == "image/tiff"
    assert result.page_count == 3
    thumb = _thumb(result)
    assert thumb.mode == "L"
    assert thumb.width <= 200


def test_very_tall_image_fits_the_box(run: Run) -> None:
    result = run(_encode(Image.new("L", (100, 5000), 255), "PNG"), "streifen.png")
    assert _thumb(result).height <= 400


@pytest.mark.parametrize(
    ("fmt", "mime", "mode"),
    [
        ("GIF", "image/gif", "P"),
        ("BMP", "image/bmp", "RGB"),
        ("WEBP", "image/webp", "RGB"),
        ("PNG", "image/png", "RGBA"),
        ("PNG", "image/png", "LA"),
        ("PNG", "image/png", "I;16"),
        ("TIFF", "image/tiff", "CMYK"),
    ],
)
def test_other_formats_and_modes(run: Run, fmt: str, mime: str, mode: str) -> None:
    image = Image.open(io.BytesIO(samples.png_image(300, 200)))
    image = image.convert("L").convert(mode) if mode == "I;16" else image.convert(mode)
    result = run(_encode(image, fmt), "bild")
    assert result.mime_type == mime
    assert _thumb(result).size == (200, 133)


def test_pillow_warnings_do_not_escape(run: Run, recwarn: pytest.WarningsRecorder) -> None:
    with pytest.raises(FilingRejectedError):
        run(b"II*\x00" + b"\xff" * 200, "kaputt.tif")  # Pillow warns "Corrupt EXIF data"
    assert len(recwarn) == 0


def test_animated_gif_is_one_page(run: Run) -> None:
    frames = [Image.new("P", (50, 50), i) for i in range(4)]
    data = _encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert run(data, "animation.gif").page_count == 1


def test_decompression_bomb_is_rejected(run: Run) -> None:
    with pytest.raises(FilingRejectedError) as info:
        run(samples.bomb_png(), "riesig.png")
    assert info.value.reason == "image_bomb"
    assert "riesig.png" in info.value.message


def test_bomb_below_pillows_own_limit_is_rejected_too(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "MAX_PIXELS", 10_000)
    with pytest.raises(FilingRejectedError) as info:
        run(samples.bomb_png(200, 200), "gross.png")
    assert info.value.reason == "image_bomb"


def test_bomb_in_a_later_tiff_page_is_rejected(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [Image.new("1", (50, 50)), Image.new("1", (400, 400))]
    data = _encode(pages[0], "TIFF", save_all=True, append_images=pages[1:])
    monkeypatch.setattr(images, "MAX_PIXELS", 50 * 50)
    with pytest.raises(FilingRejectedError) as info:
        run(data, "fax.tif")
    assert info.value.reason == "image_bomb"


def test_large_image_without_thumbnail_budget(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "THUMB_DECODE_BUDGET", 1000)
    result = run(samples.png_image(300, 200), "gross.png")
    assert result.thumbnail_png is None
    assert result.page_count == 1


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (samples.jpeg_image(800, 600)[:6000], "abgeschnitten.jpg"),
        (samples.png_image(300, 200)[:2000], "abgeschnitten.png"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "leer.png"),
        (b"\xff\xd8\xff\xe0" + b"Unsinn" * 50, "unsinn.jpg"),
        (b"II*\x00" + b"\xff" * 200, "kaputt.tif"),
    ],
    ids=["truncated-jpeg", "truncated-png", "png-no-chunks", "jpeg-garbage", "tiff-garbage"],
)
def test_damaged_image_is_rejected(run: Run, data: bytes, name: str) -> None:
    with pytest.raises(FilingRejectedError) as info:
        run(data, name)
    assert info.value.reason == "image_corrupt"
    assert name in info.value.message
