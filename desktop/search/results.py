"""Search hits as a list: title, place and date, and the snippet with the matches marked.

The snippet is drawn as rich text. Everything the documents contain is HTML-escaped; only
the marks around the matched spans are markup, in the palette's highlight colours (for a
selected row, whose background already is the highlight, they are bold and underlined).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from sync.search import SearchHit

Index = QModelIndex | QPersistentModelIndex
Span = tuple[int, int]

HitRole = Qt.ItemDataRole.UserRole + 1  # SearchHit
DocumentIdRole = Qt.ItemDataRole.UserRole + 2  # str


def highlighted_html(text: str, spans: tuple[Span, ...], open_mark: str, close_mark: str) -> str:
    """``text`` HTML-escaped, each span wrapped in the given marks (overlaps merged, spans
    outside the text ignored)."""
    parts: list[str] = []
    position = 0
    for start, end in sorted(spans):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        parts.append(html.escape(text[position:start], quote=False))
        parts.append(open_mark + html.escape(text[start:end], quote=False) + close_mark)
        position = end
    parts.append(html.escape(text[position:], quote=False))
    return "".join(parts)


def place_text(hit: SearchHit) -> str:
    """Aktenzeichen, Vorgang and date of a hit, for its second line."""
    parts = [hit.reference]
    if hit.case_title:
        parts.append(hit.case_title)
    if hit.received_on:
        parts.append(hit.received_on.strftime("%d.%m.%Y"))
    return " · ".join(parts)


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._hits)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.checkIndex(index):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.title}\n{place_text(hit)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.title}, {place_text(hit)}: {hit.snippet}"
        if role == HitRole:
            return hit
        if role == DocumentIdRole:
            return hit.document_id
        return None


class HitDelegate(QStyledItemDelegate):
    """Three lines per hit: the title (bold), its place and date, the snippet."""

    MARGIN = 4

    def _document(self, option: QStyleOptionViewItem, hit: SearchHit) -> QTextDocument:
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            text_colour = palette.color(QPalette.ColorRole.HighlightedText).name()
            place_colour = text_colour
            mark_open, mark_close = "<b><u>", "</u></b>"
        else:
            text_colour = palette.color(QPalette.ColorRole.Text).name()
            place_colour = palette.color(QPalette.ColorRole.PlaceholderText).name()
            background = palette.color(QPalette.ColorRole.Highlight).name()
            foreground = palette.color(QPalette.ColorRole.HighlightedText).name()
            mark_open = f'<span style="background-color:{background}; color:{foreground}">'
            mark_close = "</span>"
        title = highlighted_html(hit.title, hit.title_highlights, mark_open, mark_close)
        snippet = highlighted_html(hit.snippet, hit.highlights, mark_open, mark_close)
        place = html.escape(place_text(hit), quote=False)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(self.MARGIN)
        document.setHtml(
            f'<div style="color:{text_colour}"><b>{title}</b><br>'
            f'<span style="color:{place_colour}">{place}</span><br>{snippet}</div>'
        )
        return document

    def _width(self, option: QStyleOptionViewItem) -> int:
        rect = option.rect
        widget = option.widget
        if rect.width() > 0:
            return int(rect.width())
        if isinstance(widget, QAbstractItemView):
            return int(widget.viewport().width())
        return 400

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit = index.data(HitRole)
        if not isinstance(hit, SearchHit):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        document = self._document(option, hit)
        document.setTextWidth(self._width(option))
        painter.save()
        rect = option.rect
        painter.translate(rect.topLeft())
        painter.setClipRect(rect.translated(-rect.topLeft()))
        document.documentLayout().draw(painter, QAbstractTextDocumentLayout.PaintContext())
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        hit = index.data(HitRole)
        if not isinstance(hit, SearchHit):
            return super().sizeHint(option, index)
        self.initStyleOption(option, index)
        document = self._document(option, hit)
        document.setTextWidth(self._width(option))
        return QSize(self._width(option), int(document.size().height()))


class SearchResultsView(QListView):
    """Signals: ``hit_activated(document id)`` on Enter or double-click; ``leave_upwards()``
    when Up is pressed on the first hit (the search box takes the focus back)."""

    hit_activated = Signal(str)
    leave_upwards = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results = SearchResultsModel(self)
        self.setModel(self.results)
        self.setItemDelegate(HitDelegate(self))
        self.setAccessibleName(self.tr("Suchergebnisse"))
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.doubleClicked.connect(self._activate)

    def _activate(self, index: QModelIndex) -> None:
        document_id = index.data(DocumentIdRole) if index.isValid() else None
        if document_id:
            self.hit_activated.emit(document_id)

    def activate_current(self) -> None:
        self._activate(self.currentIndex())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activate_current()
            event.accept()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Escape) and (
            key == Qt.Key.Key_Escape or self.currentIndex().row() <= 0
        ):
            self.leave_upwards.emit()
            event.accept()
            return
        super().keyPressEvent(event)
