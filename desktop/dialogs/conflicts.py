"""Konflikte: what was changed here and on the server at the same time, side by side, for the
clerk to decide (sync contract rule 7).

A metadata conflict shows both values of the field: "Meine behalten" sends the local value as
a new edit, "Andere behalten" keeps the server's. A content conflict shows both versions
(first page, who, when, size): "Meine behalten" makes the parallel version (the one marked as
a conflict) current again, "Andere behalten" the other one, "Beide behalten" just clears the
mark. Nothing is deleted; every decision is an ordinary change that syncs like any edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from desktop.dialogs.fields import ErrorLabel, disposal_names, format_date, if_alive
from desktop.dialogs.version_preview import Fetch, PreviewSource, VersionPreview
from desktop.errors import error_text
from desktop.viewer.render_client import RenderClient
from sync.engine.conflicts import (
    FieldConflictItem,
    Keep,
    VersionConflictItem,
    field_conflicts,
    resolve_field,
    resolve_versions,
    version_conflicts,
)
from sync.records.model import Blob, Document
from sync.records.validation import LABELS
from sync.store.database import Store


@dataclass(frozen=True)
class VersionConflict:
    item: VersionConflictItem
    mine: PreviewSource  # the parallel version (marked as the conflict)
    theirs: PreviewSource  # the current version it competes with


@dataclass(frozen=True)
class Conflicts:
    fields: list[FieldConflictItem]
    versions: list[VersionConflict]

    def __len__(self) -> int:
        return len(self.fields) + len(self.versions)


def load_conflicts(store: Store, session: Session) -> Conflicts:
    versions = []
    for item in version_conflicts(session):
        document = session.get_one(Document, item.document_id)

        def source(side: Any, doc_type: str = document.doc_type) -> PreviewSource:
            blob = session.get(Blob, side.blob_sha256)
            path = str(store.blobs.path(side.blob_sha256))
            return PreviewSource(side, doc_type, path, blob is not None and blob.present)

        versions.append(VersionConflict(item, source(item.parallel), source(item.current)))
    return Conflicts(field_conflicts(session), versions)


def value_text(field: str, value: Any) -> str:
    """A field's value as the clerk reads it."""
    if value is None or value == "" or value == []:
        return QCoreApplication.translate("Conflicts", "(leer)")
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("Conflicts", "ja")
            if value
            else QCoreApplication.translate("Conflicts", "nein")
        )
    if field == "disposal":
        return disposal_names().get(str(value), str(value))
    if isinstance(value, str) and field in ("received_on", "document_date"):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _kind_name(kind: str) -> str:
    names = {
        "plan_unit": QCoreApplication.translate("Conflicts", "Aktenplaneinheit"),
        "dossier": QCoreApplication.translate("Conflicts", "Akte"),
        "case": QCoreApplication.translate("Conflicts", "Vorgang"),
        "document": QCoreApplication.translate("Conflicts", "Dokument"),
    }
    return names.get(kind, kind)


