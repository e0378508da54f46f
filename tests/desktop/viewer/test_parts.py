"""The viewer's building blocks on their own: the image cache, page geometry, the render
process's functions, mail parsing and the thumbnail model."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage
from pytestqt.modeltest import ModelTester

from desktop.viewer.page_layout import GAP, MARGIN, PageLayout, Zoom, ZoomMode
from desktop.viewer.pixmap_cache import CachedImage, ImageCache
from desktop.viewer.render_client import RenderClient
from desktop.viewer.render_process import open_document, page_text, render, search_pages
from desktop.viewer.render_queue import RenderQueue
from desktop.viewer.thumbnails import ThumbnailModel
from sync.demo import samples
from sync.filing.detect import MIME_EML
from sync.filing.mail_view import read_mail


def _entry(size: int) -> CachedImage:
    return CachedImage(QImage(size // 4, 1, QImage.Format.Format_RGB32))


def test_the_cache_evicts_the_least_recently_used_by_bytes() -> None:
    cache: ImageCache[str] = ImageCache(limit_bytes=100)
    cache.put("a", _entry(40))
    cache.put("b", _entry(40))
    assert cache.get("a") is not None  # "a" is now the most recently used
    cache.put("c", _entry(40))
    assert "b" not in cache and "a" in cache and "c" in cache
    assert cache.bytes_used == 80
    cache.put("huge", _entry(500))  # over budget alone: kept, everything else goes
    assert list(k for k, _ in cache.items()) == ["huge"]
    cache.discard_where(lambda key: key == "huge")
    assert cache.bytes_used == 0 and len(cache) == 0


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_page_points_and_canvas_pixels_map_both_ways(rotation: int) -> None:
    layout = PageLayout(
        [(400, 300), (200, 200)],
        zoom=Zoom(ZoomMode.FIXED, 1.5),
        rotation=rotation,
        viewport_width=2000,
        viewport_height=800,
    )
    rect = (100.0, 50.0, 180.0, 90.0)
    canvas = layout.to_canvas(0, rect)
    back = layout.to_page(0, canvas)
    assert back == pytest.approx(rect, abs=0.01)
    # Pages are stacked with a gap, the second below the first.
    first, second = layout.rects
    assert second.top() == first.bottom() + GAP
    assert first.top() == MARGIN
    assert layout.page_at(second.top() + 1) == 1
    assert layout.visible(first.bottom() - 5, second.top() + 5) == [0, 1]


def test_fit_modes_fit_the_viewport() -> None:
    sizes = [(595, 842)]
    width = PageLayout(
        sizes, zoom=Zoom(ZoomMode.FIT_WIDTH), rotation=0, viewport_width=624, viewport_height=300
    )
    assert width.rects[0].width() == 600
    page = PageLayout(
        sizes, zoom=Zoom(ZoomMode.FIT_PAGE), rotation=0, viewport_width=624, viewport_height=424
    )
    assert page.rects[0].height() == 400
    assert Zoom().step(1.0, 1) == Zoom(ZoomMode.FIXED, 1.1)
    assert Zoom().step(1.0, -1) == Zoom(ZoomMode.FIXED, 0.9)


def test_the_render_functions_work_in_display_space(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=600, height=800)
    page.insert_text((100, 100), "Hallo Welt", fontsize=20)
    page.set_rotation(90)  # the page's own /Rotate: displayed 800 x 600
    path = tmp_path / "gedreht.pdf"
    doc.save(path)
    with open_document(str(path), "pdf") as opened:
        width, height, data = render(opened, 0, 400, 0)
        assert (width, height) == (400, 300)
        assert len(data) == width * height * 3
        [(page_no, hits)] = [found for found in search_pages(opened, "hallo") if found[1]]
        assert page_no == 0 and len(hits) == 1
        x0, y0, x1, y1 = hits[0]
        assert x0 > 600  # the text runs down the right edge of the turned page
        area = (x0 - 2, y0 - 2, x1 + 2, y1 + 2)
        assert page_text(opened, 0, area).strip() == "Hallo"


def test_an_image_pymupdf_cannot_read_is_converted(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "bild"
    Image.new("RGB", (60, 40), (10, 200, 10)).save(path, format="WEBP")
    with open_document(str(path), "image") as opened:
        assert opened.page_count == 1
        width, height, data = render(opened, 0, 60, 0)
        assert (width, height) == (60, 40)
        red, green, blue = data[0], data[1], data[2]  # packed RGB
        assert green > 150 and red < 60 and blue < 60


def test_mail_view_reads_headers_and_bodies(tmp_path: Path) -> None:
    sent = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    data = samples.eml_message(
        "Anfrage Straßenreinigung",
        "=?utf-8?q?B=C3=BCrger?= <b@example.org>",
        "amt@example.org",
        sent,
        "Text",
        html_body="<p>HTML</p>",
    )
    path = tmp_path / "m.eml"
    path.write_bytes(data)
    content = read_mail(path, MIME_EML, "m.eml")
    assert content.subject == "Anfrage Straßenreinigung"
    assert content.sender == "Bürger <b@example.org>"
    assert content.date == sent
    assert content.cc is None
    assert content.text.strip() == "Text"
    assert content.html is not None and "<p>HTML</p>" in content.html


def test_the_thumbnail_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    client = RenderClient()
    try:
        model = ThumbnailModel(RenderQueue(client, ImageCache()))
        model.set_document(1, 5, 0)
        qtmodeltester.check(model)
        assert model.rowCount() == 5
        model.set_document(None, 0, 0)
        qtmodeltester.check(model)
    finally:
        client.shutdown()


def test_layout_rects_are_whole_pixels() -> None:
    layout = PageLayout(
        [(595.3, 841.9)],
        zoom=Zoom(ZoomMode.FIXED, 1.37),
        rotation=0,
        viewport_width=500,
        viewport_height=500,
    )
    rect: QRectF = layout.rects[0]
    assert rect.width().is_integer() and rect.height().is_integer() and rect.top().is_integer()
