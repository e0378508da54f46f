"""E-mails: header fields, the body, and the attachments (each filed as its own document).

An HTML body is shown in a ``QTextBrowser`` that loads nothing: remote images are how a
sender learns that a mail was opened, and ``file:`` references could read local files, so
every resource request is answered with nothing and links are not followed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.viewer.document_source import DocumentFacts
from desktop.viewer.other_view import size_label, type_label
from sync.filing.extracted import LOCAL_TZ
from sync.filing.mail_view import MailContent

_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_TYPE_ROLE = Qt.ItemDataRole.UserRole + 2


class OfflineBrowser(QTextBrowser):
    """A text browser that never fetches anything and never navigates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.requested: list[str] = []  # what the body tried to load, for tests and logs

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802
        self.requested.append(name.toString() if isinstance(name, QUrl) else name)
        return None


class MailView(QWidget):
    """Signal ``attachment_chosen(document_id, doc_type)`` when an attachment is opened."""

    attachment_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("E-Mail"))
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in (
            ("sender", self.tr("Von:")),
            ("to", self.tr("An:")),
            ("cc", self.tr("Cc:")),
            ("date", self.tr("Datum:")),
            ("subject", self.tr("Betreff:")),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            value.setAccessibleName(label.rstrip(":"))
            self.fields[key] = value
            form.addRow(label, value)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.body = OfflineBrowser()
        self.body.setAccessibleName(self.tr("Nachrichtentext"))
        self.attachments = QListWidget()
        self.attachments.setAccessibleName(self.tr("Anhänge"))
        attachments_label = QLabel(self.tr("&Anhänge:"))
        attachments_label.setBuddy(self.attachments)
        self.open_button = QPushButton(self.tr("Anhang ö&ffnen"))
        self.open_button.setAccessibleName(self.tr("Anhang öffnen"))
        self.open_button.setEnabled(False)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(attachments_label)
        lower_layout.addWidget(self.attachments, 1)
        lower_layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.attachment_panel = lower
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.body)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)

        self.attachments.itemActivated.connect(self._activated)
        self.attachments.currentItemChanged.connect(
            lambda current, _previous: self.open_button.setEnabled(current is not None)
        )
        self.open_button.clicked.connect(lambda: self._activated(self.attachments.currentItem()))

    def show_mail(self, facts: DocumentFacts, content: MailContent) -> None:
        values = {
            "sender": content.sender,
            "to": content.to,
            "cc": content.cc,
            "date": (
                content.date.astimezone(LOCAL_TZ).strftime("%d.%m.%Y %H:%M")
                if content.date is not None
                else None
            ),
            "subject": content.subject,
        }
        for key, value in values.items():
            self.fields[key].setText(value or "–")
        self.body.requested.clear()
        if content.text.strip() or not content.html:
            self.body.setPlainText(content.text)
        else:
            self.body.setHtml(content.html)
        self.note.setText(self.tr("Die Nachricht ist sehr lang; nur ihr Anfang wird angezeigt."))
        self.note.setVisible(content.truncated)
        self.attachments.clear()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for attachment in facts.attachments:
            text = f"{attachment.file_name} ({type_label(attachment.doc_type)}, "
            text += f"{size_label(attachment.size)})"
            item = QListWidgetItem(icon, text)
            item.setData(_ID_ROLE, attachment.document_id)
            item.setData(_TYPE_ROLE, attachment.doc_type)
            self.attachments.addItem(item)
        self.attachment_panel.setVisible(bool(facts.attachments))
        self.open_button.setEnabled(False)

    def attachment_names(self) -> list[str]:
        return [self.attachments.item(row).text() for row in range(self.attachments.count())]

    def _activated(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.attachment_chosen.emit(str(item.data(_ID_ROLE)), str(item.data(_TYPE_ROLE)))
