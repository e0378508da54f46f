"""Paged documents (PDFs, images, multi-page TIFF scans): thumbnails, the scrolling pages and
the find bar, driven by the render process.

One document at a time: opening another closes the first in the render process and drops
its images, so nothing of it can be painted any more. If the render process dies while a
document is shown, the document is opened once more in a fresh process (the process may have
been killed for an unrelated reason); if it dies again, the file is taken to be what crashes
MuPDF and ``failed("crashed")`` is emitted instead of trying forever.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from desktop.viewer.find_bar import FindBar
from desktop.viewer.page_canvas import PageCanvas
from desktop.viewer.render_client import RenderClient
from desktop.viewer.render_protocol import (
    Kind,
    Opened,
    OpenFailed,
    PageSizes,
    Rect,
    SearchDone,
    SearchHits,
    TextExtracted,
)
from desktop.viewer.render_queue import RenderQueue
from desktop.viewer.thumbnails import ThumbnailStrip

log = logging.getLogger("eakte.desktop.viewer")

MAX_CRASH_RETRIES = 1


@dataclass
class _Search:
    ticket: int
    hits: list[tuple[int, Rect]]
    current: int | None = None
    running: bool = True


class PageView(QWidget):
    """Signals: ``opened()`` once the pages are known; ``failed(str)`` with an
    ``OpenFailure`` code or "crashed"; ``status_message(str)`` for the status bar;
    ``state_changed()`` when what the actions can do changed (search, selection)."""

    opened = Signal()
    failed = Signal(str)
    status_message = Signal(str)
    state_changed = Signal()

    def __init__(
        self, client: RenderClient, images: RenderQueue, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.images = images
        self.canvas = PageCanvas(images)
        self.thumbnails = ThumbnailStrip(images)
        self.find_bar = FindBar()
        self.find_bar.hide()
        pages = QVBoxLayout()
        pages.setContentsMargins(0, 0, 0, 0)
        pages.setSpacing(0)
        pages.addWidget(self.find_bar)
        pages.addWidget(self.canvas, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.thumbnails)
        layout.addLayout(pages, 1)
        self.setTabOrder(self.thumbnails, self.canvas)
        self.setTabOrder(self.canvas, self.find_bar.field)

        self._path: str | None = None
        self._kind: Kind = "pdf"
        self._handle: int | None = None
        self._crashes = 0
        self._has_text = False
        self._search: _Search | None = None
        self._copy_ticket: int | None = None
        self._resume_page: int | None = None  # after a restart of the render process

        client.replied.connect(self._on_reply)
        client.restarted.connect(self._on_restarted)
        self.canvas.current_page_changed.connect(self.thumbnails.follow_page)
        self.canvas.selection_changed.connect(self.state_changed)
        self.thumbnails.page_chosen.connect(self.canvas.go_to_page)
        self.find_bar.search_requested.connect(self.search)
        self.find_bar.next_requested.connect(self.find_next)
        self.find_bar.previous_requested.connect(self.find_previous)
        self.find_bar.closed.connect(self._end_search)

    # -- document -----------------------------------------------------------------------

    def open_path(self, path: str, kind: Kind) -> None:
        self._crashes = 0
        self._resume_page = None
        self._open(path, kind)
        self.canvas.reset_rotation()

    def _open(self, path: str, kind: Kind) -> None:
        self._release()
        self._path, self._kind = path, kind
        self._handle = self.client.open(path, kind)
        self.images.set_handle(self._handle)

    def close_document(self) -> None:
        self._release()
        self._path = None
        self._crashes = 0

    def _release(self) -> None:
        if self._handle is not None:
            self.client.close(self._handle)
        self._handle = None
        self._has_text = False
        self._copy_ticket = None
        self._end_search()
        self.find_bar.forget()
        self.images.set_handle(None)
        self.canvas.clear()
        self.thumbnails.set_document(None, 0, 0)
        self.state_changed.emit()

    @property
    def has_document(self) -> bool:
        return self.canvas.handle is not None

    @property
    def has_text_layer(self) -> bool:
        return self._has_text

    def rotate(self, degrees: int) -> None:
        self.canvas.rotate(degrees)
        self.thumbnails.set_rotation(self.canvas.rotation)

    # -- replies from the render process ------------------------------------------------

    @Slot(object)
    def _on_reply(self, reply: object) -> None:
        if isinstance(reply, Opened) and reply.handle == self._handle:
            self._has_text = reply.has_text_layer
            if not self._has_text:
                self.find_bar.hide()  # nothing to find in a picture
            self.thumbnails.set_document(reply.handle, reply.page_count, self.canvas.rotation)
            sizes = [reply.first_page] * reply.page_count
            self.canvas.set_document(reply.handle, sizes, selectable=self._has_text)
            if self._resume_page is not None:
                self.canvas.go_to_page(self._resume_page)
                self._resume_page = None
            self.state_changed.emit()
            self.opened.emit()
        elif isinstance(reply, PageSizes) and reply.handle == self._handle:
            self.canvas.set_sizes(reply.sizes)
        elif isinstance(reply, OpenFailed) and reply.handle == self._handle:
            self.close_document()
            self.failed.emit(reply.reason)
        elif isinstance(reply, TextExtracted) and reply.ticket == self._copy_ticket:
            self._copy_ticket = None
            self._copied(reply.text)
        elif isinstance(reply, SearchHits) and self._is_current_search(reply.ticket):
            self._add_hits(reply.page, reply.rects)
        elif isinstance(reply, SearchDone) and self._is_current_search(reply.ticket):
            assert self._search is not None
            self._search.running = False
            self._show_hits()

    @Slot()
    def _on_restarted(self) -> None:
        if self._path is None:
            return
        if self._crashes >= MAX_CRASH_RETRIES:
            log.warning("render process died twice on the same document; giving up on it")
            self.close_document()
            self.failed.emit("crashed")
            return
        self._crashes += 1
        # Zoom and rotation stay with the canvas; the page is restored once it is open.
        self._resume_page = self.canvas.current_page()
        self._open(self._path, self._kind)

    # -- copy ---------------------------------------------------------------------------

    def copy(self) -> None:
        """Copy the selected part of a page, or the current page if nothing is selected."""
        if self._handle is None or not self._has_text:
            return
        selection = self.canvas.selection
        if selection is None:
            self.copy_page()
            return
        page, rect = selection
        self._copy_ticket = self.client.extract_text(self._handle, page, rect)

    def copy_page(self) -> None:
        if self._handle is None or not self._has_text:
            return
        page = self.canvas.current_page()
        self._copy_ticket = self.client.extract_text(self._handle, page, None)

    def _copied(self, text: str) -> None:
        if not text.strip():
            self.status_message.emit(
                self.tr("Hier ist kein Text zum Kopieren (z. B. ein Scan ohne Texterkennung).")
            )
            return
        QGuiApplication.clipboard().setText(text)
        self.status_message.emit(self.tr("Text in die Zwischenablage kopiert."))

    # -- find ---------------------------------------------------------------------------

    def start_find(self) -> None:
        if self._has_text:
            self.find_bar.activate()

    def search(self, term: str) -> None:
        self._end_search()
        if self._handle is None or not term:
            return
        self._search = _Search(self.client.search(self._handle, term), [])
        self._show_hits()
        self.state_changed.emit()

    def find_next(self) -> None:
        self._step(1)

    def find_previous(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        if self._search is None:
            self.start_find()
            return
        if not self._search.hits:
            return
        count = len(self._search.hits)
        current = self._search.current
        self._search.current = (
            (0 if direction > 0 else count - 1)
            if current is None
            else (current + direction) % count
        )
        self._show_hits(scroll=True)

    def _is_current_search(self, ticket: int) -> bool:
        return self._search is not None and self._search.ticket == ticket

    def _add_hits(self, page: int, rects: tuple[Rect, ...]) -> None:
        assert self._search is not None
        first = not self._search.hits
        self._search.hits.extend((page, rect) for rect in rects)
        if first:
            self._search.current = 0
        self._show_hits(scroll=first)

    def _show_hits(self, *, scroll: bool = False) -> None:
        search = self._search
        if search is None:
            return
        by_page: dict[int, list[Rect]] = {}
        for page, rect in search.hits:
            by_page.setdefault(page, []).append(rect)
        current = search.hits[search.current] if search.current is not None else None
        self.canvas.set_hits(by_page, current)
        self.find_bar.show_count(search.current, len(search.hits), running=search.running)
        if scroll and current is not None:
            self.canvas.show_rect(*current)

    @Slot()
    def _end_search(self) -> None:
        if self._search is not None:
            if self._search.running:
                self.client.cancel_search(self._search.ticket)
            self._search = None
            self.canvas.set_hits({}, None)
            self.state_changed.emit()
