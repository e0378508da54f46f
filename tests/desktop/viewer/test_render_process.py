"""The render process: killed or hung processes are replaced, a document that keeps killing
it gets a German message, stale pages never show, and nothing outlives the viewer."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable

import pymupdf
import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from desktop.context import AppContext
from desktop.viewer.page_canvas import PageCanvas
from desktop.viewer.render_client import RenderClient
from desktop.viewer.widget import DocumentViewer
from tests.desktop.viewer.conftest import pdf_bytes, show

FULL_PAGE = pymupdf.Rect(0, 0, 400, 300)
RED = (1.0, 0.0, 0.0)
BLUE = (0.0, 0.0, 1.0)


def _centre_colour(canvas: PageCanvas) -> QColor:
    centre = canvas.page_rect_in_viewport(0).center()
    return QColor(canvas.viewport().grab().toImage().pixel(centre))


def _is(colour: QColor, rgb: tuple[float, float, float]) -> bool:
    return all(abs(c - round(v * 255)) < 20 for c, v in zip(colour.getRgb()[:3], rgb, strict=True))


def _kill(pid: int | None) -> None:
    assert pid is not None
    os.kill(pid, signal.SIGTERM)  # TerminateProcess on Windows


def test_a_killed_render_process_is_replaced_and_the_page_comes_back(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    show(qtbot, viewer, file_document("Rot.pdf", pdf_bytes([[(FULL_PAGE, RED)]])))
    canvas = viewer.page_view.canvas
    qtbot.waitUntil(lambda: canvas.is_rendered(0), timeout=30_000)
    first = viewer.render_client.pid
    with qtbot.waitSignal(viewer.document_shown, timeout=30_000):
        _kill(first)
    qtbot.waitUntil(lambda: canvas.is_rendered(0), timeout=30_000)
    assert viewer.render_client.pid not in (None, first)
    assert viewer.stack.currentWidget() is viewer.page_view
    assert _is(_centre_colour(canvas), RED)


def test_a_document_that_kills_the_process_twice_gets_a_message(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    doc_id = file_document("Rot.pdf", pdf_bytes([[(FULL_PAGE, RED)]]))
    show(qtbot, viewer, doc_id)
    with qtbot.waitSignal(viewer.document_shown, timeout=30_000):
        _kill(viewer.render_client.pid)  # the first time, it is opened again
    with qtbot.waitSignal(viewer.document_shown, timeout=30_000):
        _kill(viewer.render_client.pid)
    assert viewer.stack.currentWidget() is viewer.other_view
    assert viewer.other_view.notice_title.text() == "Darstellung abgebrochen"
    assert viewer.other_view.open_button.isEnabled()
    # The next document is shown by a fresh process.
    show(qtbot, viewer, file_document("Blau.pdf", pdf_bytes([[(FULL_PAGE, BLUE)]])))
    canvas = viewer.page_view.canvas
    qtbot.waitUntil(lambda: canvas.is_rendered(0), timeout=30_000)
    assert _is(_centre_colour(canvas), BLUE)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGSTOP freezes a process on POSIX only")
def test_a_hung_render_process_is_replaced(
    qtbot: QtBot, context: AppContext, file_document: Callable[[str, bytes], str]
) -> None:
    viewer = DocumentViewer(context, hang_timeout_ms=1_000)
    qtbot.addWidget(viewer)
    try:
        viewer.resize(700, 900)
        viewer.show()
        show(qtbot, viewer, file_document("Rot.pdf", pdf_bytes([[(FULL_PAGE, RED)]])))
        canvas = viewer.page_view.canvas
        qtbot.waitUntil(lambda: canvas.is_rendered(0), timeout=30_000)
        frozen = viewer.render_client.pid
        assert frozen is not None
        os.kill(frozen, signal.SIGSTOP)
        viewer.commands.zoom_in.trigger()  # needs a new render, which never comes
        assert not canvas.is_rendered(0)
        qtbot.waitUntil(lambda: viewer.render_client.pid not in (None, frozen), timeout=30_000)
        qtbot.waitUntil(lambda: canvas.is_rendered(0), timeout=30_000)
        assert _is(_centre_colour(canvas), RED)
    finally:
        viewer.shutdown()
    assert not viewer.render_client.is_running()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGSTOP freezes a process on POSIX only")
def test_a_render_process_that_hangs_while_starting_is_replaced(qtbot: QtBot) -> None:
    client = RenderClient(startup_timeout_ms=1_500)
    try:
        client.start()
        frozen = client.pid
        assert frozen is not None
        os.kill(frozen, signal.SIGSTOP)  # long before it can have imported PyMuPDF
        client.open("/nonexistent.pdf", "pdf")  # work that waits for it
        with qtbot.waitSignal(client.restarted, timeout=10_000):
            pass
        # Gone (the views then open their document again, in a new process: tested above
        # with a killed one; not here, where the short startup limit would apply to it too).
        assert client.pid is None and not client.is_running()
    finally:
        client.shutdown()


def test_switching_documents_quickly_never_shows_a_stale_page(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    red = file_document("Rot.pdf", pdf_bytes([[(FULL_PAGE, RED)]] * 3))
    blue = file_document("Blau.pdf", pdf_bytes([[(FULL_PAGE, BLUE)]] * 3))
    canvas = viewer.page_view.canvas
    show(qtbot, viewer, red)
    qtbot.waitUntil(lambda: canvas.is_rendered(0), timeout=30_000)
    for _ in range(5):
        viewer.show_document(blue)
        viewer.show_document(red)
        qtbot.wait(1)  # let some replies of the documents in between arrive
    viewer.show_document(blue)
    # Until blue is there, nothing red may be painted: no page at all, or a blue one.
    seen: list[QColor] = []

    def blue_shown() -> bool:
        if canvas.layout_info is not None:
            colour = _centre_colour(canvas)
            seen.append(colour)
            assert not _is(colour, RED), "a page of the previous document was painted"
        return canvas.is_rendered(0)

    qtbot.waitUntil(blue_shown, timeout=30_000)
    assert _is(_centre_colour(canvas), BLUE)
    assert viewer.current_document_id == blue
    assert {key.handle for key, _ in viewer.cache.items()} == {canvas.handle}
    # Late replies of the earlier documents change nothing.
    qtbot.waitUntil(viewer.images.idle, timeout=30_000)
    qtbot.wait(200)
    assert _is(_centre_colour(canvas), BLUE)
    assert viewer.current_document_id == blue


def test_shutdown_stops_the_process(qtbot: QtBot, context: AppContext) -> None:
    viewer = DocumentViewer(context)
    qtbot.addWidget(viewer)
    pid = viewer.render_client.pid
    assert pid is not None and viewer.render_client.is_running()
    viewer.shutdown()
    assert not viewer.render_client.is_running()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
