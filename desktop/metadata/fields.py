"""The editable fields of the metadata panel: line edits with their German error text, and
how dates and sizes are written for a German clerk."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStyle, QVBoxLayout, QWidget

from sync.errors import ValidationError
from sync.filing.extracted import local_date
from sync.records.listing import VersionInfo
from sync.records.validation import LABELS, validate_field

DATE_FIELDS = ("received_on", "document_date")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def format_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def parse_date(field: str, text: str) -> date | None:
    """``31.12.2026`` (or ISO ``2026-12-31``) as a date, empty as None."""
    text = text.strip()
    if not text:
        return None
    german, iso = _GERMAN_DATE.fullmatch(text), _ISO_DATE.fullmatch(text)
    try:
        if german:
            return date(int(german[3]), int(german[2]), int(german[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass  # 31.02.2026: answered below like any other text that is not a date
    message = QCoreApplication.translate(
        "MetadataFields", "„%1“ muss ein Datum wie 31.12.2026 sein."
    ).replace("%1", LABELS[field])
    raise ValidationError(message)


def field_value(field: str, text: str) -> Any:
    """The cleaned value the clerk typed into ``field``; ValidationError if it is not one."""
    value: Any = parse_date(field, text) if field in DATE_FIELDS else text
    return validate_field("document", field, value)


def field_text(field: str, value: Any) -> str:
    if field in DATE_FIELDS:
        return format_date(value)
    return value or ""


def format_size(size: int | None) -> str:
    if size is None:
        return "–"
    locale = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    return locale.formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def versions_text(versions: tuple[VersionInfo, ...]) -> str:
    """One line per version: number, date (local), size and a conflict marker."""
    lines = []
    for version in versions:
        parts = [
            QCoreApplication.translate("MetadataFields", "Version %1").replace(
                "%1", str(version.number)
            ),
            format_date(local_date(version.created_at)),
            format_size(version.size),
        ]
        if version.conflict:
            parts.append(
                QCoreApplication.translate("MetadataFields", "Konflikt: parallele Änderung")
            )
        lines.append(" · ".join(parts))
    return "\n".join(lines) or "–"


class MessageLine(QWidget):
    """A warning icon and a German message; hidden while there is none. The icon, not a
    colour, marks it, so it reads the same on light and dark palettes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(warning.pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(icon)
        layout.addWidget(self.label, 1)
        self.hide()

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""

    def show_message(self, message: str) -> None:
        self.label.setText(message)
        self.show()

    def clear(self) -> None:
        self.label.clear()
        self.hide()


class FieldEditor(QWidget):
    """A line edit with the German message of its last refused input below it."""

    def __init__(self, field: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(name)
        if field in DATE_FIELDS:
            self.edit.setPlaceholderText(self.tr("TT.MM.JJJJ"))
        self.error = MessageLine(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)

    def show_error(self, message: str) -> None:
        self.error.show_message(message)
        self.edit.setAccessibleDescription(message)

    def clear_error(self) -> None:
        self.error.clear()
        self.edit.setAccessibleDescription("")

    def set_value(self, value: Any, *, force: bool) -> None:
        """Show the stored ``value``, unless the clerk is typing here (and ``force`` is off)."""
        if not force and self.edit.hasFocus() and self.edit.isModified():
            return
        self.edit.setText(field_text(self.field, value))
        self.edit.setModified(False)
        self.clear_error()
