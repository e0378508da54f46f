"""``DocumentViewer``: shows the document selected in the main window.

``show_document(id)`` loads what the document is in the background (``context.loader``),
then picks a view: pages (PDF, images, TIFF scans) rendered by the render process, an
e-mail, a text file, or a page describing any other file with a button to open it with the
default application. Every asynchronous answer carries the generation of the request it
answers; an answer for a document that is no longer wanted is dropped, so switching fast
never shows a stale page.

PDFs and images go to the render process at once, and their blob's hash is checked in a
loader thread as soon as the first page image has arrived (hashing a 300 MB scan takes
longer than rendering its first page, so the clerk would otherwise wait for the check): if
the check fails, the pages are dropped and the German "file damaged" message replaces them.
Mails and text are read only after the check, in the same job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QSpinBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.metadata.fields import format_size
from desktop.viewer.document_source import (
    DocumentFacts,
    document_facts,
    mail_content,
    text_content,
    verified_path,
)
from desktop.viewer.mail_view import MailView
from desktop.viewer.message_view import MessageView
from desktop.viewer.messages import failure_texts
from desktop.viewer.other_view import OtherView
from desktop.viewer.page_layout import Zoom, ZoomMode
from desktop.viewer.page_view import PageView
from desktop.viewer.pixmap_cache import DEFAULT_CACHE_BYTES, ImageCache
from desktop.viewer.render_client import HANG_TIMEOUT_MS, RenderClient
from desktop.viewer.render_protocol import Kind
from desktop.viewer.render_queue import ImageKey, RenderQueue
from desktop.viewer.text_view import TextView
from desktop.viewer.viewer_actions import ViewerActions
from sync.errors import EAkteError
from sync.store.cache import touch
from sync.transport import ServerUnreachableError

log = logging.getLogger("eakte.desktop.viewer")

PAGED_TYPES = frozenset({"pdf", "image"})
TOUCH_DELAY_MS = 2_000
# fetch(sha256, size, on_done, on_error, document_id=...): SyncController.fetch.
Fetch = Callable[..., None]
#: Attachment types this viewer shows itself; others go to the default application.
VIEWABLE_TYPES = frozenset({"pdf", "image", "email", "text"})


class DocumentViewer(QWidget):
    """Signals: ``open_externally_requested(document_id)`` (the clerk asked for the default
    application); ``document_shown(document_id)`` once a document's view is complete (pages
    open, mail or text read, or the message why it cannot be shown); ``status_message(str)``
    for the main window's status bar."""

    open_externally_requested = Signal(str)
    document_shown = Signal(str)
    status_message = Signal(str)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        hang_timeout_ms: int = HANG_TIMEOUT_MS,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Dokumentansicht"))
        self._context = context
        self.render_client = RenderClient(self, hang_timeout_ms=hang_timeout_ms)
        self.render_client.start()  # PyMuPDF takes a moment to import: start it now
        self.cache: ImageCache[ImageKey] = ImageCache(cache_bytes)
        self.images = RenderQueue(self.render_client, self.cache, self)

        self.commands = ViewerActions(self)
        self.message_view = MessageView()
        self.page_view = PageView(self.render_client, self.images)
        self.mail_view = MailView()
        self.text_view = TextView()
        self.other_view = OtherView()
        self.stack = QStackedWidget()
        for view in (
            self.message_view,
            self.page_view,
            self.mail_view,
            self.text_view,
            self.other_view,
        ):
            self.stack.addWidget(view)
        self.toolbar = self._make_toolbar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)

        self._generation = 0
        self._facts: DocumentFacts | None = None
        self._unverified: str | None = None  # the blob of the pages shown, until checked
        self._history: list[str] = []
        self._shut_down = False
        # Downloads a document whose bytes are not here (SyncController.fetch); None: the
        # viewer says the file is missing.
        self.fetch: Fetch | None = None
        self._fetched: str | None = None  # the blob fetched for the document being opened
        self._connect()
        self.clear()

    # -- public API ---------------------------------------------------------------------

    def show_document(self, document_id: str) -> None:
        """Show ``document_id``; returns at once, the document appears when loaded."""
        self._history.clear()
        self._fetched = None
        self._load(document_id)

    def clear(self) -> None:
        self._generation += 1
        self._history.clear()
        self._reset()
        self.message_view.show_message(self.tr("Kein Dokument ausgewählt"))
        self.stack.setCurrentWidget(self.message_view)
        self._update_actions()

    def shutdown(self) -> None:
        """Stop the render process (the main window calls this when it closes)."""
        if self._shut_down:
            return
        self._shut_down = True
        self._generation += 1
        self.page_view.close_document()
        self.render_client.shutdown()

    @property
    def current_document_id(self) -> str | None:
        return self._facts.document_id if self._facts is not None else None

    # -- loading ------------------------------------------------------------------------

    def _reset(self) -> None:
        self._facts = None
        self._unverified = None
        self.page_view.close_document()
        self.text_view.clear()

    def _load(self, document_id: str) -> None:
        self._generation += 1
        self._reset()
        self.message_view.show_message(self.tr("Dokument wird geladen …"))
        self.stack.setCurrentWidget(self.message_view)
        self._update_actions()
        self._submit(
            lambda session: document_facts(session, document_id),
            self._facts_loaded,
        )

    def _submit(self, work: Callable[[Any], Any], done: Callable[[Any], None]) -> None:
        """Run ``work`` on the loader; ``done`` and errors only count for this generation."""
        generation = self._generation

        def on_done(result: Any) -> None:
            if generation == self._generation:
                done(result)

        def on_error(error: Exception) -> None:
            if generation == self._generation:
                self._load_failed(error)

        self._context.loader.submit(work, on_done, on_error)

    def _facts_loaded(self, facts: DocumentFacts) -> None:
        self._facts = facts
        self._update_actions()
        if not facts.present:
            if self.fetch is not None and facts.sha256 != self._fetched:
                self._download(facts)
            else:
                self._show_other(*failure_texts()["missing"])
            return
        store = self._context.store
        # The last use, for the cache's LRU eviction: a write with an fsync, so it waits
        # until the first page is on screen rather than competing with it for the disk.
        QTimer.singleShot(TOUCH_DELAY_MS, lambda: self._touch(facts.sha256))
        blobs = store.blobs
        if facts.doc_type in PAGED_TYPES:
            kind: Kind = "pdf" if facts.doc_type == "pdf" else "image"
            self.page_view.open_path(str(blobs.path(facts.sha256)), kind)
            self._unverified = facts.sha256  # checked once the first page is on screen
        elif facts.doc_type == "email":
            self._submit(lambda _session: mail_content(blobs, facts), self._mail_loaded)
        elif facts.doc_type == "text":
            self._submit(lambda _session: text_content(blobs, facts), self._text_loaded)
        else:
            self._show_other(
                self.tr("Keine Vorschau"),
                self.tr(
                    "Für diese Art von Datei gibt es hier keine Vorschau. Bitte mit der "
                    "Standardanwendung öffnen."
                ),
            )

    def _download(self, facts: DocumentFacts) -> None:
        """The bytes are not on this PC: fetch them in the background, then show them."""
        assert self.fetch is not None
        self.message_view.show_message(
            self.tr("Wird geladen …"),
            self.tr("„%1“ wird vom Server geladen (%2).")
            .replace("%1", facts.title)
            .replace("%2", format_size(facts.size)),
            busy=True,
        )
        self.stack.setCurrentWidget(self.message_view)
        generation, document_id = self._generation, facts.document_id
        self._fetched = facts.sha256  # one attempt per opening: never a loop

        def done(_result: object) -> None:
            if generation == self._generation:
                history = list(self._history)
                self._load(document_id)
                self._history = history

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._fetch_failed(error)

        self.fetch(facts.sha256, facts.size, done, failed, document_id=document_id)

    def _fetch_failed(self, error: Exception) -> None:
        if isinstance(error, ServerUnreachableError):
            title = self.tr("Nicht auf diesem PC gespeichert")
            message = self.tr(
                "Dieses Dokument ist nicht auf diesem PC gespeichert und der Server ist nicht "
                "erreichbar. Markieren Sie die Akte als „Offline verfügbar“, um sie unterwegs "
                "zu lesen."
            )
        elif isinstance(error, EAkteError):
            title, message = error.title, error.message
        else:
            log.error("document could not be downloaded", exc_info=error)
            title = self.tr("Dokument kann nicht geladen werden")
            message = self.tr(
                "Beim Laden vom Server ist ein Fehler aufgetreten. Bitte erneut versuchen; "
                "bleibt der Fehler, bitte die IT verständigen."
            )
        self.message_view.show_message(title, message)
        self.stack.setCurrentWidget(self.message_view)
        self._update_actions()
        if self._facts is not None:
            self.document_shown.emit(self._facts.document_id)

    def _touch(self, sha256: str) -> None:
        if self._shut_down:
            return
        store = self._context.store
        self._context.loader.submit(
            lambda _session: touch(store, sha256),
            lambda _result: None,
            lambda error: log.info("last use of %s not recorded: %s", sha256, error),
        )

    def _mail_loaded(self, content: Any) -> None:
        assert self._facts is not None
        self.mail_view.show_mail(self._facts, content)
        self._settle(self.mail_view)

    def _text_loaded(self, content: Any) -> None:
        self.text_view.show_text(content)
        self._settle(self.text_view)

    def _show_other(self, title: str = "", message: str = "") -> None:
        assert self._facts is not None
        self.other_view.show_facts(self._facts, title, message)
        self._settle(self.other_view)

    def _settle(self, view: QWidget) -> None:
        self.stack.setCurrentWidget(view)
        self._update_actions()
        if self._facts is not None:
            self.document_shown.emit(self._facts.document_id)

    def _load_failed(self, error: Exception) -> None:
        self.page_view.close_document()
        if isinstance(error, EAkteError):
            title, message = error.title, error.message
        else:
            log.error("document could not be loaded", exc_info=error)
            title = self.tr("Dokument kann nicht angezeigt werden")
            message = self.tr(
                "Beim Laden ist ein Fehler aufgetreten. Bitte erneut versuchen; bleibt der "
                "Fehler, bitte die IT verständigen."
            )
        self.message_view.show_message(title, message)
        self.stack.setCurrentWidget(self.message_view)
        self._update_actions()
        document_id = self._facts.document_id if self._facts is not None else ""
        self.document_shown.emit(document_id)

    @Slot(object)
    def _page_image_done(self, _key: object) -> None:
        """The first page image of a document has arrived (or failed): now check the
        blob's hash. Not earlier: on two cores, hashing a 300 MB scan beside its first
        render would slow that render down. A mismatch replaces the pages with the error."""
        sha, self._unverified = self._unverified, None
        if sha is not None:
            blobs = self._context.store.blobs
            self._submit(lambda _session: verified_path(blobs, sha), lambda _path: None)

    @Slot()
    def _pages_opened(self) -> None:
        self._settle(self.page_view)

    @Slot(str)
    def _pages_failed(self, reason: str) -> None:
        texts = failure_texts()
        if self._facts is not None:
            self._show_other(*texts.get(reason, texts["corrupt"]))

    # -- navigation between a mail and its attachments ------------------------------------

    @Slot(str, str)
    def _attachment_chosen(self, document_id: str, doc_type: str) -> None:
        if doc_type not in VIEWABLE_TYPES:
            self.open_externally_requested.emit(document_id)
            return
        if self._facts is not None:
            self._history.append(self._facts.document_id)
        self._load(document_id)

    def _back(self) -> None:
        if self._history:
            self._load(self._history.pop())

    # -- toolbar ------------------------------------------------------------------------

    def _make_toolbar(self) -> QToolBar:
        bar = QToolBar(self.tr("Dokumentansicht"))
        bar.setAccessibleName(self.tr("Werkzeugleiste der Dokumentansicht"))
        a = self.commands
        bar.addAction(a.back)
        bar.addSeparator()
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName(self.tr("Seitenzahl"))
        self.page_box.setPrefix(self.tr("Seite "))
        self.page_box.setKeyboardTracking(False)
        bar.addWidget(self.page_box)
        bar.addSeparator()
        for action in (a.zoom_out, a.zoom_in, a.fit_width, a.fit_page, a.actual_size):
            bar.addAction(action)
        self.zoom_label = QLabel()
        self.zoom_label.setAccessibleName(self.tr("Zoomstufe"))
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("0000 %"))
        bar.addWidget(self.zoom_label)
        bar.addSeparator()
        for action in (a.rotate_left, a.rotate_right, a.thumbnails, a.find, a.find_previous):
            bar.addAction(action)
        for action in (a.find_next, a.copy, a.copy_page, a.open_externally):
            bar.addAction(action)
        for action in bar.actions():
            widget = bar.widgetForAction(action)
            if widget is not None and not action.isSeparator() and action.text():
                widget.setAccessibleName(action.text().replace("&", ""))
        return bar

    def _connect(self) -> None:
        a, pages, canvas = self.commands, self.page_view, self.page_view.canvas
        a.back.triggered.connect(self._back)
        a.zoom_in.triggered.connect(lambda: canvas.zoom_by(1))
        a.zoom_out.triggered.connect(lambda: canvas.zoom_by(-1))
        a.fit_width.triggered.connect(lambda: canvas.set_zoom(Zoom(ZoomMode.FIT_WIDTH)))
        a.fit_page.triggered.connect(lambda: canvas.set_zoom(Zoom(ZoomMode.FIT_PAGE)))
        a.actual_size.triggered.connect(lambda: canvas.set_zoom(Zoom(ZoomMode.FIXED, 1.0)))
        a.rotate_right.triggered.connect(lambda: pages.rotate(90))
        a.rotate_left.triggered.connect(lambda: pages.rotate(-90))
        a.thumbnails.toggled.connect(pages.thumbnails.setVisible)
        a.find.triggered.connect(pages.start_find)
        a.find_next.triggered.connect(pages.find_next)
        a.find_previous.triggered.connect(pages.find_previous)
        a.copy.triggered.connect(pages.copy)
        a.copy_page.triggered.connect(pages.copy_page)
        a.open_externally.triggered.connect(self._open_externally)
        self.other_view.open_requested.connect(self._open_externally)
        self.mail_view.attachment_chosen.connect(self._attachment_chosen)
        pages.opened.connect(self._pages_opened)
        self.images.image_ready.connect(self._page_image_done)
        self.images.render_failed.connect(self._page_image_done)
        pages.failed.connect(self._pages_failed)
        pages.status_message.connect(self.status_message)
        pages.state_changed.connect(self._update_actions)
        canvas.layout_changed.connect(self._update_zoom_label)
        canvas.current_page_changed.connect(self._page_changed)
        self.page_box.valueChanged.connect(lambda value: canvas.go_to_page(value - 1))

    def _open_externally(self) -> None:
        if self._facts is not None:
            self.open_externally_requested.emit(self._facts.document_id)

    def _update_actions(self) -> None:
        a, pages = self.commands, self.page_view
        paged = self.stack.currentWidget() is pages and pages.has_document
        text = paged and pages.has_text_layer
        for action in (a.zoom_in, a.zoom_out, a.fit_width, a.fit_page, a.actual_size):
            action.setEnabled(paged)
        for action in (a.rotate_left, a.rotate_right, a.thumbnails):
            action.setEnabled(paged)
        for action in (a.find, a.find_next, a.find_previous, a.copy, a.copy_page):
            action.setEnabled(text)
        a.back.setEnabled(bool(self._history))
        a.open_externally.setEnabled(self._facts is not None and self._facts.present)
        self.page_box.setEnabled(paged)
        count = pages.canvas.page_count if paged else 0
        self.page_box.blockSignals(True)
        self.page_box.setRange(1 if count else 0, count)
        self.page_box.setSpecialValueText("" if count else self.tr("Seite –"))
        self.page_box.setSuffix(self.tr(" von %1").replace("%1", str(count)) if count else "")
        self.page_box.setValue(pages.canvas.current_page() + 1 if count else 0)
        self.page_box.blockSignals(False)
        self._update_zoom_label()

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)

    def _update_zoom_label(self) -> None:
        canvas = self.page_view.canvas
        paged = self.stack.currentWidget() is self.page_view and self.page_view.has_document
        self.zoom_label.setText(f"{round(canvas.zoom_factor() * 100)} %" if paged else "")
