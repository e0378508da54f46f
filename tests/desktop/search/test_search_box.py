"""The search box: debounced background queries, highlighted hits, keyboard, stale results."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QLineEdit, QStyleOptionViewItem, QVBoxLayout, QWidget

import desktop.search.search_box as search_box_module
from desktop.search.results import DocumentIdRole, HitRole, highlighted_html
from desktop.search.search_box import SearchBox
from sync.errors import StoreError
from sync.search import search

TIMEOUT = 10_000


@pytest.fixture
def box(qtbot, context) -> SearchBox:
    made = SearchBox(context)
    qtbot.addWidget(made)
    made.resize(500, 600)
    made.show()
    return made


def shown_hits(box: SearchBox) -> list:
    model = box.results.results
    return [model.hit(row) for row in range(model.rowCount())]


def run_query(qtbot, box: SearchBox, text: str) -> None:
    """Type ``text`` and wait for its hits (or message)."""
    box.line_edit.setFocus()
    with qtbot.waitSignal(box.finished, timeout=TIMEOUT):
        qtbot.keyClicks(box.line_edit, text)


def test_highlighted_html_escapes_everything_but_the_marks() -> None:
    text = "Bescheid <b>Heizung</b> & Lüftung"
    marked = highlighted_html(text, ((12, 19), (24, 33)), "[", "]")
    assert marked == "Bescheid &lt;b&gt;[Heizung]&lt;/b&gt; [&amp; Lüftung]"
    # Overlapping and out-of-range spans do not break or duplicate anything.
    assert highlighted_html("abc", ((0, 2), (1, 3), (5, 9)), "[", "]") == "[ab][c]"


def test_the_results_model_passes_the_model_tester(qtbot, qtmodeltester, box):
    qtmodeltester.check(box.results.results)  # stays attached through the resets below
    run_query(qtbot, box, "Heizung")
    assert box.results.results.rowCount() > 0
    box.line_edit.clear()
    with qtbot.waitSignal(box.finished, timeout=TIMEOUT):
        qtbot.keyClicks(box.line_edit, "Amtsgericht")
    qtmodeltester.check(box.results.results, force_py=True)


def test_typing_searches_once_and_shows_highlighted_hits(qtbot, box, context):
    submitted = context.loader.submitted
    run_query(qtbot, box, "Heizung")
    assert context.loader.submitted == submitted + 1  # seven keys, one query
    model = box.results.results
    with context.store.read() as s:
        expected = search(s, "Heizung", limit=50)
    assert [model.index(r, 0).data(DocumentIdRole) for r in range(model.rowCount())] == [
        h.document_id for h in expected
    ]
    assert box.results.isVisible() and not box.status.isVisible()
    hit = model.index(0, 0).data(HitRole)
    start, end = hit.highlights[0]
    assert hit.snippet[start:end] == "Heizung"


def _render_row(box: SearchBox, row: int, width: int = 480) -> QImage:
    view = box.results
    index = view.results.index(row, 0)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    height = view.itemDelegate().sizeHint(option, index).height()
    option.rect = QRect(0, 0, width, height)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(view.palette().color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    view.itemDelegate().paint(painter, option, index)
    painter.end()
    return image


def _share(image: QImage, colour: QColor) -> float:
    rgb = colour.rgb()
    pixels = [
        image.pixel(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
    ]
    return sum(1 for p in pixels if p == rgb) / len(pixels)


def test_the_matched_words_are_painted_in_the_highlight_colours(qtbot, box):
    run_query(qtbot, box, "Heizung")
    highlight = box.results.palette().color(QPalette.ColorRole.Highlight)
    marked = _render_row(box, 0)
    assert _share(marked, highlight) > 0.005
    # Light and dark: the colours come from the palette, not from the code.
    dark = QPalette(box.results.palette())
    dark.setColor(QPalette.ColorRole.Highlight, QColor(200, 120, 0))
    dark.setColor(QPalette.ColorRole.Base, QColor(20, 20, 20))
    dark.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    box.results.setPalette(dark)
    assert _share(_render_row(box, 0), QColor(200, 120, 0)) > 0.005
    assert _share(_render_row(box, 0), highlight) == 0


def test_no_hits_and_errors_are_said_in_german(qtbot, box, monkeypatch):
    run_query(qtbot, box, "Xylophonkonzert")
    assert box.status.isVisible() and box.status.text() == "Keine Treffer"
    assert not box.results.isVisible()

    def broken(*_args, **_kwargs):
        raise StoreError("Der lokale Datenbestand ist nicht lesbar.")

    monkeypatch.setattr(search_box_module, "search", broken)
    box.line_edit.clear()
    run_query(qtbot, box, "Heizung")
    assert box.status.text() == "Der lokale Datenbestand ist nicht lesbar."


def test_keyboard_moves_between_box_and_hits_and_enter_opens(qtbot, box):
    run_query(qtbot, box, "Baugenehmigung")
    view = box.results
    assert view.results.rowCount() >= 2
    qtbot.keyClick(box.line_edit, Qt.Key.Key_Down)
    assert view.hasFocus() and view.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    second = view.currentIndex().data(DocumentIdRole)
    with qtbot.waitSignal(box.document_activated, timeout=TIMEOUT) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [second]
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)  # from the first hit back into the box
    assert box.line_edit.hasFocus()
    first = view.results.index(0, 0).data(DocumentIdRole)
    with qtbot.waitSignal(box.document_activated, timeout=TIMEOUT) as opened:
        qtbot.keyClick(box.line_edit, Qt.Key.Key_Return)
    assert opened.args == [first]


def test_double_click_on_a_hit_opens_it(qtbot, box):
    run_query(qtbot, box, "Amtsgericht")
    view = box.results
    rect = view.visualRect(view.results.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(box.document_activated, timeout=TIMEOUT) as opened:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [view.results.index(0, 0).data(DocumentIdRole)]


def test_an_older_query_finishing_last_is_dropped(qtbot, box, context, monkeypatch):
    release = threading.Event()

    def slow_for_heizung(session, query, **kwargs):
        if query == "Heizung":
            assert release.wait(TIMEOUT / 1000)  # held until the newer query was shown
        return search(session, query, **kwargs)

    monkeypatch.setattr(search_box_module, "search", slow_for_heizung)
    box.line_edit.setText("Heizung")
    box.search_now()
    with qtbot.waitSignal(box.finished, timeout=TIMEOUT):
        box.line_edit.setText("Amtsgericht")
        box.search_now()
    newer = shown_hits(box)
    release.set()
    qtbot.waitUntil(lambda: context.loader.pending() == 0, timeout=TIMEOUT)
    assert shown_hits(box) == newer
    assert newer and all("Amtsgericht" in h.title for h in newer)


def test_ctrl_k_focuses_the_box(qtbot, context):
    window = QWidget()
    qtbot.addWidget(window)
    other = QLineEdit(window)
    box = SearchBox(context, window)
    layout = QVBoxLayout(window)
    layout.addWidget(other)
    layout.addWidget(box)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    other.setFocus()
    qtbot.keyClick(other, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert box.line_edit.hasFocus()
    assert box.line_edit.placeholderText() == "Suchen… (Strg+K)"


def test_shown_hits_follow_an_announced_change(qtbot, demo_copy):
    from desktop.context import AppContext, Change
    from sync.records import operations as ops
    from sync.records.model import Document

    context = AppContext(demo_copy, demo_copy.root)
    made = SearchBox(context)
    qtbot.addWidget(made)
    made.show()
    run_query(qtbot, made, "Heizung")
    first = shown_hits(made)[0]
    with demo_copy.write() as s:
        ops.update_fields(s, s.get_one(Document, first.document_id), {"title": "Umbenannt"})
    with qtbot.waitSignal(made.finished, timeout=TIMEOUT):
        context.events.announce(Change.of(records=(first.document_id,)))
    titles = {hit.document_id: hit.title for hit in shown_hits(made)}
    assert titles[first.document_id] == "Umbenannt"
    qtbot.waitUntil(lambda: context.loader.pending() == 0, timeout=TIMEOUT)
