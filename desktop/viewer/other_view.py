"""Documents the viewer cannot show itself (office files, archives, an encrypted PDF): what
is known about the file, why there is no preview, and a button to open it with the
application Windows associates with it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.viewer.document_source import DocumentFacts


def type_label(doc_type: str) -> str:
    labels = {
        "pdf": QCoreApplication.translate("OtherView", "PDF-Dokument"),
        "image": QCoreApplication.translate("OtherView", "Bild"),
        "email": QCoreApplication.translate("OtherView", "E-Mail"),
        "office": QCoreApplication.translate("OtherView", "Office-Dokument"),
        "text": QCoreApplication.translate("OtherView", "Textdatei"),
        "other": QCoreApplication.translate("OtherView", "Sonstige Datei"),
    }
    return labels.get(doc_type, doc_type)


def size_label(size: int) -> str:
    return QLocale(QLocale.Language.German).formattedDataSize(
        size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
    )


class OtherView(QWidget):
    """Signal ``open_requested()`` when the clerk asks for the default application."""

    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Dateiangaben"))
        self.file_name = QLabel()
        self.kind = QLabel()
        self.mime = QLabel()
        self.size_value = QLabel()
        self.pages = QLabel()
        form = QFormLayout()
        for label, widget in (
            (self.tr("Dateiname:"), self.file_name),
            (self.tr("Art:"), self.kind),
            (self.tr("Dateityp:"), self.mime),
            (self.tr("Größe:"), self.size_value),
            (self.tr("Seiten:"), self.pages),
        ):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            widget.setWordWrap(True)
            form.addRow(label, widget)
        self.notice_title = QLabel()
        font = self.notice_title.font()
        font.setBold(True)
        self.notice_title.setFont(font)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Mit &Standardanwendung öffnen"))
        self.open_button.setAccessibleName(self.tr("Mit Standardanwendung öffnen"))
        self.open_button.clicked.connect(self.open_requested)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(self.notice_title)
        layout.addWidget(self.notice)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def show_facts(self, facts: DocumentFacts, title: str = "", message: str = "") -> None:
        """Describe ``facts``; ``title``/``message`` say why there is no preview."""
        self.file_name.setText(facts.file_name)
        self.kind.setText(type_label(facts.doc_type))
        self.mime.setText(facts.mime_type)
        self.size_value.setText(size_label(facts.size))
        self.pages.setText(str(facts.page_count) if facts.page_count else "–")
        self.notice_title.setText(title)
        self.notice_title.setVisible(bool(title))
        self.notice.setText(message)
        self.notice.setVisible(bool(message))
        self.open_button.setEnabled(facts.present)
