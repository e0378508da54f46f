"""The breadcrumb above the list and viewer: Aktenplan › unit › … › Akte › Vorgang › Dokument.

Every segment is a button; clicking it (or Space on it) asks the main window to go there
with ``navigate_requested(ids)``, the ids from the top down to that segment (empty for the
file plan itself). The path is read in the background with ``sync.records.paths.path_of``
and read again when a change touches one of its records.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from desktop.context import AppContext, Change
from desktop.errors import error_text
from sync.records.paths import path_of
from sync.records.tree import TreeNode

log = logging.getLogger("eakte.desktop.breadcrumb")

SEPARATOR = "›"
MIN_WIDTH_PX = 120
MAX_SEGMENT_PX = 260  # longer labels are shortened in the middle; the tooltip has them whole


def _kind_names() -> dict[str, str]:
    return {
        "unit": QCoreApplication.translate("Breadcrumb", "Aktenplaneinheit"),
        "dossier": QCoreApplication.translate("Breadcrumb", "Akte"),
        "case": QCoreApplication.translate("Breadcrumb", "Vorgang"),
        "document": QCoreApplication.translate("Breadcrumb", "Dokument"),
    }


class Breadcrumb(QWidget):
    """Signals: ``navigate_requested(list[str])``; ``loaded()`` after the segments were
    rebuilt for a record."""

    navigate_requested = Signal(list)
    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._record_id: str | None = None
        self._path: list[TreeNode] = []
        self._generation = 0
        self.setAccessibleName(self.tr("Ablageort"))
        # A deep path is wider than the window: it scrolls (without bars) so that the deepest
        # segments show, and Tab scrolls the focused segment into view.
        self._scroll = QScrollArea(self)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidgetResizable(True)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._strip = QWidget(self._scroll)
        self._layout = QHBoxLayout(self._strip)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._scroll.setWidget(self._strip)
        bar = self._scroll.horizontalScrollBar()
        bar.rangeChanged.connect(lambda _low, high: bar.setValue(high))
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.buttons: list[QToolButton] = []
        self._rebuild()
        # The height of one row of segments, measured once: while a rebuild is pending the
        # strip's own hint can read 0, and a fixed-height bar would then stay collapsed.
        self._row_height = max(self._strip.sizeHint().height(), self.buttons[0].sizeHint().height())
        context.events.changed.connect(self._changed)

    def sizeHint(self) -> QSize:  # noqa: N802
        # As high as a segment, as wide as the layout gives: the strip scrolls.
        return QSize(MIN_WIDTH_PX, max(self._row_height, self._strip.sizeHint().height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def path(self) -> list[TreeNode]:
        """The nodes shown after "Aktenplan", from the top."""
        return list(self._path)

    def show_record(self, record_id: str | None) -> None:
        self._record_id = record_id
        self._load()

    def _load(self) -> None:
        self._generation += 1
        generation = self._generation
        record_id = self._record_id
        if record_id is None:
            self._show(generation, [])
            return
        self._context.loader.submit(
            lambda session: path_of(session, record_id),
            lambda path: self._show(generation, path),
            lambda exc: self._failed(generation, exc),
        )

    def _failed(self, generation: int, exc: Exception) -> None:
        _title, message = error_text(exc)
        log.info("no path for %s (%s)", self._record_id, type(exc).__name__)
        self._show(generation, [])
        self.setToolTip(message)

    def _show(self, generation: int, path: list[TreeNode]) -> None:
        if generation != self._generation:
            return  # a newer record was asked for meanwhile
        self._path = path
        self.setToolTip("")
        self._rebuild()
        self.loaded.emit()

    def _changed(self, change: Change) -> None:
        ids = {node.id for node in self._path}
        if change.touches(ids):
            self._load()

    def _rebuild(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        kinds = _kind_names()
        self._add_segment(self.tr("Aktenplan"), self.tr("Aktenplan"), [])
        ids: list[str] = []
        for node in self._path:
            ids = [*ids, node.id]
            self._layout.addWidget(QLabel(SEPARATOR, self._strip))
            kind = kinds.get(node.kind, "")
            label = f"{node.label} {self.tr('(zdA)')}" if node.closed else node.label
            self._add_segment(label, f"{kind}: {label}", ids)
        self._layout.addStretch(1)
        self.updateGeometry()

    def _add_segment(self, label: str, accessible: str, ids: list[str]) -> None:
        button = QToolButton(self._strip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        shown = self.fontMetrics().elidedText(label, Qt.TextElideMode.ElideMiddle, MAX_SEGMENT_PX)
        button.setText(shown.replace("&", "&&"))  # a title's "&" is no mnemonic
        button.setToolTip(label)
        button.setAccessibleName(accessible)
        target = list(ids)
        button.clicked.connect(lambda: self.navigate_requested.emit(target))
        self._layout.addWidget(button)
        self.buttons.append(button)
