"""Tags (add, remove) and notes (list, add) of the metadata panel. The widgets only ask;
the panel writes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.metadata.fields import MessageLine, format_date
from sync.filing.extracted import local_date
from sync.records.listing import NoteInfo


class TagsEditor(QWidget):
    """Signals: ``add_requested(name)``, ``remove_requested(name)``."""

    add_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Schlagwörter"))
        self.list.setMaximumHeight(self.fontMetrics().height() * 6)
        self.input = QLineEdit(self)
        self.input.setPlaceholderText(self.tr("Neues Schlagwort"))
        self.input.setAccessibleName(self.tr("Neues Schlagwort"))
        self.add_button = QPushButton(self.tr("&Hinzufügen"), self)
        self.add_button.setAccessibleName(self.tr("Schlagwort hinzufügen"))
        self.remove_button = QPushButton(self.tr("Entfe&rnen"), self)
        self.remove_button.setAccessibleName(self.tr("Ausgewähltes Schlagwort entfernen"))
        self.error = MessageLine(self)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.input.returnPressed.connect(self._add)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._remove)
        self.list.currentRowChanged.connect(self._update_buttons)
        self._read_only = False
        self._update_buttons()

    def tags(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def set_tags(self, tags: tuple[str, ...]) -> None:
        current = self.list.currentItem()
        keep = current.text() if current is not None else None
        self.list.clear()
        self.list.addItems(list(tags))
        if keep in tags:
            self.list.setCurrentRow(tags.index(keep))
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.input.setEnabled(not read_only)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(not self._read_only)
        self.remove_button.setEnabled(not self._read_only and self.list.currentItem() is not None)

    def _add(self) -> None:
        name = " ".join(self.input.text().split())
        if self._read_only or not name:
            return
        self.input.clear()
        if name.casefold() not in {tag.casefold() for tag in self.tags()}:
            self.add_requested.emit(name)

    def _remove(self) -> None:
        item = self.list.currentItem()
        if not self._read_only and item is not None:
            self.remove_requested.emit(item.text())


class NotesEditor(QWidget):
    """Signal: ``add_requested(text)``. Notes are kept; there is no removing them here."""

    add_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Notizen"))
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(self.fontMetrics().height() * 10)
        self.input = QPlainTextEdit(self)
        self.input.setTabChangesFocus(True)
        self.input.setPlaceholderText(self.tr("Neue Notiz"))
        self.input.setAccessibleName(self.tr("Neue Notiz"))
        self.input.setMaximumHeight(self.fontMetrics().height() * 4)
        self.add_button = QPushButton(self.tr("Notiz &speichern"), self)
        self.add_button.setAccessibleName(self.tr("Notiz speichern"))
        self.error = MessageLine(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.input)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        self.add_button.clicked.connect(self._add)

    def set_notes(self, notes: tuple[NoteInfo, ...]) -> None:
        self.list.clear()
        for note in notes:
            byline = format_date(local_date(note.created_at))
            if note.author:
                byline = f"{note.author}, {byline}"
            item = QListWidgetItem(f"{note.text}\n— {byline}")
            item.setToolTip(note.text)
            self.list.addItem(item)

    def set_read_only(self, read_only: bool) -> None:
        self.input.setReadOnly(read_only)
        self.add_button.setEnabled(not read_only)

    def _add(self) -> None:
        text = self.input.toPlainText().strip()
        if text and not self.input.isReadOnly():
            self.add_requested.emit(text)
