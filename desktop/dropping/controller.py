"""The one object the views talk to for drag and drop.

``DropController(context, parent_widget)`` decides whether a drag may be dropped on a case
or dossier (``can_drop``, ``hover``), files what was dropped or moves documents dragged
inside the app (``drop``), and makes drag data of documents (``mime_for_documents``,
``start_drag``). Views stay a few lines: see ``DropTreeView`` and ``install_drop_target``.

Up to ``FEW_FILES`` files are reported in the status bar (``status_message``); more get a
progress dialog, modal to the window, and a result list at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle, QWidget

from desktop.context import AppContext
from desktop.dropping import outlook_com
from desktop.dropping.drag_out import DocumentsMime, Exported
from desktop.dropping.filing_job import FilingJob, FilingRelay, FilingReport
from desktop.dropping.mime_sources import document_ids, offers_files, read_sources
from desktop.dropping.move import (
    Moved,
    MoveDocumentsCommand,
    change_of,
    movable,
    move_documents,
)
from desktop.dropping.progress_dialog import FilingProgressDialog
from desktop.dropping.results_dialog import FilingResultsDialog, status_text
from desktop.errors import show_error
from desktop.loader import Loader
from sync.filing.drop_sources import DropSource
from sync.filing.extract_process import ExtractionProcess
from sync.records.tree import TreeNode

log = logging.getLogger("eakte.desktop.dropping")

FEW_FILES = 3  # up to this many: no dialog, one line in the status bar
TARGET_KINDS = ("case", "dossier")


class DropController(QObject):
    """Signals: ``filing_finished(FilingReport)`` when a drop has been filed;
    ``status_message(str)`` for the status bar ("" clears it)."""

    filing_finished = Signal(object)
    status_message = Signal(str)

    def __init__(
        self,
        context: AppContext,
        parent_widget: QWidget,
        *,
        outlook_com_fallback: bool | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self.context = context
        self._widget = parent_widget
        # Filing runs long: its own pool, so tree loads never queue behind it.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = FilingRelay(self)  # after the pool, so that it outlives the workers
        # One thread: a move, its undo and redo reach the store in the clerk's order.
        self._writes = Loader(context.store, self, threads=1)
        self._outlook = (
            outlook_com.available() if outlook_com_fallback is None else outlook_com_fallback
        )
        self.jobs: list[FilingJob] = []
        # Files are read in a child process (started with the first drop, by the worker).
        self.extraction = ExtractionProcess()
        self._hovered: tuple[str | None, str | None] = (None, None)

    # -- judging a drag ------------------------------------------------------------------

    def refusal(self, mime: QMimeData, target: TreeNode | None) -> str | None:
        """Why ``mime`` cannot be dropped on ``target`` (German), or None if it can."""
        if target is None or target.kind not in TARGET_KINDS:
            return self.tr("Bitte auf eine Akte oder einen Vorgang ziehen.")
        if target.deleted:
            return self.tr(
                "„{target}“ liegt im Papierkorb; dort kann nichts abgelegt werden."
            ).format(target=target.label)
        if target.closed:
            return self.tr(
                "„{target}“ ist zu den Akten gelegt (zdA): dort kann nichts abgelegt oder "
                "hineinverschoben werden. Bitte einen offenen Vorgang wählen oder die "
                "Registratur bitten, ihn wieder zu öffnen."
            ).format(target=target.label)
        if not self.wants(mime):
            return self.tr(
                "Das Gezogene enthält keine Dateien oder E-Mails, die abgelegt werden können."
            )
        return None

    def wants(self, mime: QMimeData) -> bool:
        """Whether the drag holds anything to file or move, wherever it is dropped. A view
        accepts the drag-enter event on this alone: refusing it would stop all drag-move
        events, and the clerk could not go on to an open case."""
        return self._moving(mime) is not None or offers_files(mime)

    def can_drop(self, mime: QMimeData, target: TreeNode | None) -> bool:
        return self.refusal(mime, target) is None

    def hover(self, mime: QMimeData, target: TreeNode | None) -> bool:
        """``can_drop`` for drag-move events: also says in the status bar why a target
        refuses (once per target, not on every mouse move)."""
        refusal = self.refusal(mime, target)
        key = (target.id if target else None, refusal)
        if key != self._hovered:
            if refusal is not None or self._hovered[1] is not None:
                self.status_message.emit(refusal or "")
            self._hovered = key
        return refusal is None

    def drag_left(self) -> None:
        if self._hovered[1] is not None:
            self.status_message.emit("")
        self._hovered = (None, None)

    # -- dropping ------------------------------------------------------------------------

    def drop(self, mime: QMimeData, target: TreeNode | None) -> bool:
        """File or move what ``mime`` holds into ``target``. Call it from the drop event:
        the data is read now, the work happens in the background. Returns whether the drop
        was taken (False: a message has said why)."""
        self.drag_left()
        refusal = self.refusal(mime, target)
        if refusal is not None or target is None:
            self._show_message(self.tr("Ablage nicht möglich"), refusal or "")
            return False
        ids = self._moving(mime)
        if ids is not None:
            self.context.loader.submit(
                lambda session: movable(session, ids, target.id),
                lambda moving: self._confirm_move(moving, target),
                self._failed,
            )
            return True
        sources = read_sources(mime, outlook_com=self._outlook)
        if not sources:
            self._show_message(
                self.tr("Ablage nicht möglich"),
                self.tr("Das Gezogene enthält nichts, was abgelegt werden kann."),
            )
            return False
        self.file_sources(sources, target)
        return True

    def file_sources(self, sources: Sequence[DropSource], target: TreeNode) -> FilingJob:
        """File ``sources`` into ``target`` in a worker thread."""
        job = FilingJob(
            self.context.store,
            self.context.events,
            target,
            sources,
            self._relay,
            save_outlook=outlook_com.save_selection if self._outlook else None,
            extractor=self.extraction,
            parent=self,
        )
        self.jobs.append(job)
        job.counted.connect(lambda total: self._counted(job, total))
        job.finished.connect(lambda report: self._finished(job, report))
        self.status_message.emit(
            self.tr("Dokumente werden in „{target}“ abgelegt …").format(target=target.label)
        )
        job.start(self._pool)
        return job

    def _counted(self, job: FilingJob, total: int) -> None:
        if total > FEW_FILES:
            FilingProgressDialog(job, self._widget).show()

    def _finished(self, job: FilingJob, report: FilingReport) -> None:
        self.jobs.remove(job)
        job.deleteLater()
        if report.total > FEW_FILES:
            dialog = FilingResultsDialog(report, self._widget)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            self.status_message.emit("")
        elif report.total == 0 and report.error is None:
            self.status_message.emit(self.tr("Nichts abgelegt: keine Dateien gefunden."))
        else:
            self.status_message.emit(status_text(report))
            if report.error:
                self._show_message(self.tr("Ablage unterbrochen"), report.error)
        self.filing_finished.emit(report)

    # -- moving documents inside the app --------------------------------------------------

    def _moving(self, mime: QMimeData) -> list[str] | None:
        return document_ids(mime, self.context.store.store_id)

    def _confirm_move(self, ids: list[str], target: TreeNode) -> None:
        if not ids:
            self.status_message.emit(
                self.tr("Die Dokumente liegen bereits in „{target}“.").format(target=target.label)
            )
            return
        text = (
            self.tr("Das Dokument nach „{target}“ verschieben?")
            if len(ids) == 1
            else self.tr("{count} Dokumente nach „{target}“ verschieben?")
        ).format(count=len(ids), target=target.label)
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Dokumente verschieben"), text, parent=self._widget
        )
        box.setAccessibleName(self.tr("Verschieben bestätigen"))
        move = box.addButton(self.tr("&Verschieben"), QMessageBox.ButtonRole.AcceptRole)
        move.setAccessibleName(self.tr("Verschieben"))
        cancel = box.addButton(self.tr("&Abbrechen"), QMessageBox.ButtonRole.RejectRole)
        cancel.setAccessibleName(self.tr("Nicht verschieben"))
        box.setDefaultButton(move)
        box.setEscapeButton(cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda clicked: self._move(ids, target) if clicked == move else None
        )
        box.open()

    def _move(self, ids: list[str], target: TreeNode) -> None:
        self._writes.submit_write(
            lambda session: move_documents(session, ids, target.id),
            lambda moves: self._moved(moves, target),
            self._failed,
        )

    def _moved(self, moves: list[Moved], target: TreeNode) -> None:
        if not moves:  # moved meanwhile by someone else: nothing to undo
            return
        self.context.events.announce(change_of(moves, target.id))
        command = MoveDocumentsCommand(
            self._writes, self.context.events, moves, target.id, target.label, self._failed
        )
        self.context.undo.push(command)
        text = (
            self.tr("Das Dokument wurde nach „{target}“ verschoben.")
            if len(moves) == 1
            else self.tr("{count} Dokumente wurden nach „{target}“ verschoben.")
        )
        self.status_message.emit(text.format(count=len(moves), target=target.label))

    # -- dragging documents out ------------------------------------------------------------

    def mime_for_documents(self, document_ids: list[str]) -> QMimeData:
        """Drag data for documents: their ids now, file copies made in the background
        (see ``DocumentsMime``). Fits ``DocumentListView.mime_factory``."""
        mime = DocumentsMime(self.context.store.store_id, document_ids)
        blobs = self.context.store.blobs
        copies = mime.copies
        self.context.loader.submit(
            lambda session: copies.make(session, blobs, document_ids),
            self._exported,
            self._failed,
        )
        return mime

    def start_drag(self, document_ids: list[str], source: QWidget) -> None:
        """Drag documents out of ``source`` (returns when the drag is over)."""
        drag = QDrag(source)
        drag.setMimeData(self.mime_for_documents(document_ids))
        icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        drag.setPixmap(icon.pixmap(32, 32))
        # Copy only: Explorer would otherwise move the temp copy and call it a move.
        drag.exec(Qt.DropAction.CopyAction)

    def _exported(self, exported: Exported) -> None:
        if exported.problems:
            self.status_message.emit(" ".join(exported.problems))

    # -- messages and shutdown -------------------------------------------------------------

    def _failed(self, exc: Exception) -> None:
        show_error(self._widget, exc)

    def _show_message(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self._widget)
        box.setAccessibleName(title)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def shutdown(self, msecs: int = 30_000) -> bool:
        """Cancel running filings and wait for them (for closing the window; what was read
        is still committed). True if everything finished in time."""
        for job in self.jobs:
            job.cancel()
        finished = self._pool.waitForDone(msecs) and self._writes.wait(msecs)
        if finished:
            self.extraction.shutdown()
        return finished
