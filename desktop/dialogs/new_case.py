"""Neuer Vorgang: a case inside the selected dossier."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from desktop.dialogs.fields import ErrorLabel, if_alive
from desktop.errors import error_text
from sync.records import operations as ops
from sync.records.model import Dossier
from sync.records.tree import TreeNode


def _create(session: Session, dossier_id: str, title: str, description: str) -> str:
    case = ops.create_case(session, session.get_one(Dossier, dossier_id), title)
    if description.strip():
        ops.update_fields(session, case, {"description": description})
    return case.id


class NewCaseDialog(QDialog):
    """``created(case_id)`` after the case was stored (and announced on ``context.events``);
    the dialog then closes with ``accept()``. A closed or deleted dossier refuses it."""

    created = Signal(str)

    def __init__(
        self, context: AppContext, dossier: TreeNode, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if dossier.kind != "dossier":
            raise ValueError(f"a case belongs into a dossier, not a {dossier.kind}")
        self._context = context
        self._dossier = dossier
        self.setWindowTitle(self.tr("Neuer Vorgang"))
        self.setAccessibleName(self.tr("Neuer Vorgang"))

        self.dossier_label = QLabel(dossier.label)
        self.dossier_label.setWordWrap(True)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("Titel des Vorgangs"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setAccessibleName(self.tr("Beschreibung"))
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.error = ErrorLabel()

        form = QFormLayout()
        form.addRow(self.tr("Akte:"), self.dossier_label)
        form.addRow(self.tr("&Titel:"), self.title_edit)
        form.addRow(self.tr("&Beschreibung:"), self.description_edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.addButton(
            self.tr("&Anlegen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setAccessibleName(self.tr("Vorgang anlegen"))
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())

    def _submit(self) -> None:
        self.error.clear_message()
        self.create_button.setEnabled(False)
        events, dossier_id = self._context.events, self._dossier.id
        title, description = self.title_edit.text(), self.description_edit.toPlainText()
        done = if_alive(self, self._created)

        def created(case_id: str) -> None:
            # Announced even if the dialog is gone by now: the case exists.
            events.announce(Change.of(containers=(dossier_id,), records=(case_id,)))
            done(case_id)

        self._context.loader.submit_write(
            lambda session: _create(session, dossier_id, title, description),
            created,
            if_alive(self, self._refused),
        )

    def _created(self, case_id: str) -> None:
        self.created.emit(case_id)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.error.show_message(error_text(exc)[1])
        self.create_button.setEnabled(True)
        self.create_button.setDefault(True)
        self.title_edit.setFocus()
