"""Neue Akte: a dossier under the selected plan unit, its Aktenzeichen suggested and editable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from desktop.dialogs.fields import (
    ErrorLabel,
    disposal_combo,
    disposal_of,
    from_qdate,
    if_alive,
    retention_of,
    retention_spin,
    set_disposal,
    set_retention,
)
from desktop.errors import error_text
from sync.records import operations as ops
from sync.records import references
from sync.records.model import Municipality, PlanUnit
from sync.records.tree import TreeNode


@dataclass(frozen=True)
class _UnitFacts:
    retention_years: int | None
    disposal: str | None
    suggestion: str


@dataclass(frozen=True)
class _NewDossier:
    title: str
    description: str
    opened_on: date
    retention_years: int | None
    disposal: str | None
    reference: str | None  # None: the next free number


def _suggestion(session: Session, unit: PlanUnit, year: int) -> str:
    municipality = session.get_one(Municipality, unit.file_plan.municipality_id)
    return references.suggest_reference(session, municipality, unit.code, year)


def _unit_facts(session: Session, unit_id: str, year: int) -> _UnitFacts:
    unit = session.get_one(PlanUnit, unit_id)
    return _UnitFacts(unit.retention_years, unit.disposal, _suggestion(session, unit, year))


def _create(session: Session, unit_id: str, new: _NewDossier) -> tuple[str, str]:
    unit = session.get_one(PlanUnit, unit_id)
    dossier = ops.create_dossier(
        session, unit, new.title, reference=new.reference, opened_on=new.opened_on
    )
    # create_dossier takes the unit's retention rules; what the clerk set differently, and
    # the description, follow in the same transaction.
    ops.update_fields(
        session,
        dossier,
        {
            "description": new.description,
            "retention_years": new.retention_years,
            "disposal": new.disposal,
        },
    )
    return dossier.id, dossier.reference


class NewDossierDialog(QDialog):
    """``created(dossier_id, reference)`` after the dossier was stored (and announced on
    ``context.events``); the dialog then closes with ``accept()``."""

    created = Signal(str, str)

    def __init__(self, context: AppContext, unit: TreeNode, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if unit.kind != "unit":
            raise ValueError(f"a dossier belongs under a plan unit, not a {unit.kind}")
        self._context = context
        self._unit = unit
        self._suggested: str | None = None
        self._suggested_year: int | None = None
        self._reference_edited = False
        self.setWindowTitle(self.tr("Neue Akte"))
        self.setAccessibleName(self.tr("Neue Akte"))

        self.unit_label = QLabel(unit.label)
        self.unit_label.setWordWrap(True)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("Titel der Akte"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setAccessibleName(self.tr("Beschreibung"))
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.opened_edit = QDateEdit(QDate.currentDate())
        self.opened_edit.setCalendarPopup(True)
        self.opened_edit.setDisplayFormat("dd.MM.yyyy")
        self.opened_edit.setAccessibleName(self.tr("Angelegt am"))
        self.retention_spin = retention_spin()
        self.disposal_combo = disposal_combo()
        self.reference_edit = QLineEdit()
        self.reference_edit.setAccessibleName(self.tr("Aktenzeichen"))
        self.reference_edit.setPlaceholderText(self.tr("wird ermittelt …"))
        self.error = ErrorLabel()

        form = QFormLayout()
        form.addRow(self.tr("Aktenplaneinheit:"), self.unit_label)
        form.addRow(self.tr("&Titel:"), self.title_edit)
        form.addRow(self.tr("&Beschreibung:"), self.description_edit)
        form.addRow(self.tr("Angelegt a&m:"), self.opened_edit)
        form.addRow(self.tr("Aufbewahrungs&frist:"), self.retention_spin)
        form.addRow(self.tr("Aussonderungs&art:"), self.disposal_combo)
        form.addRow(self.tr("Akten&zeichen:"), self.reference_edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button: QPushButton = self.buttons.addButton(
            self.tr("&Anlegen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setAccessibleName(self.tr("Akte anlegen"))
        self.create_button.setEnabled(False)  # until the suggestion has arrived
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

        self.reference_edit.textEdited.connect(self._reference_typed)
        self.opened_edit.dateChanged.connect(self._date_changed)
        year = self.opened_edit.date().year()
        context.loader.submit(
            lambda session: _unit_facts(session, unit.id, year),
            if_alive(self, lambda facts: self._facts_loaded(facts, year)),
            if_alive(self, self._failed),
        )

    def _facts_loaded(self, facts: _UnitFacts, year: int) -> None:
        set_retention(self.retention_spin, facts.retention_years)
        set_disposal(self.disposal_combo, facts.disposal)
        self._suggestion_loaded(facts.suggestion, year)
        self.create_button.setEnabled(True)
        # Only now: Qt picks another default button while this one is disabled.
        self.create_button.setDefault(True)

    def _suggestion_loaded(self, suggestion: str, year: int) -> None:
        self._suggested, self._suggested_year = suggestion, year
        if not self._reference_edited:
            self.reference_edit.setText(suggestion)

    def _reference_typed(self, _text: str) -> None:
        self._reference_edited = True

    def _date_changed(self, value: QDate) -> None:
        year = value.year()
        if self._reference_edited or year == self._suggested_year:
            return
        unit_id = self._unit.id

        def suggest(session: Session) -> str:
            return _suggestion(session, session.get_one(PlanUnit, unit_id), year)

        self._context.loader.submit(
            suggest,
            if_alive(self, lambda text: self._suggestion_loaded(text, year)),
            if_alive(self, self._failed),
        )

    def _submit(self) -> None:
        self.error.clear_message()
        reference = self.reference_edit.text().strip()
        new = _NewDossier(
            title=self.title_edit.text(),
            description=self.description_edit.toPlainText(),
            opened_on=from_qdate(self.opened_edit.date()),
            retention_years=retention_of(self.retention_spin),
            disposal=disposal_of(self.disposal_combo),
            # The suggestion unchanged (or nothing): reserve the next number properly.
            reference=None if reference in ("", self._suggested) else reference,
        )
        self.create_button.setEnabled(False)
        events, unit_id = self._context.events, self._unit.id
        done = if_alive(self, self._created)

        def created(result: tuple[str, str]) -> None:
            # Announced even if the dialog is gone by now: the dossier exists.
            events.announce(Change.of(containers=(unit_id,), records=(result[0],)))
            done(result)

        self._context.loader.submit_write(
            lambda session: _create(session, unit_id, new),
            created,
            if_alive(self, self._refused),
        )

    def _created(self, result: tuple[str, str]) -> None:
        self.created.emit(*result)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.error.show_message(error_text(exc)[1])
        self.create_button.setEnabled(True)
        self.title_edit.setFocus()

    def _failed(self, exc: Exception) -> None:
        self.error.show_message(error_text(exc)[1])
