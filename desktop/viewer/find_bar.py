"""The find bar above the pages: search term, previous/next hit, how many hits, close."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QToolButton,
    QWidget,
)


class FindBar(QWidget):
    """Signals: ``search_requested(str)`` (Enter on a new term), ``next_requested()``,
    ``previous_requested()`` (Enter / Shift+Enter on the same term, or the buttons),
    ``closed()`` (Escape or the close button)."""

    search_requested = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Suche im Dokument"))
        self.field = QLineEdit()
        self.field.setPlaceholderText(self.tr("Im Dokument suchen …"))
        self.field.setAccessibleName(self.tr("Suchbegriff"))
        self.field.setClearButtonEnabled(True)
        style = self.style()
        self.previous_button = self._button(
            self.tr("&Vorheriger Treffer"),
            QIcon.fromTheme(
                QIcon.ThemeIcon.GoUp, style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp)
            ),
        )
        self.next_button = self._button(
            self.tr("&Nächster Treffer"),
            QIcon.fromTheme(
                QIcon.ThemeIcon.GoDown, style.standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
            ),
        )
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Anzahl der Treffer"))
        self.close_button = self._button(
            self.tr("Suche s&chließen"),
            style.standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton),
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.count)
        layout.addWidget(self.close_button)
        self._searched: str | None = None
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.close_button.clicked.connect(self.close_bar)
        self.field.installEventFilter(self)

    def _button(self, text: str, icon: QIcon) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon)
        button.setText(text)
        button.setToolTip(text.replace("&", ""))
        button.setAccessibleName(text.replace("&", ""))
        return button

    def activate(self) -> None:
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._searched = None
        self.count.clear()
        self.closed.emit()

    def forget(self) -> None:
        """A new document: the next Enter searches again."""
        self._searched = None
        self.count.clear()

    def show_count(self, current: int | None, total: int, *, running: bool) -> None:
        if running:
            text = self.tr("Suche läuft … %1 Treffer").replace("%1", str(total))
        elif total == 0:
            text = self.tr("Keine Treffer")
        elif current is None:
            text = self.tr("%1 Treffer").replace("%1", str(total))
        else:
            text = self.tr("Treffer %1 von %2").replace("%1", str(current + 1))
            text = text.replace("%2", str(total))
        self.count.setText(text)

    def _enter(self, *, backwards: bool) -> None:
        term = self.field.text().strip()
        if not term:
            return
        if term != self._searched:
            self._searched = term
            self.search_requested.emit(term)
        elif backwards:
            self.previous_requested.emit()
        else:
            self.next_requested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter searches or goes to the next hit, Shift+Enter to the previous one, Escape
        closes the bar."""
        pressed = isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
        if watched is self.field and pressed:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self._enter(backwards=shift)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
