"""Papierkorb: the deleted dossiers, cases and documents, where they were and when they were
deleted; the selected ones can be restored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from desktop.dialogs.delete_record import container_id, trashable
from desktop.dialogs.fields import ErrorLabel, format_time, if_alive
from desktop.errors import error_text
from sync.errors import EAkteError
from sync.records import operations as ops
from sync.records import queries
from sync.records.guards import containers_of
from sync.records.model import Case, Dossier, PlanUnit

# Containers first, so that a dossier and a case of it, selected together, both come back.
_RESTORE_ORDER = {"dossier": 0, "case": 1, "document": 2}


@dataclass(frozen=True)
class TrashEntry:
    kind: str  # "dossier", "case" or "document"
    id: str
    title: str
    place: str  # where it was: plan unit, or dossier (› case)
    deleted_at: datetime | None


def _kind_names() -> dict[str, str]:
    return {
        "dossier": QCoreApplication.translate("TrashDialog", "Akte"),
        "case": QCoreApplication.translate("TrashDialog", "Vorgang"),
        "document": QCoreApplication.translate("TrashDialog", "Dokument"),
    }


def trash_entries(session: Session) -> list[TrashEntry]:
    entries = []
    for item in queries.trash(session):
        if isinstance(item, Dossier):
            unit = session.get_one(PlanUnit, item.plan_unit_id)
            kind, title, place = (
                "dossier",
                f"{item.reference} {item.title}",
                f"{unit.code} {unit.title}",
            )
        elif isinstance(item, Case):
            dossier = session.get_one(Dossier, item.dossier_id)
            kind, title, place = "case", item.title, f"{dossier.reference} {dossier.title}"
        else:
            dossier, case = containers_of(session, item)
            kind, title, place = "document", item.title, f"{dossier.reference} {dossier.title}"
            if case is not None:
                place += f" › {case.title}"
        entries.append(TrashEntry(kind, item.id, title, place, item.deleted_at))
    return entries


def _restore(session: Session, entries: list[TrashEntry]) -> Change:
    """Restore all of ``entries`` or, if one is refused, none (one transaction)."""
    containers: list[str] = []
    for entry in sorted(entries, key=lambda e: _RESTORE_ORDER[e.kind]):
        entity = trashable(session, entry.kind, entry.id)
        try:
            ops.restore(session, entity)
        except EAkteError as exc:
            message = f"„{entry.title}“ kann nicht wiederhergestellt werden. {exc.message}"
            raise type(exc)(message, title=exc.title) from exc
        containers.append(container_id(entity))
    return Change.of(containers=tuple(containers), records=tuple(e.id for e in entries))


class TrashDialog(QDialog):
    """Lists the Papierkorb and reloads whenever ``context.events`` announces a change.
    ``restored(ids)`` after records came back (they are announced on ``context.events``)."""

    restored = Signal(list)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._entries: list[TrashEntry] = []
        self.setWindowTitle(self.tr("Papierkorb"))
        self.setAccessibleName(self.tr("Papierkorb"))

        self.list = QTreeWidget()
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(
            [self.tr("Art"), self.tr("Bezeichnung"), self.tr("Ort"), self.tr("Gelöscht am")]
        )
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAccessibleName(self.tr("Gelöschte Akten, Vorgänge und Dokumente"))
        self.status = QLabel(self.tr("Papierkorb wird geladen …"))
        self.status.setWordWrap(True)
        self.error = ErrorLabel()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = self.buttons.addButton(
            self.tr("&Wiederherstellen"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setAccessibleName(self.tr("Ausgewählte wiederherstellen"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(820, 420)

        self.list.itemSelectionChanged.connect(self._selection_changed)
        context.events.changed.connect(self._store_changed)
        self.reload()

    def entries(self) -> list[TrashEntry]:
        return list(self._entries)

    def reload(self) -> None:
        self._context.loader.submit(
            trash_entries, if_alive(self, self._show), if_alive(self, self._load_failed)
        )

    def items(self) -> list[QTreeWidgetItem]:
        found = (self.list.topLevelItem(row) for row in range(self.list.topLevelItemCount()))
        return [item for item in found if item is not None]

    def select_ids(self, ids: set[str]) -> None:
        for item in self.items():
            item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) in ids)

    def restore_selected(self) -> None:
        chosen = self._selected()
        if not chosen:
            return
        self.error.clear_message()
        self.restore_button.setEnabled(False)
        events = self._context.events
        done = if_alive(self, self._restored)

        def restored(change: Change) -> None:
            events.announce(change)  # even if the dialog is gone; reloads it if not
            done(change)

        self._context.loader.submit_write(
            lambda session: _restore(session, chosen), restored, if_alive(self, self._refused)
        )

    def _show(self, entries: list[TrashEntry]) -> None:
        selected = {e.id for e in self._selected()}
        self._entries = entries
        names = _kind_names()
        self.list.clear()
        for entry in entries:
            item = QTreeWidgetItem(
                [names[entry.kind], entry.title, entry.place, format_time(entry.deleted_at)]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, entry.id)
            self.list.addTopLevelItem(item)
        for column in (0, 3):
            self.list.resizeColumnToContents(column)
        if entries:  # a current row for the keyboard, without selecting it
            self.list.setCurrentItem(self.items()[0], 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.select_ids(selected)
        self.status.setText(
            self.tr("Einträge im Papierkorb: %n", "", len(entries))
            if entries
            else self.tr("Der Papierkorb ist leer.")
        )
        self._selection_changed()

    def _selected(self) -> list[TrashEntry]:
        ids = {item.data(0, Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()}
        return [entry for entry in self._entries if entry.id in ids]

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(bool(self.list.selectedItems()))

    def _store_changed(self, _change: Change) -> None:
        self.reload()

    def _restored(self, change: Change) -> None:
        self.restored.emit(sorted(change.records))

    def _refused(self, exc: Exception) -> None:
        self.error.show_message(error_text(exc)[1])
        self._selection_changed()

    def _load_failed(self, exc: Exception) -> None:
        self.status.setText(error_text(exc)[1])
