"""Plain text files, decoded with the charset that filing detected (or detects now)."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.viewer.document_source import MAX_TEXT_BYTES, TextContent


class TextView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QPlainTextEdit()
        self.editor.setReadOnly(True)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setAccessibleName(self.tr("Textinhalt"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.editor, 1)

    def show_text(self, content: TextContent) -> None:
        self.editor.setPlainText(content.text)
        if content.truncated:
            megabytes = MAX_TEXT_BYTES // (1024 * 1024)
            self.note.setText(
                self.tr(
                    "Die Datei ist sehr groß; angezeigt werden die ersten %1 MB. Die ganze "
                    "Datei lässt sich mit der Standardanwendung öffnen."
                ).replace("%1", str(megabytes))
            )
        self.note.setVisible(content.truncated)

    def clear(self) -> None:
        self.editor.clear()
        self.note.hide()
