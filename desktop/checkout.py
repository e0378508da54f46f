"""Opening documents in the clerk's own programs, and bringing their edits back as versions.

``open_externally`` checks a document out (``sync.filing.checkout``) and asks the operating
system to open the work copy with its default program. The copy is then watched and each save
is checked in as a new version. Editors save by writing a temporary file and renaming it over
the original, which ends a file watch, so the folder is watched too and the file is watched
again when it reappears; bursts of events are debounced. At start, outstanding work copies are
watched again and what changed while the application was closed is checked in. Documents that
cannot be checked out (zdA, Papierkorb) open as read-only copies.

All disk work runs on the controller's own single-thread loader, so the GUI thread never waits
on the disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QFileSystemWatcher,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle, QWidget

from desktop.context import AppContext, Change
from desktop.errors import error_text
from desktop.loader import Loader
from sync.errors import RecordClosedError, RecordDeletedError
from sync.filing import checkout
from sync.filing.checkout import WorkCopy, WorkCopyBusyError
from sync.records.model import Document
from sync.store.database import Store

log = logging.getLogger("eakte.desktop.checkout")

DEBOUNCE_MS = 1000  # an editor's save is a burst of events; check in once it is quiet
RETRY_MS = 2000  # a file still being written is tried again after this
MAX_RETRIES = 5  # then the clerk is told; the next save tries again anyway

# A check-in's result: (version number, id of the document's case or dossier), None if unchanged.
CheckedIn = tuple[int, str] | None


def _check_in(store: Store, work_copy: WorkCopy, actor: str) -> CheckedIn:
    version = checkout.check_in(store, work_copy, actor=actor)
    if version is None:
        return None
    with store.read() as session:
        document = session.get_one(Document, work_copy.document_id)
        return version.number, document.case_id or document.dossier_id


class CheckoutController(QObject):
    """Signals: ``checked_in(document id, version number)`` after a new version was stored;
    ``status_message(text)`` for the status bar; ``failed(title, message)`` after an error,
    which the controller has already shown in a message box over ``parent``."""

    checked_in = Signal(str, int)
    status_message = Signal(str)
    failed = Signal(str, str)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, actor: str = ""
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._store = context.store
        self._window = parent
        self._actor = actor
        self.work_dir = context.store.root / "work"
        self.view_dir = context.store.root / "ansicht"
        self._copies: dict[str, WorkCopy] = {}  # document id -> watched work copy
        self._owner: dict[str, str] = {}  # watched file or folder -> document id
        self._timers: dict[str, QTimer] = {}
        self._retries: dict[str, int] = {}
        self._closing: set[str] = set()  # being finished or discarded: events are ignored
        self._current: str | None = None
        # One thread: one job at a time, so two check-ins of a document never overlap.
        self._worker = Loader(context.store, self, threads=1)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._path_changed)
        self._watcher.directoryChanged.connect(self._path_changed)
        self.confirmation: QMessageBox | None = None  # the open "discard?" question, if any
        self._messages: set[QMessageBox] = set()  # error messages on screen
        self.open_action = self._action(
            QStyle.StandardPixmap.SP_DialogOpenButton,
            self.tr("Mit Standardprogramm ö&ffnen"),
            self.open_externally,
        )
        self.open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.open_action.setToolTip(
            self.tr("Im zugehörigen Programm öffnen; Gespeichertes wird zur neuen Version.")
        )
        self.finish_action = self._action(
            QStyle.StandardPixmap.SP_DialogApplyButton,
            self.tr("&Bearbeitung beenden"),
            self.finish,
        )
        self.discard_action = self._action(
            QStyle.StandardPixmap.SP_DialogDiscardButton,
            self.tr("Änderungen &verwerfen"),
            self.discard,
        )
        self.set_current_document(None)
        self._resume()

    # -- what the main window uses ---------------------------------------------------------

    def actions(self) -> list[QAction]:
        """For the main window's document menu and the document context menu."""
        return [self.open_action, self.finish_action, self.discard_action]

    @Slot(object)
    def set_current_document(self, document_id: str | None) -> None:
        """The selected document (None: something else); enables the actions for it."""
        self._current = document_id
        editing = document_id is not None and document_id in self._copies
        self.open_action.setEnabled(document_id is not None)
        self.finish_action.setEnabled(editing)
        self.discard_action.setEnabled(editing)

    def is_checked_out(self, document_id: str) -> bool:
        return document_id in self._copies

    @Slot(str)
    def open_externally(self, document_id: str) -> None:
        """Check out and open with the default program; zdA or deleted: read-only."""
        store, work_dir, view_dir = self._store, self.work_dir, self.view_dir

        def work() -> tuple[WorkCopy | None, Path]:
            try:
                copy = checkout.check_out(store, document_id, work_dir)
            except (RecordClosedError, RecordDeletedError):
                return None, checkout.view_copy(store, document_id, view_dir)
            return copy, copy.path

        self._run(work, self._opened)

    @Slot(str)
    def finish(self, document_id: str) -> None:
        """A last check-in, then the work copy goes."""
        copy = self._copies.get(document_id)
        if copy is None or document_id in self._closing:
            return
        self._stop_watching(document_id)
        store, actor = self._store, self._actor

        def work() -> CheckedIn:
            result = _check_in(store, copy, actor)
            checkout.discard(store, copy)
            return result

        def done(result: CheckedIn) -> None:
            self._forget(document_id)
            self._announce(copy, result)
            self.status_message.emit(
                self.tr("Bearbeitung von „{title}“ beendet.").format(title=copy.title)
            )

        self._run(work, done, partial(self._closing_failed, copy))

    @Slot(str)
    def discard(self, document_id: str) -> None:
        """Ask first; on yes, remove the work copy without checking it in."""
        copy = self._copies.get(document_id)
        if copy is None or document_id in self._closing:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Änderungen verwerfen"),
            self.tr(
                "Die Arbeitskopie von „{title}“ wird gelöscht. Änderungen, die noch nicht als "
                "neue Version gespeichert sind, gehen verloren; gespeicherte Versionen bleiben "
                "erhalten."
            ).format(title=copy.title),
            QMessageBox.StandardButton.NoButton,
            self._window,
        )
        box.setAccessibleName(self.tr("Änderungen verwerfen?"))
        confirm = box.addButton(self.tr("&Verwerfen"), QMessageBox.ButtonRole.DestructiveRole)
        confirm.setAccessibleName(self.tr("Änderungen verwerfen"))
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)  # the safe answer for a hasty Enter
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.confirmation = None
            if box.clickedButton() is confirm:
                self._discard_now(copy)

        box.finished.connect(answered)
        self.confirmation = box
        box.open()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (shutdown and tests, never in normal GUI code)."""
        return self._worker.wait(msecs)

    # -- background work -----------------------------------------------------------------

    def _run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        # The checkout functions open their own transactions (a check-in stages the file
        # before it writes), so the loader's session is left unused; it never connects then.
        self._worker.submit(lambda _session: work(), on_done, on_error or self._report)

    def _resume(self) -> None:
        store, actor, view_dir = self._store, self._actor, self.view_dir

        def work() -> list[tuple[WorkCopy, CheckedIn | Exception]]:
            checkout.clear_view_copies(view_dir)
            found: list[tuple[WorkCopy, CheckedIn | Exception]] = []
            for copy in checkout.open_work_copies(store):
                try:
                    if not copy.path.is_file():
                        checkout.discard(store, copy)  # nothing left to bring back
                        continue
                    found.append((copy, _check_in(store, copy, actor)))
                except Exception as exc:  # one copy's trouble must not stop the others
                    found.append((copy, exc))
            return found

        def done(found: list[tuple[WorkCopy, CheckedIn | Exception]]) -> None:
            for copy, outcome in found:
                self._watch(copy)
                if isinstance(outcome, Exception):
                    self._check_in_failed(copy.document_id, outcome)
                else:
                    self._announce(copy, outcome)
            log.info("watching %d work copies from earlier sessions", len(found))
            self.set_current_document(self._current)

        self._run(work, done)

    def _opened(self, result: tuple[WorkCopy | None, Path]) -> None:
        copy, path = result
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self._no_program(copy, path)
            return
        if copy is None:
            message = self.tr(
                "„{name}“ ist abgeschlossen oder gelöscht und wurde schreibgeschützt geöffnet; "
                "Änderungen daran werden nicht übernommen."
            )
            self.status_message.emit(message.format(name=path.name))
            return
        self._watch(copy)
        self.set_current_document(self._current)
        message = self.tr("„{title}“ ist zur Bearbeitung geöffnet; Gespeichertes wird übernommen.")
        self.status_message.emit(message.format(title=copy.title))

    def _no_program(self, copy: WorkCopy | None, path: Path) -> None:
        self._show_error(
            self.tr("Kein passendes Programm"),
            self.tr(
                "Für Dateien vom Typ „{kind}“ ist auf diesem Rechner kein Programm eingerichtet. "
                "Bitte die IT bitten, ein passendes Programm zu installieren."
            ).format(kind=path.suffix or path.name),
        )
        if copy is None or copy.document_id in self._copies:
            return
        store = self._store

        def drop_unopened() -> None:
            # Never opened, so never edited: the check-out would only linger.
            if not checkout.changed(copy):
                checkout.discard(store, copy)

        self._run(drop_unopened, lambda _nothing: None)

    # -- watching --------------------------------------------------------------------------

    def _watch(self, copy: WorkCopy) -> None:
        self._copies[copy.document_id] = copy
        paths = [str(copy.path.parent), str(copy.path)]
        self._owner.update(dict.fromkeys(paths, copy.document_id))
        self._add_existing(paths)

    def _add_existing(self, paths: list[str]) -> None:
        # Qt warns about paths it cannot watch; a missing file is added when it reappears.
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        fresh = [p for p in paths if p not in watched and Path(p).exists()]
        if fresh:
            self._watcher.addPaths(fresh)

    def _stop_watching(self, document_id: str) -> None:
        self._closing.add(document_id)
        timer = self._timers.pop(document_id, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        mine = [p for p, owner in self._owner.items() if owner == document_id and p in watched]
        if mine:
            self._watcher.removePaths(mine)

    def _forget(self, document_id: str) -> None:
        self._closing.discard(document_id)
        self._copies.pop(document_id, None)
        self._retries.pop(document_id, None)
        self._owner = {p: owner for p, owner in self._owner.items() if owner != document_id}
        self.set_current_document(self._current)

    @Slot(str)
    def _path_changed(self, path: str) -> None:
        document_id = self._owner.get(path)
        if document_id is None or document_id in self._closing:
            return
        # A save by rename ends the file's watch: watch the new file under the same name.
        self._add_existing([str(self._copies[document_id].path)])
        self._check_in_later(document_id, DEBOUNCE_MS)

    def _check_in_later(self, document_id: str, delay: int) -> None:
        timer = self._timers.get(document_id)
        if timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(partial(self._check_in_now, document_id))
            self._timers[document_id] = timer
        timer.start(delay)

    def _check_in_now(self, document_id: str) -> None:
        copy = self._copies.get(document_id)
        if copy is None or document_id in self._closing:
            return
        store, actor = self._store, self._actor
        self._run(
            lambda: _check_in(store, copy, actor),
            partial(self._announce, copy),
            partial(self._check_in_failed, document_id),
        )

    def _check_in_failed(self, document_id: str, exc: Exception) -> None:
        if isinstance(exc, WorkCopyBusyError) and document_id not in self._closing:
            tries = self._retries.get(document_id, 0) + 1
            self._retries[document_id] = tries
            if tries <= MAX_RETRIES:
                self._check_in_later(document_id, RETRY_MS)
                return
        self._retries.pop(document_id, None)
        self._report(exc)

    def _announce(self, copy: WorkCopy, result: CheckedIn) -> None:
        """After a check-in: tell the other views, the main window and the clerk."""
        self._retries.pop(copy.document_id, None)
        if result is None:
            return
        number, container = result
        self._context.events.announce(
            Change.of(containers=(container,), records=(copy.document_id,))
        )
        self.checked_in.emit(copy.document_id, number)
        message = self.tr("Neue Version {number} von „{title}“ gespeichert.")
        self.status_message.emit(message.format(number=number, title=copy.title))

    # -- discarding, actions and errors ------------------------------------------------------

    def _discard_now(self, copy: WorkCopy) -> None:
        document_id = copy.document_id
        if document_id not in self._copies or document_id in self._closing:
            return
        self._stop_watching(document_id)
        store = self._store

        def done(_none: None) -> None:
            self._forget(document_id)
            message = self.tr("Arbeitskopie von „{title}“ verworfen.")
            self.status_message.emit(message.format(title=copy.title))

        self._run(lambda: checkout.discard(store, copy), done, partial(self._closing_failed, copy))

    def _closing_failed(self, copy: WorkCopy, exc: Exception) -> None:
        """Finishing or discarding failed (file still open?): keep watching, tell the clerk."""
        self._closing.discard(copy.document_id)
        self._watch(copy)
        self._report(exc)

    def _action(
        self, pixmap: QStyle.StandardPixmap, text: str, slot: Callable[[str], None]
    ) -> QAction:
        """An action on the current document."""
        action = QAction(QApplication.style().standardIcon(pixmap), text, self)

        def triggered() -> None:
            if self._current is not None:
                slot(self._current)

        action.triggered.connect(triggered)
        return action

    def _report(self, exc: Exception) -> None:
        self._show_error(*error_text(exc))  # logs an unexpected error with its traceback

    def _show_error(self, title: str, message: str) -> None:
        self.failed.emit(title, message)
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self._window
        )
        box.setAccessibleName(title)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Without a parent window nothing but this reference keeps the box alive.
        self._messages.add(box)
        box.finished.connect(lambda _result: self._messages.discard(box))
        box.open()  # not exec(): the GUI keeps running while the message is up
