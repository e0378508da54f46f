"""Eigenschaften of a plan unit, dossier, case or document, with the record's history.

Title, description, retention and disposal of an open dossier, and title and description of an
open case, can be changed here; everything else, and everything of a closed (zdA) or deleted
record, is shown read-only, with the reason.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext, Change
from desktop.dialogs.fields import (
    ErrorLabel,
    disposal_combo,
    disposal_names,
    disposal_of,
    format_date,
    format_time,
    if_alive,
    retention_of,
    retention_spin,
    set_disposal,
    set_retention,
)
from desktop.dialogs.record_facts import (
    EDITABLE,
    EVENT_KINDS,
    HistoryEntry,
    RecordFacts,
    record_facts,
    save_fields,
)
from desktop.errors import error_text
from sync.records.tree import TreeNode


def field_labels() -> dict[str, str]:
    return {
        "code": QCoreApplication.translate("PropertiesDialog", "Kennzeichen"),
        "reference": QCoreApplication.translate("PropertiesDialog", "Aktenzeichen"),
        "title": QCoreApplication.translate("PropertiesDialog", "Titel"),
        "description": QCoreApplication.translate("PropertiesDialog", "Beschreibung"),
        "unit": QCoreApplication.translate("PropertiesDialog", "Aktenplaneinheit"),
        "dossier": QCoreApplication.translate("PropertiesDialog", "Akte"),
        "place": QCoreApplication.translate("PropertiesDialog", "Abgelegt in"),
        "opened_on": QCoreApplication.translate("PropertiesDialog", "Angelegt am"),
        "closed_at": QCoreApplication.translate("PropertiesDialog", "Zu den Akten gelegt"),
        "retention_years": QCoreApplication.translate("PropertiesDialog", "Aufbewahrungsfrist"),
        "disposal": QCoreApplication.translate("PropertiesDialog", "Aussonderungsart"),
        "doc_type": QCoreApplication.translate("PropertiesDialog", "Dokumentart"),
        "file_name": QCoreApplication.translate("PropertiesDialog", "Dateiname"),
        "sender": QCoreApplication.translate("PropertiesDialog", "Absender"),
        "recipient": QCoreApplication.translate("PropertiesDialog", "Empfänger"),
        "received_on": QCoreApplication.translate("PropertiesDialog", "Posteingangsdatum"),
        "document_date": QCoreApplication.translate("PropertiesDialog", "Dokumentdatum"),
        "page_count": QCoreApplication.translate("PropertiesDialog", "Seiten"),
        "current_version": QCoreApplication.translate("PropertiesDialog", "Version"),
        "deleted_at": QCoreApplication.translate("PropertiesDialog", "Gelöscht am"),
        "restricted": QCoreApplication.translate("PropertiesDialog", "Zugriffsbeschränkung"),
        "dossier_id": QCoreApplication.translate("PropertiesDialog", "Akte"),
        "case_id": QCoreApplication.translate("PropertiesDialog", "Vorgang"),
    }


def action_names() -> dict[str, str]:
    return {
        "create": QCoreApplication.translate("PropertiesDialog", "angelegt"),
        "update": QCoreApplication.translate("PropertiesDialog", "geändert"),
        "close": QCoreApplication.translate("PropertiesDialog", "zu den Akten gelegt (zdA)"),
        "reopen": QCoreApplication.translate("PropertiesDialog", "wieder geöffnet"),
        "delete": QCoreApplication.translate("PropertiesDialog", "in den Papierkorb gelegt"),
        "restore": QCoreApplication.translate("PropertiesDialog", "wiederhergestellt"),
        "move": QCoreApplication.translate("PropertiesDialog", "verschoben"),
        "tag": QCoreApplication.translate("PropertiesDialog", "Schlagwort hinzugefügt"),
        "untag": QCoreApplication.translate("PropertiesDialog", "Schlagwort entfernt"),
    }


def doc_type_names() -> dict[str, str]:
    return {
        "pdf": QCoreApplication.translate("PropertiesDialog", "PDF-Dokument"),
        "image": QCoreApplication.translate("PropertiesDialog", "Bild"),
        "email": QCoreApplication.translate("PropertiesDialog", "E-Mail"),
        "office": QCoreApplication.translate("PropertiesDialog", "Office-Dokument"),
        "text": QCoreApplication.translate("PropertiesDialog", "Text"),
        "other": QCoreApplication.translate("PropertiesDialog", "Sonstige Datei"),
    }


def _display(field: str, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if field == "disposal":
        return disposal_names().get(value, str(value))
    if field == "doc_type":
        return doc_type_names().get(value, str(value))
    if field == "retention_years":
        return QCoreApplication.translate("PropertiesDialog", "%1 Jahre").replace("%1", str(value))
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value)


class PropertiesDialog(QDialog):
    """``saved(fields)`` after changes were stored (and announced on ``context.events``)."""

    saved = Signal(list)

    def __init__(self, context: AppContext, node: TreeNode, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if node.kind not in EVENT_KINDS:
            raise ValueError(f"no properties for a {node.kind}")
        self._context = context
        self._node = node
        self._facts: RecordFacts | None = None
        self.editors: dict[str, QWidget] = {}
        self.setWindowTitle(self.tr("Eigenschaften – %1").replace("%1", node.label))
        self.setAccessibleName(self.tr("Eigenschaften"))

        self.form_page = QWidget()
        self.form = QFormLayout(self.form_page)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.hide()
        self.loading = QLabel(self.tr("Eigenschaften werden geladen …"))
        self.form.addRow(self.loading)
        self.history = QTreeWidget()
        self.history.setColumnCount(4)
        self.history.setHeaderLabels(
            [self.tr("Zeitpunkt"), self.tr("Aktion"), self.tr("Von"), self.tr("Einzelheiten")]
        )
        self.history.setRootIsDecorated(False)
        self.history.setAccessibleName(self.tr("Verlauf"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form_page, self.tr("&Allgemein"))
        self.tabs.addTab(self.history, self.tr("&Verlauf"))
        self.tabs.setAccessibleName(self.tr("Eigenschaften und Verlauf"))
        self.error = ErrorLabel()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton(
            self.tr("&Speichern"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName(self.tr("Änderungen speichern"))
        self.save_button.hide()
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(600, 480)

        context.loader.submit(
            lambda session: record_facts(session, node),
            if_alive(self, self._loaded),
            if_alive(self, self._load_failed),
        )

    def facts(self) -> RecordFacts | None:
        return self._facts

    def _loaded(self, facts: RecordFacts) -> None:
        self._facts = facts
        self.form.removeRow(self.loading)
        editable = EDITABLE.get(self._node.kind, ()) if facts.editable else ()
        labels = field_labels()
        for field, value in facts.values.items():
            if field == "deleted_at" and value is None:
                continue
            widget = self._editor(field, value) if field in editable else self._viewer(field, value)
            widget.setAccessibleName(labels[field])
            self.editors[field] = widget
            self.form.addRow(f"{labels[field]}:", widget)
        if facts.reason:
            self.reason.setText(facts.reason)
            self.reason.show()
        if editable:
            self.save_button.show()
            self.save_button.setDefault(True)
            title = self.editors["title"]
            title.show()  # the layout would show it only on the next turn of the event loop
            title.setFocus()
        self._fill_history(facts.history)

    def _editor(self, field: str, value: Any) -> QWidget:
        if field == "retention_years":
            spin = retention_spin()
            set_retention(spin, value)
            return spin
        if field == "disposal":
            combo = disposal_combo()
            set_disposal(combo, value)
            return combo
        if field == "description":
            text = QPlainTextEdit(value or "")
            text.setTabChangesFocus(True)
            text.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
            return text
        return QLineEdit(value or "")

    def _viewer(self, field: str, value: Any) -> QWidget:
        """Read-only, but focusable and selectable, so a screen reader reaches it."""
        if field == "description" and value:
            text = QPlainTextEdit(value)
            text.setReadOnly(True)
            text.setTabChangesFocus(True)
            text.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
            return text
        line = QLineEdit(_display(field, value))
        line.setReadOnly(True)
        return line

    def _fill_history(self, history: list[HistoryEntry]) -> None:
        actions, labels = action_names(), field_labels()
        for entry in history:
            details = entry.tag or ", ".join(labels.get(f, f) for f in entry.fields)
            item = QTreeWidgetItem(
                [
                    format_time(entry.occurred_at),
                    actions.get(entry.action, entry.action),
                    entry.actor or "–",
                    details,
                ]
            )
            self.history.addTopLevelItem(item)
        for column in range(3):
            self.history.resizeColumnToContents(column)

    def changes(self) -> dict[str, Any]:
        """The fields the clerk changed, with their new values."""
        if self._facts is None:
            return {}
        current: dict[str, Any] = {}
        for field, widget in self.editors.items():
            if isinstance(widget, QLineEdit) and not widget.isReadOnly():
                current[field] = widget.text()
            elif isinstance(widget, QPlainTextEdit) and not widget.isReadOnly():
                current[field] = widget.toPlainText()
            elif isinstance(widget, QSpinBox):
                current[field] = retention_of(widget)
            elif isinstance(widget, QComboBox):
                current[field] = disposal_of(widget)
        return {k: v for k, v in current.items() if v != self._facts.values[k]}

    def _submit(self) -> None:
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self.error.clear_message()
        self.save_button.setEnabled(False)
        events, node = self._context.events, self._node
        done = if_alive(self, self._saved)

        def saved(fields: set[str]) -> None:
            if fields:  # announced even if the dialog is gone by now
                events.announce(Change.of(records=(node.id,)))
            done(fields)

        self._context.loader.submit_write(
            lambda session: save_fields(session, node, changes),
            saved,
            if_alive(self, self._refused),
        )

    def _saved(self, fields: set[str]) -> None:
        self.saved.emit(sorted(fields))
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.error.show_message(error_text(exc)[1])
        self.save_button.setEnabled(True)

    def _load_failed(self, exc: Exception) -> None:
        self.loading.setText(error_text(exc)[1])
