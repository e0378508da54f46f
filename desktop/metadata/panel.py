"""The metadata panel: what is recorded about the selected document, and its editing.

Reading and writing both run in the background. Every edit is validated on input with the
core's rules (``validate_field``; a refused input shows the German message next to the
field and stores nothing), then pushed as a ``RecordCommand`` on the shared undo stack, which
writes it through ``sync.records.operations`` and announces it. The panel shows what is
stored: after every write it reloads, and after a failed one it says why and reloads.
A document in a closed (zdA) or deleted container is shown read-only with the reason.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext, Change
from desktop.documents.badges import type_label
from desktop.errors import error_text
from desktop.metadata.commands import (
    FailureHandler,
    RecordCommand,
    SerialWriter,
    Work,
    add_note_work,
    add_tag_work,
    delete_note_work,
    field_edit_text,
    remove_tag_work,
    update_work,
)
from desktop.metadata.fields import (
    FieldEditor,
    MessageLine,
    field_value,
    format_size,
    versions_text,
)
from desktop.metadata.tags_notes import NotesEditor, TagsEditor
from sync.errors import ValidationError
from sync.filing.extracted import problem_label
from sync.records.listing import DocumentDetails, document_details
from sync.records.model import new_id

log = logging.getLogger("eakte.desktop.metadata")

EDITABLE = ("title", "received_on", "document_date", "sender", "recipient")


def _field_labels() -> dict[str, str]:
    return {
        "title": QCoreApplication.translate("MetadataPanel", "&Titel:"),
        "received_on": QCoreApplication.translate("MetadataPanel", "&Posteingangsdatum:"),
        "document_date": QCoreApplication.translate("MetadataPanel", "&Dokumentdatum:"),
        "sender": QCoreApplication.translate("MetadataPanel", "A&bsender:"),
        "recipient": QCoreApplication.translate("MetadataPanel", "&Empfänger:"),
    }


class MetadataPanel(QWidget):
    """``show_document(id | None)``; ``loaded()`` after a document's stored values are
    shown. ``writer`` runs this panel's writes one after another (``pending()`` counts them)."""

    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.writer = SerialWriter(context, self)
        self._document_id: str | None = None
        self._details: DocumentDetails | None = None
        self._generation = 0
        self._force = False  # a forced reload was asked for and has not been shown yet
        self.setAccessibleName(self.tr("Metadaten"))
        self.message = MessageLine(self)
        self.read_only_notice = MessageLine(self)
        labels = _field_labels()
        self.editors = {
            # The row label without its mnemonic and colon names the field for screen readers.
            field: FieldEditor(field, labels[field].replace("&", "").rstrip(":"), self)
            for field in EDITABLE
        }
        self.doc_type = self._value_label(self.tr("Typ"))
        self.tags = TagsEditor(self)
        self.notes = NotesEditor(self)
        self.file_name = self._value_label(self.tr("Dateiname"))
        self.file_size = self._value_label(self.tr("Größe"))
        self.pages = self._value_label(self.tr("Seiten"))
        self.reference = self._value_label(self.tr("Aktenzeichen"))
        self.case = self._value_label(self.tr("Vorgang"))
        self.problems = self._value_label(self.tr("Hinweise"))
        self.versions = self._value_label(self.tr("Versionen"))
        self.empty = QLabel(self.tr("Kein Dokument ausgewählt."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self._build_form())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self._stack, 1)
        for editor in self.editors.values():
            editor.edit.editingFinished.connect(lambda e=editor: self._edited(e))
        self.tags.add_requested.connect(self._add_tag)
        self.tags.remove_requested.connect(self._remove_tag)
        self.notes.add_requested.connect(self._add_note)
        context.events.changed.connect(self._changed)

    def _value_label(self, name: str) -> QLabel:
        label = QLabel("–", self)
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _build_form(self) -> QWidget:
        form = QWidget()
        rows = QFormLayout(form)
        rows.addRow(self.read_only_notice)
        for field, label in _field_labels().items():
            rows.addRow(label, self.editors[field])
        rows.addRow(self.tr("Typ:"), self.doc_type)
        rows.addRow(self.tr("Schla&gwörter:"), self.tags)
        rows.addRow(self.tr("&Notizen:"), self.notes)
        rows.addRow(self.tr("Dateiname:"), self.file_name)
        rows.addRow(self.tr("Größe:"), self.file_size)
        rows.addRow(self.tr("Seiten:"), self.pages)
        rows.addRow(self.tr("Aktenzeichen:"), self.reference)
        rows.addRow(self.tr("Vorgang:"), self.case)
        rows.addRow(self.tr("Hinweise:"), self.problems)
        rows.addRow(self.tr("Versionen:"), self.versions)
        # The mnemonic of a row label moves the focus to its field.
        for field in EDITABLE:
            buddy = rows.labelForField(self.editors[field])
            if isinstance(buddy, QLabel):
                buddy.setBuddy(self.editors[field].edit)
        for widget, target in ((self.tags, self.tags.input), (self.notes, self.notes.input)):
            buddy = rows.labelForField(widget)
            if isinstance(buddy, QLabel):
                buddy.setBuddy(target)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        return scroll

    # -- loading ---------------------------------------------------------------------------

    def document_id(self) -> str | None:
        return self._document_id

    def details(self) -> DocumentDetails | None:
        return self._details

    def show_document(self, document_id: str | None) -> None:
        if document_id != self._document_id:
            self.message.clear()
        self._document_id = document_id
        if document_id is None:
            self._generation += 1
            self._force = False
            self._details = None
            self._stack.setCurrentWidget(self.empty)
            return
        self._load(force=True)

    def _load(self, *, force: bool) -> None:
        document_id = self._document_id
        if document_id is None:
            return
        self._generation += 1
        self._force = self._force or force
        generation = self._generation
        self._context.loader.submit(
            lambda session: document_details(session, document_id),
            lambda details: self._loaded(generation, details),
            lambda exc: self._load_failed(generation, exc),
        )

    def _loaded(self, generation: int, details: DocumentDetails) -> None:
        if generation != self._generation:
            return  # a newer load is under way
        if self.writer.pending():
            return  # read before a queued write: the write's own reload follows
        force, self._force = self._force, False
        self._details = details
        for field, editor in self.editors.items():
            editor.set_value(getattr(details, field), force=force)
        self.doc_type.setText(type_label(details.doc_type))
        self.tags.set_tags(details.tags)
        self.notes.set_notes(details.notes)
        self.file_name.setText(details.file_name)
        self.file_size.setText(format_size(details.size))
        self.pages.setText(str(details.page_count) if details.page_count is not None else "–")
        self.reference.setText(details.reference)
        self.case.setText(details.case_title or self.tr("direkt in der Akte"))
        self.problems.setText(", ".join(problem_label(p) for p in details.problems) or "–")
        self.versions.setText(versions_text(details.versions))
        self._set_read_only(details.read_only_reason)
        self._stack.setCurrentIndex(1)
        self.loaded.emit()

    def _load_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        _title, message = error_text(exc)
        log.info("loading document %s failed (%s)", self._document_id, type(exc).__name__)
        self._details = None
        self.empty.setText(message)
        self._stack.setCurrentWidget(self.empty)

    def _set_read_only(self, reason: str | None) -> None:
        read_only = reason is not None
        for editor in self.editors.values():
            editor.edit.setReadOnly(read_only)
        self.tags.set_read_only(read_only)
        self.notes.set_read_only(read_only)
        if reason is None:
            self.read_only_notice.clear()
        else:
            self.read_only_notice.show_message(self.tr("Nur lesbar: %1").replace("%1", reason))

    def _changed(self, change: Change) -> None:
        details = self._details
        watched = {self._document_id}
        if details is not None:
            watched |= {details.dossier_id, details.case_id}
        watched.discard(None)
        if change.touches(watched):
            self._load(force=False)

    # -- editing ---------------------------------------------------------------------------

    def _editable(self) -> DocumentDetails | None:
        details = self._details
        if details is None or details.read_only_reason is not None:
            return None
        return details

    def _edited(self, editor: FieldEditor) -> None:
        details = self._editable()
        if details is None or not editor.edit.isModified():
            return
        field = editor.field
        try:
            value = field_value(field, editor.edit.text())
        except ValidationError as exc:
            editor.show_error(exc.message)
            return
        old: Any = getattr(details, field)
        editor.set_value(value, force=True)  # shown as it will be stored (trimmed, formatted)
        if value == old:
            return
        self._details = replace(details, **{field: value})
        self._push(
            field_edit_text(field),
            update_work(details.id, {field: value}),
            update_work(details.id, {field: old}),
            Change.of(containers=(details.container_id,), records=(details.id,)),
        )

    def _add_tag(self, name: str) -> None:
        details = self._editable()
        if details is None:
            return
        self._push(
            self.tr("Schlagwort „%1“ hinzufügen").replace("%1", name),
            add_tag_work(details.id, name),
            remove_tag_work(details.id, name),
            Change.of(records=(details.id,)),
        )

    def _remove_tag(self, name: str) -> None:
        details = self._editable()
        if details is None:
            return
        self._push(
            self.tr("Schlagwort „%1“ entfernen").replace("%1", name),
            remove_tag_work(details.id, name),
            add_tag_work(details.id, name),
            Change.of(records=(details.id,)),
        )

    def _add_note(self, text: str) -> None:
        details = self._editable()
        if details is None:
            return
        note_id = new_id()  # fixed now, so that redo after undo brings back the same note
        self.notes.input.clear()

        def failed(document_id: str, exc: Exception) -> None:
            if not self.notes.input.toPlainText():
                self.notes.input.setPlainText(text)  # the clerk's text is not lost
            self._failed(document_id, exc)

        self._push(
            self.tr("Notiz hinzufügen"),
            add_note_work(details.id, text, note_id),
            delete_note_work(note_id),
            Change.of(records=(details.id,)),
            on_failed=failed,
        )

    def _push(
        self,
        text: str,
        forward: Work,
        backward: Work,
        change: Change,
        *,
        on_failed: FailureHandler | None = None,
    ) -> None:
        assert self._details is not None
        self.message.clear()
        command = RecordCommand(
            text,
            self._context,
            self.writer,
            self._details.id,
            forward,
            backward,
            change,
            on_failed or self._failed,
        )
        self._context.undo.push(command)  # runs redo(): the write is queued now

    def _failed(self, document_id: str, exc: Exception) -> None:
        _title, message = error_text(exc)
        self.message.show_message(message)
        if document_id == self._document_id:
            self._load(force=True)  # show what is stored, not what was typed
