"""A page with a title and a German message: loading, no document, or why one cannot be
shown (and what to do); with a busy bar while something is being fetched."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget


class MessageView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.title, self.message):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the engine reports no bytes for one download
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(320)
        self.progress.hide()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setAccessibleName(self.tr("Hinweis"))

    def show_message(self, title: str, message: str = "", *, busy: bool = False) -> None:
        self.progress.setVisible(busy)
        self.progress.setAccessibleName(title if busy else "")
        self.title.setText(title)
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.setAccessibleDescription(f"{title} {message}".strip())
