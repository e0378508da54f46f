"""The search box: searches the local store as the clerk types, shows the hits below.

Typing restarts a short timer (``DEBOUNCE_MS``); when it runs out the query goes to the
loader (``sync.search.search`` in a worker thread). Every change of the text makes earlier
queries stale, and a stale result is dropped when it arrives, so an older, slower query
can never overwrite the hits of a newer one. Down moves from the box into the hits, Up on
the first hit moves back, Enter opens a hit: ``document_activated(id)``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.errors import error_text
from desktop.search.results import SearchResultsView
from sync.search import SearchHit, search

log = logging.getLogger("eakte.desktop.search")

DEBOUNCE_MS = 250
LIMIT = 50
SHORTCUT = "Ctrl+K"


class SearchBox(QWidget):
    """Signals: ``document_activated(str)`` when a hit is chosen; ``finished()`` after the
    hits (or the message) of the current query are shown."""

    document_activated = Signal(str)
    finished = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._sequence = 0  # bumped by every change of the text: older results are stale
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText(self.tr("Suchen… (Strg+K)"))
        self.line_edit.setAccessibleName(self.tr("Suche in allen Dokumenten"))
        self.line_edit.setClearButtonEnabled(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.hide()
        self.results = SearchResultsView(self)
        self.results.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.line_edit.textChanged.connect(self._text_changed)
        self.line_edit.installEventFilter(self)
        self.results.hit_activated.connect(self.document_activated)
        self.results.leave_upwards.connect(self.line_edit.setFocus)
        shortcut = QShortcut(QKeySequence(SHORTCUT), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.focus_search)
        # Shown hits follow edits (a renamed title, a filed document) without retyping.
        context.events.changed.connect(self._store_changed)

    def focus_search(self) -> None:
        self.line_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.line_edit.selectAll()

    # -- querying --------------------------------------------------------------------------

    def _store_changed(self, _change: object) -> None:
        if self.line_edit.text().strip():
            self._sequence += 1
            self._timer.start()

    def _text_changed(self, _text: str) -> None:
        self._sequence += 1
        self._timer.start()

    def search_now(self) -> None:
        """Run the query in the box now (the timer calls this)."""
        self._timer.stop()
        query = self.line_edit.text().strip()
        self._sequence += 1
        sequence = self._sequence
        if not query:
            self._show([], None)
            return
        self._context.loader.submit(
            lambda session: search(session, query, limit=LIMIT),
            lambda hits: self._arrived(sequence, hits),
            lambda exc: self._failed(sequence, exc),
        )

    def _arrived(self, sequence: int, hits: list[SearchHit]) -> None:
        if sequence != self._sequence:
            return  # stale: the text changed after this query started
        message = None if hits else self.tr("Keine Treffer")
        if hits and not all(hit.ranked for hit in hits):
            message = self.tr(
                "Sehr viele Treffer: gezeigt werden die besten unter den neuesten. "
                "Ein weiteres Suchwort grenzt die Suche ein."
            )
        self._show(hits, message)

    def _failed(self, sequence: int, exc: Exception) -> None:
        if sequence != self._sequence:
            return
        _title, message = error_text(exc)
        log.warning("search failed (%s)", type(exc).__name__)  # never the query: personal data
        self._show([], message)

    def _show(self, hits: list[SearchHit], message: str | None) -> None:
        searched = bool(self.line_edit.text().strip())
        self.results.results.set_hits(hits)
        self.results.setVisible(bool(hits))
        self.status.setText(message or "")
        self.status.setVisible(searched and message is not None)
        self.finished.emit()

    # -- keyboard --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.line_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._box_key(event)
        return super().eventFilter(watched, event)

    def _box_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        model = self.results.results
        if key == Qt.Key.Key_Down and model.rowCount() > 0:
            self.results.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(model.index(0, 0))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._timer.isActive():
                self.search_now()  # Enter does not wait for the timer
            elif model.rowCount() > 0:
                current = self.results.currentIndex()
                self.results.setCurrentIndex(current if current.isValid() else model.index(0, 0))
                self.results.activate_current()
            return True
        if key == Qt.Key.Key_Escape and self.line_edit.text():
            self.line_edit.clear()
            return True
        return False
