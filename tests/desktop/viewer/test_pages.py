"""PDFs and images on screen: pixels where the page has them, all frames of a TIFF, zoom,
rotation, thumbnails and keyboard scrolling."""

from __future__ import annotations

import io
from collections.abc import Callable

import pymupdf
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from desktop.viewer.page_canvas import PageCanvas
from desktop.viewer.widget import DocumentViewer
from tests.desktop.viewer.conftest import pdf_bytes, show

BLACK_BOX = pymupdf.Rect(100, 100, 200, 150)


def _screen_point(canvas: PageCanvas, page: int, x: float, y: float) -> QPoint:
    """Where page point (x, y) is in the canvas viewport."""
    layout = canvas.layout_info
    assert layout is not None
    spot = layout.to_canvas(page, (x, y, x, y)).topLeft()
    origin = canvas.page_rect_in_viewport(page).topLeft() - layout.rects[page].topLeft().toPoint()
    return QPoint(round(spot.x()), round(spot.y())) + origin


def _grab(canvas: PageCanvas) -> QImage:
    return canvas.viewport().grab().toImage()


def _brightness(image: QImage, point: QPoint) -> int:
    return QColor(image.pixel(point)).value()


def _wait_rendered(qtbot: QtBot, canvas: PageCanvas, page: int = 0) -> None:
    qtbot.waitUntil(lambda: canvas.is_rendered(page), timeout=30_000)


def test_a_rendered_page_has_its_black_box_where_the_pdf_has_it(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    doc_id = file_document("Kasten.pdf", pdf_bytes([[(BLACK_BOX, (0, 0, 0))]]))
    show(qtbot, viewer, doc_id)
    canvas = viewer.page_view.canvas
    assert viewer.stack.currentWidget() is viewer.page_view
    _wait_rendered(qtbot, canvas)
    image = _grab(canvas)
    # Inside the box (well away from its edges): black; outside it on the page: white.
    for x, y in ((110, 110), (150, 125), (190, 140)):
        assert _brightness(image, _screen_point(canvas, 0, x, y)) < 40, (x, y)
    for x, y in ((50, 50), (250, 125), (150, 200), (350, 250)):
        assert _brightness(image, _screen_point(canvas, 0, x, y)) > 215, (x, y)
    # Fit width: the page fills the viewport's width but for the margins.
    assert canvas.page_rect_in_viewport(0).width() > canvas.viewport().width() - 40


def test_rotation_turns_the_page_clockwise(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    doc_id = file_document("Kasten.pdf", pdf_bytes([[(BLACK_BOX, (0, 0, 0))]]))
    show(qtbot, viewer, doc_id)
    canvas = viewer.page_view.canvas
    _wait_rendered(qtbot, canvas)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert canvas.rotation == 90
    _wait_rendered(qtbot, canvas)
    page = canvas.page_rect_in_viewport(0)
    assert page.height() > page.width()  # landscape page turned upright
    image = _grab(canvas)
    # _screen_point applies the same rotation as the layout; the box must follow it.
    assert _brightness(image, _screen_point(canvas, 0, 150, 125)) < 40
    assert _brightness(image, _screen_point(canvas, 0, 50, 50)) > 215
    # Independent check: turned clockwise, the box's page-left edge is now near the top.
    box_top = page.top() + 100 / 400 * page.height()
    assert _brightness(image, QPoint(page.left() + page.width() // 2, round(box_top) + 8)) < 40


def _tiff(colours: list[tuple[int, int, int]]) -> bytes:
    frames = [Image.new("RGB", (300, 400), colour) for colour in colours]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def test_every_frame_of_a_multipage_tiff_is_a_page(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    colours = [(200, 30, 30), (30, 160, 30), (30, 30, 200)]
    doc_id = file_document("Fax.tif", _tiff(colours))
    show(qtbot, viewer, doc_id)
    canvas = viewer.page_view.canvas
    assert canvas.page_count == 3
    assert viewer.page_view.thumbnails.model().rowCount() == 3
    for page, colour in enumerate(colours):
        canvas.go_to_page(page)
        _wait_rendered(qtbot, canvas, page)
        centre = canvas.page_rect_in_viewport(page).center()
        seen = QColor(_grab(canvas).pixel(centre))
        assert abs(seen.red() - colour[0]) < 12, (page, seen.getRgb())
        assert abs(seen.green() - colour[1]) < 12, (page, seen.getRgb())
        assert abs(seen.blue() - colour[2]) < 12, (page, seen.getRgb())
    # Images have no text layer: nothing to find or copy.
    assert not viewer.commands.find.isEnabled()
    assert not viewer.commands.copy.isEnabled()


def test_keyboard_scrolls_zooms_and_thumbnails_jump(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    doc_id = file_document("Fünf.pdf", pdf_bytes([[(BLACK_BOX, (0, 0, 0))]] * 5))
    show(qtbot, viewer, doc_id)
    canvas = viewer.page_view.canvas
    canvas.setFocus()
    bar = canvas.verticalScrollBar()
    qtbot.keyClick(canvas, Qt.Key.Key_PageDown)
    assert bar.value() > 0
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    assert canvas.current_page() == 4
    assert viewer.page_box.value() == 5 and viewer.page_box.suffix() == " von 5"
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    assert bar.value() == 0 and canvas.current_page() == 0
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert bar.value() > 0

    fit_width = canvas.zoom_factor()
    qtbot.keyClick(canvas, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom_factor() > fit_width
    assert viewer.zoom_label.text() == f"{round(canvas.zoom_factor() * 100)} %"
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom_factor() < fit_width
    qtbot.keyClick(canvas, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # whole page
    page = canvas.page_rect_in_viewport(0)
    assert page.height() <= canvas.viewport().height() and page.width() <= canvas.viewport().width()
    qtbot.keyClick(canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # 100 %
    assert canvas.zoom_factor() == 1.0
    assert viewer.page_view.canvas.page_rect_in_viewport(0).width() == round(400 * 96 / 72)

    # Picking a thumbnail (here by keyboard) shows that page; the page box follows.
    strip = viewer.page_view.thumbnails
    strip.setFocus()
    strip.setCurrentIndex(strip.model().index(3, 0))
    assert canvas.current_page() == 3
    assert viewer.page_box.value() == 4
    qtbot.waitUntil(
        lambda: strip.model().index(3, 0).data(Qt.ItemDataRole.DecorationRole) is not None,
        timeout=30_000,
    )
    # F4 hides the strip; the page box goes to a page.
    viewer.commands.thumbnails.trigger()
    assert not strip.isVisible()
    viewer.page_box.setValue(2)
    assert canvas.current_page() == 1


def test_opening_a_document_records_its_last_use_for_the_cache(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    from sync.records.model import Blob, Document, Version

    doc_id = file_document("Kasten.pdf", pdf_bytes([[(BLACK_BOX, (0, 0, 0))]]))
    store = viewer._context.store

    def last_used() -> float:
        with store.read() as s:
            document = s.get_one(Document, doc_id)
            version = (
                s.query(Version)
                .filter_by(document_id=doc_id, number=document.current_version)
                .one()
            )
            return s.get_one(Blob, version.blob_sha256).last_used

    before = last_used()
    show(qtbot, viewer, doc_id)
    _wait_rendered(qtbot, viewer.page_view.canvas)
    qtbot.waitUntil(lambda: last_used() > before, timeout=10_000)