class ConflictDialog(QDialog):
    """Lists every open conflict; reloads after each announced change. ``resolved(str)``
    with the record id after a decision was saved (and announced)."""

    resolved = Signal(str)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        render_client: RenderClient | None = None,
        fetch: Fetch | None = None,
        actor: str = "",
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._actor = actor
        self._conflicts = Conflicts([], [])
        self._busy = False
        self._shown: VersionConflict | None = None
        self.setWindowTitle(self.tr("Konflikte"))
        self.setAccessibleName(self.tr("Konflikte klären"))
        intro = QLabel(
            self.tr(
                "Diese Einträge wurden hier und auf dem Server gleichzeitig geändert. Bitte "
                "entscheiden Sie, welche Fassung gilt; es geht nichts verloren."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Offene Konflikte"))
        self.pages = QStackedWidget()
        self.empty_page = QLabel(self.tr("Keine Konflikte zu klären."))
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field_page = self._field_page()
        self.version_page = self._version_page(render_client, fetch)
        for page in (self.empty_page, self.field_page, self.version_page):
            self.pages.addWidget(page)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 700])
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(1000, 620)
        self.list.currentRowChanged.connect(self._show_current)
        context.events.changed.connect(self.reload)
        self.finished.connect(lambda _r: self._release())
        self.reload()

    # -- pages ---------------------------------------------------------------------------

    def _field_page(self) -> QWidget:
        page = QWidget()
        self.field_heading = QLabel()
        self.field_heading.setWordWrap(True)
        mine_box = QGroupBox(self.tr("Meine Fassung (dieser PC)"))
        theirs_box = QGroupBox(self.tr("Andere Fassung (Server)"))
        self.mine_value = QLabel()
        self.theirs_value = QLabel()
        for box, value in ((mine_box, self.mine_value), (theirs_box, self.theirs_value)):
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(box.title())
            inner = QVBoxLayout(box)
            inner.addWidget(value)
            inner.addStretch(1)
        self.theirs_box = theirs_box
        self.keep_mine_field = QPushButton(self.tr("&Meine behalten"))
        self.keep_theirs_field = QPushButton(self.tr("&Andere behalten"))
        self.keep_mine_field.clicked.connect(lambda: self._resolve_field("mine"))
        self.keep_theirs_field.clicked.connect(lambda: self._resolve_field("theirs"))
        grid = QGridLayout(page)
        grid.addWidget(self.field_heading, 0, 0, 1, 2)
        grid.addWidget(mine_box, 1, 0)
        grid.addWidget(theirs_box, 1, 1)
        grid.addWidget(self.keep_mine_field, 2, 0)
        grid.addWidget(self.keep_theirs_field, 2, 1)
        grid.setRowStretch(1, 1)
        return page

    def _version_page(self, client: RenderClient | None, fetch: Fetch | None) -> QWidget:
        page = QWidget()
        self.version_heading = QLabel()
        self.version_heading.setWordWrap(True)
        self.mine_preview = VersionPreview(
            self.tr("Meine Fassung (parallel bearbeitet)"), client, fetch
        )
        self.theirs_preview = VersionPreview(self.tr("Andere Fassung"), client, fetch)
        self.keep_mine_version = QPushButton(self.tr("&Meine behalten"))
        self.keep_theirs_version = QPushButton(self.tr("&Andere behalten"))
        self.keep_both_versions = QPushButton(self.tr("&Beide behalten"))
        self.keep_mine_version.clicked.connect(lambda: self._resolve_versions("mine"))
        self.keep_theirs_version.clicked.connect(lambda: self._resolve_versions("theirs"))
        self.keep_both_versions.clicked.connect(lambda: self._resolve_versions("both"))
        sides = QHBoxLayout()
        sides.addWidget(self.mine_preview)
        sides.addWidget(self.theirs_preview)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine_version)
        buttons.addWidget(self.keep_theirs_version)
        buttons.addWidget(self.keep_both_versions)
        layout = QVBoxLayout(page)
        layout.addWidget(self.version_heading)
        layout.addLayout(sides, 1)
        layout.addLayout(buttons)
        return page

    # -- loading -------------------------------------------------------------------------

    def conflicts(self) -> Conflicts:
        return self._conflicts

    def reload(self, *_args: object) -> None:
        store = self._context.store
        self._context.loader.submit(
            lambda session: load_conflicts(store, session),
            if_alive(self, self._show),
            if_alive(self, lambda exc: self.error.show_message(error_text(exc)[1])),
        )

    def _key(self, row: int) -> tuple[str, str] | None:
        item = self.list.item(row)
        if item is None:
            return None
        kind, ident = item.data(Qt.ItemDataRole.UserRole)
        return str(kind), str(ident)

    def _show(self, conflicts: Conflicts) -> None:
        current = self._key(self.list.currentRow())
        self._conflicts = conflicts
        self.list.blockSignals(True)
        self.list.clear()
        for c in conflicts.fields:
            label = self.tr("%1 „%2“: %3").replace("%1", _kind_name(c.entity_kind))
            label = label.replace("%2", c.label).replace("%3", LABELS.get(c.field, c.field))
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, ("field", str(c.id)))
            self.list.addItem(item)
        for v in conflicts.versions:
            label = self.tr("Dokument „%1“: Inhalt").replace("%1", v.item.title)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, ("version", v.item.parallel.version_id))
            self.list.addItem(item)
        self.list.blockSignals(False)
        keys = [self._key(row) for row in range(self.list.count())]
        row = keys.index(current) if current in keys else (0 if keys else -1)
        self.list.setCurrentRow(row)
        self._show_current(row)
        self._busy = False
        self._enable(True)

    def _show_current(self, row: int) -> None:
        self.error.clear_message()
        key = self._key(row)
        if key is None:
            self._shown = None
            self.pages.setCurrentWidget(self.empty_page)
            return
        kind, ident = key
        if kind == "field":
            c = next(c for c in self._conflicts.fields if str(c.id) == ident)
            self.field_heading.setText(
                self.tr("Feld „%1“ von %2 „%3“")
                .replace("%1", LABELS.get(c.field, c.field))
                .replace("%2", _kind_name(c.entity_kind))
                .replace("%3", c.label)
            )
            self.mine_value.setText(value_text(c.field, c.mine))
            self.theirs_value.setText(value_text(c.field, c.theirs))
            by = c.theirs_by or self.tr("Server")
            self.theirs_box.setTitle(self.tr("Andere Fassung (von %1)").replace("%1", by))
            self._shown = None
            self.pages.setCurrentWidget(self.field_page)
            return
        v = next(v for v in self._conflicts.versions if v.item.parallel.version_id == ident)
        if self.pages.currentWidget() is self.version_page and self._shown == v:
            return  # a reload after an unrelated change: keep the previews as they are
        self._shown = v
        self.version_heading.setText(
            self.tr("Dokument „%1“ wurde hier und anderswo gleichzeitig bearbeitet.").replace(
                "%1", v.item.title
            )
        )
        self.mine_preview.show_version(v.mine)
        self.theirs_preview.show_version(v.theirs)
        self.pages.setCurrentWidget(self.version_page)

    # -- deciding ------------------------------------------------------------------------

    def current_field(self) -> FieldConflictItem | None:
        key = self._key(self.list.currentRow())
        if key is None or key[0] != "field":
            return None
        return next((c for c in self._conflicts.fields if str(c.id) == key[1]), None)

    def current_version(self) -> VersionConflict | None:
        key = self._key(self.list.currentRow())
        if key is None or key[0] != "version":
            return None
        return next(
            (v for v in self._conflicts.versions if v.item.parallel.version_id == key[1]), None
        )

    def _resolve_field(self, keep: Keep) -> None:
        conflict = self.current_field()
        if conflict is None or self._busy:
            return
        actor = self._actor
        self._write(
            lambda session: resolve_field(session, conflict.id, keep, actor=actor),
            conflict.entity_id,
        )

    def _resolve_versions(self, keep: Keep) -> None:
        chosen = self.current_version()
        if chosen is None or self._busy:
            return
        item, actor = chosen.item, self._actor
        self._write(
            lambda session: resolve_versions(session, item, keep, actor=actor), item.document_id
        )

    def _write(self, work: Any, record_id: str) -> None:
        self._busy = True
        self._enable(False)
        events = self._context.events
        done = if_alive(self, lambda _none: self.resolved.emit(record_id))

        def written(_none: None) -> None:
            events.announce(Change.of(records=(record_id,)))  # reloads this dialog too
            done(None)

        self._context.loader.submit_write(work, written, if_alive(self, self._refused))

    def _refused(self, exc: Exception) -> None:
        self._busy = False
        self._enable(True)
        self.error.show_message(error_text(exc)[1])

    def _enable(self, enabled: bool) -> None:
        for button in (
            self.keep_mine_field,
            self.keep_theirs_field,
            self.keep_mine_version,
            self.keep_theirs_version,
            self.keep_both_versions,
        ):
            button.setEnabled(enabled)

    def _release(self) -> None:
        self.mine_preview.release()
        self.theirs_preview.release()
