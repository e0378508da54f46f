"""Fehlerliste: changes the server refused and transfers that keep failing (``SyncProblem``),
each with its reason, the record it concerned and when. "Ausblenden" removes the selected
entries once the clerk has dealt with them; what was sent stays in the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from desktop.dialogs.fields import ErrorLabel, format_time, if_alive
from desktop.errors import error_text
from sync.engine.wire_fields import MODEL_BY_KIND
from sync.records.model import Document, Dossier, SyncProblem, Version


@dataclass(frozen=True)
class ProblemEntry:
    id: int
    kind: str
    entity_id: str
    op: str
    title: str
    message: str
    concerned: str  # the record's title if it is known here, else its kind and id
    created_at: datetime
    attempts: int


def kind_names() -> dict[str, str]:
    return {
        "plan_unit": QCoreApplication.translate("SyncProblems", "Aktenplaneinheit"),
        "dossier": QCoreApplication.translate("SyncProblems", "Akte"),
        "case": QCoreApplication.translate("SyncProblems", "Vorgang"),
        "document": QCoreApplication.translate("SyncProblems", "Dokument"),
        "version": QCoreApplication.translate("SyncProblems", "Version"),
        "note": QCoreApplication.translate("SyncProblems", "Notiz"),
        "blob": QCoreApplication.translate("SyncProblems", "Datei"),
    }


def op_names() -> dict[str, str]:
    return {
        "create": QCoreApplication.translate("SyncProblems", "Anlegen"),
        "update": QCoreApplication.translate("SyncProblems", "Ändern"),
        "move": QCoreApplication.translate("SyncProblems", "Verschieben"),
        "delete": QCoreApplication.translate("SyncProblems", "Löschen"),
        "restore": QCoreApplication.translate("SyncProblems", "Wiederherstellen"),
        "close": QCoreApplication.translate("SyncProblems", "Abschließen (zdA)"),
        "reopen": QCoreApplication.translate("SyncProblems", "Wieder öffnen"),
        "tag": QCoreApplication.translate("SyncProblems", "Schlagwort setzen"),
        "untag": QCoreApplication.translate("SyncProblems", "Schlagwort entfernen"),
        "transfer": QCoreApplication.translate("SyncProblems", "Übertragung"),
    }


def _label(session: Session, kind: str, entity_id: str, payload: dict[str, Any]) -> str | None:
    if kind == "blob":
        sha = payload.get("sha256")
        document = session.scalar(
            select(Document)
            .join(Version, Version.document_id == Document.id)
            .where(Version.blob_sha256 == sha)
        )
        return document.title if document is not None else None
    model = MODEL_BY_KIND.get(kind)
    entity: Any = session.get(model, entity_id) if model is not None else None
    if entity is None:
        return None
    if isinstance(entity, Version):
        document = session.get(Document, entity.document_id)
        return f"{document.title} (Version {entity.number})" if document else None
    if isinstance(entity, Dossier):
        return f"{entity.reference} {entity.title}"
    return str(getattr(entity, "title", None) or getattr(entity, "code", "") or "") or None


def problem_entries(session: Session) -> list[ProblemEntry]:
    entries = []
    for p in session.scalars(select(SyncProblem).order_by(SyncProblem.created_at.desc())):
        label = _label(session, p.entity_kind, p.entity_id, dict(p.payload or {}))
        entries.append(
            ProblemEntry(
                p.id,
                p.entity_kind,
                p.entity_id,
                p.op,
                p.title,
                p.message,
                label or "",
                p.created_at,
                p.attempts,
            )
        )
    return entries


def dismiss(session: Session, ids: list[int]) -> None:
    session.execute(delete(SyncProblem).where(SyncProblem.id.in_(ids)))


class SyncProblemsDialog(QDialog):
    """Reloads after every announced change. ``dismissed(ids)`` after entries were removed."""

    dismissed = Signal(list)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._entries: list[ProblemEntry] = []
        self.setWindowTitle(self.tr("Fehlerliste"))
        self.setAccessibleName(self.tr("Fehlerliste der Synchronisierung"))
        self.list = QTreeWidget()
        self.list.setHeaderLabels(
            [self.tr("Wann"), self.tr("Betrifft"), self.tr("Aktion"), self.tr("Fehler")]
        )
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAccessibleName(self.tr("Probleme beim Abgleich"))
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Meldung zum ausgewählten Eintrag"))
        self.details.setMaximumHeight(120)
        self.status = QLabel(self.tr("Fehlerliste wird geladen …"))
        self.status.setWordWrap(True)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.dismiss_button = self.buttons.addButton(
            self.tr("&Ausblenden"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.dismiss_button.setAccessibleName(self.tr("Ausgewählte Einträge ausblenden"))
        self.dismiss_button.setEnabled(False)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(860, 460)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.list.currentItemChanged.connect(lambda *_a: self._show_details())
        context.events.changed.connect(self.reload)
        self.reload()

    def entries(self) -> list[ProblemEntry]:
        return list(self._entries)

    def reload(self, *_args: object) -> None:
        self._context.loader.submit(
            problem_entries, if_alive(self, self._show), if_alive(self, self._load_failed)
        )

    def items(self) -> list[QTreeWidgetItem]:
        found = (self.list.topLevelItem(row) for row in range(self.list.topLevelItemCount()))
        return [item for item in found if item is not None]

    def _show(self, entries: list[ProblemEntry]) -> None:
        selected = {e.id for e in self._selected()}
        self._entries = entries
        kinds, ops = kind_names(), op_names()
        self.list.clear()
        for entry in entries:
            kind = kinds.get(entry.kind, entry.kind)
            concerned = f"{kind} „{entry.concerned}“" if entry.concerned else kind
            item = QTreeWidgetItem(
                [
                    format_time(entry.created_at),
                    concerned,
                    ops.get(entry.op, entry.op),
                    entry.title,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, entry.id)
            item.setToolTip(3, entry.message)
            self.list.addTopLevelItem(item)
            item.setSelected(entry.id in selected)
        for column in (0, 2):
            self.list.resizeColumnToContents(column)
        self.list.setColumnWidth(1, 320)
        if entries:
            self.list.setCurrentItem(self.items()[0], 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.status.setText(
            self.tr("Einträge: %1").replace("%1", str(len(entries)))
            if entries
            else self.tr("Keine Probleme beim Abgleich.")
        )
        self._selection_changed()
        self._show_details()

    def _current(self) -> ProblemEntry | None:
        item = self.list.currentItem()
        if item is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((e for e in self._entries if e.id == wanted), None)

    def _show_details(self) -> None:
        entry = self._current()
        if entry is None:
            self.details.clear()
            return
        text = f"{entry.title}\n{entry.message}"
        if entry.attempts > 1:
            text += "\n" + self.tr("Versuche: %1").replace("%1", str(entry.attempts))
        self.details.setPlainText(text)

    def _selected(self) -> list[ProblemEntry]:
        ids = {item.data(0, Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()}
        return [entry for entry in self._entries if entry.id in ids]

    def _selection_changed(self) -> None:
        self.dismiss_button.setEnabled(bool(self.list.selectedItems()))

    def dismiss_selected(self) -> None:
        ids = [entry.id for entry in self._selected()]
        if not ids:
            return
        self.error.clear_message()
        self.dismiss_button.setEnabled(False)
        events = self._context.events
        done = if_alive(self, lambda _none: self.dismissed.emit(ids))

        def dismissed(_none: None) -> None:
            events.announce(Change())  # only the figures changed (status bar, this list)
            done(None)

        self._context.loader.submit_write(
            lambda session: dismiss(session, ids), dismissed, if_alive(self, self._refused)
        )

    def _refused(self, exc: Exception) -> None:
        self.error.show_message(error_text(exc)[1])
        self._selection_changed()

    def _load_failed(self, exc: Exception) -> None:
        self.status.setText(error_text(exc)[1])
