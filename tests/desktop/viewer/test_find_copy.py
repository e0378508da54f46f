"""Find in a PDF (hits, highlights, next/previous) and copying text to the clipboard."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication
from pytestqt.qtbot import QtBot

from desktop.viewer.widget import DocumentViewer
from tests.desktop.viewer.conftest import pdf_bytes, show

TEXTS = [
    [((40, 60), "Bauantrag der Familie Krause"), ((40, 200), "Zweiter Bauantrag im Anhang")],
    [((40, 60), "Lageplan ohne das Suchwort")],
    [((40, 60), "Stellungnahme zum BAUANTRAG"), ((40, 120), "Baugenehmigung folgt")],
]


def _three_pages(file_document: Callable[[str, bytes], str]) -> str:
    return file_document("Antrag.pdf", pdf_bytes([[], [], []], texts=TEXTS))


def _mean_brightness(viewer: DocumentViewer, page: int, rect: tuple[float, ...]) -> float:
    canvas = viewer.page_view.canvas
    layout = canvas.layout_info
    assert layout is not None
    area = layout.to_canvas(page, (rect[0], rect[1], rect[2], rect[3]))
    shift = canvas.page_rect_in_viewport(page).topLeft() - layout.rects[page].topLeft().toPoint()
    image = canvas.viewport().grab().toImage()
    values = [
        QColor(image.pixel(QPoint(x, y) + shift)).lightness()
        for x in range(round(area.left()) + 1, round(area.right()) - 1, 2)
        for y in range(round(area.top()) + 1, round(area.bottom()) - 1, 2)
    ]
    return sum(values) / len(values)


def test_find_counts_and_highlights_every_hit(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    show(qtbot, viewer, _three_pages(file_document))
    pages = viewer.page_view
    canvas = pages.canvas
    qtbot.waitUntil(lambda: canvas.is_rendered(0), timeout=30_000)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pages.find_bar.isVisible() and pages.find_bar.field.hasFocus()
    plain = None
    qtbot.keyClicks(pages.find_bar.field, "bauantrag")
    qtbot.keyClick(pages.find_bar.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pages.find_bar.count.text() == "Treffer 1 von 3", timeout=30_000)
    hits = canvas.hits
    assert {page: len(rects) for page, rects in hits.items()} == {0: 2, 2: 1}
    # The first hit is the current one and is painted: darker than the white around it.
    current = canvas.current_hit
    assert current is not None and current[0] == 0
    qtbot.waitUntil(lambda: canvas.is_rendered(0), timeout=30_000)
    plain = _mean_brightness(viewer, 0, (300, 250, 380, 280))  # empty paper
    marked = _mean_brightness(viewer, 0, current[1])
    assert marked < plain - 30
    # F3 and Shift+F3 walk the hits, across pages and around.
    qtbot.keyClick(canvas, Qt.Key.Key_F3)
    qtbot.keyClick(canvas, Qt.Key.Key_F3)
    assert pages.find_bar.count.text() == "Treffer 3 von 3"
    assert canvas.current_hit is not None and canvas.current_hit[0] == 2
    qtbot.keyClick(canvas, Qt.Key.Key_F3)
    assert pages.find_bar.count.text() == "Treffer 1 von 3"
    qtbot.keyClick(canvas, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert pages.find_bar.count.text() == "Treffer 3 von 3"
    # A term that is not there.
    pages.find_bar.field.setFocus()
    pages.find_bar.field.setText("Baumschule")
    qtbot.keyClick(pages.find_bar.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pages.find_bar.count.text() == "Keine Treffer", timeout=30_000)
    assert canvas.hits == {}
    qtbot.keyClick(pages.find_bar.field, Qt.Key.Key_Escape)
    assert not pages.find_bar.isVisible()


def test_copy_page_puts_the_page_text_in_the_clipboard(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    show(qtbot, viewer, _three_pages(file_document))
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("vorher")
    canvas = viewer.page_view.canvas
    canvas.setFocus()
    # Nothing selected: Ctrl+C copies the current page.
    qtbot.keyClick(canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: clipboard.text() != "vorher", timeout=30_000)
    assert clipboard.text().split() == [
        "Bauantrag",
        "der",
        "Familie",
        "Krause",
        "Zweiter",
        "Bauantrag",
        "im",
        "Anhang",
    ]
    canvas.go_to_page(2)
    qtbot.waitUntil(lambda: canvas.current_page() == 2)
    with qtbot.waitSignal(viewer.status_message):
        viewer.commands.copy_page.trigger()
    qtbot.waitUntil(lambda: "Stellungnahme" in clipboard.text(), timeout=30_000)
    assert "Baugenehmigung folgt" in clipboard.text()


def test_a_dragged_rectangle_copies_only_the_text_inside(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    texts = [[((30, 60), "Links"), ((250, 60), "Rechts"), ((30, 200), "Unten")]]
    show(qtbot, viewer, file_document("Drei.pdf", pdf_bytes([[]], texts=texts)))
    canvas = viewer.page_view.canvas
    layout = canvas.layout_info
    assert layout is not None
    shift = canvas.page_rect_in_viewport(0).topLeft() - layout.rects[0].topLeft().toPoint()
    area = layout.to_canvas(0, (240, 40, 330, 70)).toRect().translated(shift)
    port = canvas.viewport()
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=area.topLeft())
    qtbot.mouseMove(port, area.center())
    qtbot.mouseMove(port, area.bottomRight())
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=area.bottomRight())
    assert canvas.selection is not None and canvas.selection[0] == 0
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("vorher")
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: clipboard.text() != "vorher", timeout=30_000)
    assert clipboard.text().strip() == "Rechts"
