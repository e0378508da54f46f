"""Widgets and helpers the record dialogs share: the inline error line, retention and
disposal fields, date conversion and the confirmation box."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QLocale, QObject, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QSpinBox, QWidget

from sync.records.model import Disposal

NO_RETENTION = -1  # the spin box's minimum, shown as "keine Angabe"

T = TypeVar("T")


def if_alive(owner: QObject, callback: Callable[[T], None]) -> Callable[[T], None]:
    """``callback``, skipped if ``owner`` was deleted meanwhile: a dialog may be closed and
    deleted while its background job still runs."""

    def call(value: T) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return call


def weak_widget(widget: QWidget | None) -> Callable[[], QWidget | None]:
    """A getter for ``widget`` that neither keeps it alive nor returns it once deleted.

    For callbacks kept by a child of ``widget`` (a message box): a strong reference there
    could end up as the parent's last one, and freeing it while Qt deletes the child would
    delete the parent under the child's feet."""
    if widget is None:
        return lambda: None
    ref = weakref.ref(widget)

    def get() -> QWidget | None:
        found = ref()
        return found if found is not None and shiboken6.isValid(found) else None

    return get


class ErrorLabel(QLabel):
    """Why the last attempt was refused, shown in the dialog itself (read out by screen
    readers as the label's text changes). Hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.font()
        font.setBold(True)  # emphasis without a colour of our own: works on any palette
        self.setFont(font)
        self.setAccessibleName(self.tr("Fehlermeldung"))
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.setAccessibleDescription("")
        self.hide()


def retention_spin(parent: QWidget | None = None) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(NO_RETENTION, 200)
    spin.setValue(NO_RETENTION)  # not 0 years, until a value is known
    spin.setSpecialValueText(QCoreApplication.translate("RecordFields", "keine Angabe"))
    spin.setSuffix(QCoreApplication.translate("RecordFields", " Jahre"))
    spin.setAccessibleName(
        QCoreApplication.translate("RecordFields", "Aufbewahrungsfrist in Jahren")
    )
    return spin


def set_retention(spin: QSpinBox, years: int | None) -> None:
    spin.setValue(NO_RETENTION if years is None else years)


def retention_of(spin: QSpinBox) -> int | None:
    return None if spin.value() == NO_RETENTION else spin.value()


def disposal_names() -> dict[str | None, str]:
    return {
        None: QCoreApplication.translate("RecordFields", "keine Angabe"),
        Disposal.ARCHIVE.value: QCoreApplication.translate("RecordFields", "A – archivieren"),
        Disposal.EVALUATE.value: QCoreApplication.translate("RecordFields", "B – bewerten"),
        Disposal.DESTROY.value: QCoreApplication.translate("RecordFields", "V – vernichten"),
    }


def disposal_combo(parent: QWidget | None = None) -> QComboBox:
    combo = QComboBox(parent)
    for code, name in disposal_names().items():
        combo.addItem(name, code)
    combo.setAccessibleName(QCoreApplication.translate("RecordFields", "Aussonderungsart"))
    return combo


def set_disposal(combo: QComboBox, code: str | None) -> None:
    combo.setCurrentIndex(max(0, combo.findData(code)))


def disposal_of(combo: QComboBox) -> str | None:
    code = combo.currentData()
    return code if isinstance(code, str) else None


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _date_format() -> str:
    """The language's short date format with a four-digit year (German: dd.MM.yyyy)."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


def format_date(value: date | None) -> str:
    return QLocale().toString(to_qdate(value), _date_format()) if value else "–"


def format_time(value: datetime | None) -> str:
    """A stored UTC time in the computer's local time."""
    if value is None:
        return "–"
    local = value.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    accept_label: str,
    on_accept: Callable[[], None],
    *,
    details: str = "",
) -> QMessageBox:
    """A window-modal question that does not block: ``on_accept`` runs if the clerk chooses
    ``accept_label``; Abbrechen is the default, so Enter alone never confirms by accident.
    Returns the box (it deletes itself when closed)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    box.setInformativeText(details)
    yes = box.addButton(accept_label, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.setAccessibleName(title)
    box.setAccessibleDescription(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(_result: int) -> None:
        if box.clickedButton() == yes:
            on_accept()

    box.finished.connect(finished)
    box.open()
    return box
