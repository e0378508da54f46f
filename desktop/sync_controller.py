"""``SyncController``: the window's sync engine, run in the background.

It syncs on a timer, a few seconds after every local change (debounced; the window's
``Change`` announcements say when), and on demand. One run at a time, on ``SyncWorker``'s
thread; a request during a run makes one more run afterwards. A run that applied anything
announces ``Change.all()``, so the tree, the list and the panels reload what they show (the
tree merges, expanded rows stay open).

Failures are states, not dialogs: no connection is "Offline" until the next tick; a locked
keyring or a guard (foreign cache, server restored) pauses with its message, said once in the
status bar. Only many deletions ask, once, with a question box.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from desktop.dialogs.fields import weak_widget
from desktop.errors import error_text
from desktop.mass_delete import MassDeleteQuestion
from desktop.sync_engine import make_engine
from desktop.sync_progress import ProgressRelay
from desktop.sync_status import SyncState, SyncStatus
from desktop.sync_worker import PRIORITY_NOW, SyncWorker
from sync.credentials import CredentialStore
from sync.engine import binding
from sync.engine.auth import Account
from sync.engine.engine import SyncEngine, SyncProgress, SyncReport
from sync.engine.errors import LoginRequiredError, MassDeleteError, SyncBusyError
from sync.engine.offline import offline_dossiers, set_offline
from sync.errors import EAkteError
from sync.records.model import OutboxEntry
from sync.transport import Backoff, ServerUnreachableError

log = logging.getLogger("eakte.desktop.sync")

INTERVAL_MS = 60_000
DEBOUNCE_MS = 3_000
STOP_WAIT_MS = 15_000  # on close: how long a run gets to reach a safe point


def _run_facts(session: Session) -> tuple[binding.Binding | None, set[str]]:
    return binding.current(session), offline_dossiers(session)


class SyncController(QObject):
    """Signals: ``status_changed(SyncStatus)``; ``run_finished(SyncReport)`` after a run
    that went through; ``notice(str)`` once for each new reason sync stopped (for the status
    bar's message area); ``account_changed()`` after a login or logout;
    ``offline_changed()`` when the set of offline dossiers changed."""

    status_changed = Signal(object)
    run_finished = Signal(object)
    notice = Signal(str)
    account_changed = Signal()
    offline_changed = Signal()

    def __init__(
        self,
        context: AppContext,
        *,
        credentials: CredentialStore | None = None,
        interval_ms: int = INTERVAL_MS,
        debounce_ms: int = DEBOUNCE_MS,
        download_all: bool = False,
        cache_limit_bytes: int | None = None,
        window: QWidget | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        """``backoff``: how the engine waits between retries (tests pass one that does not
        sleep); ``window``: the parent of the one question the controller asks."""
        super().__init__(context)
        self._context = context
        self.credentials = credentials or CredentialStore()
        self.download_all = download_all
        self.cache_limit_bytes = cache_limit_bytes
        self._backoff = backoff
        self._window = weak_widget(window)
        self.worker = SyncWorker(self)
        self._relay = ProgressRelay(self)
        self._relay.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self.engine: SyncEngine | None = None
        self.account: Account | None = None
        self.binding: binding.Binding | None = None
        self.offline_ids: set[str] = set()
        self.status = SyncStatus(SyncState.NOT_LOGGED_IN)
        self.runs = 0  # runs that went through (tests and the screenshot wait on it)
        self._run_active = False
        self._run_engine: SyncEngine | None = None
        self._again = False
        self._needs_login = False
        self._mass_delete = MassDeleteQuestion(self, self._window)
        self._last_notice: tuple[str, str] | None = None
        self._announcing = False
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._tick)
        context.events.changed.connect(self._local_change)

    # -- start, account ------------------------------------------------------------------

    def start(self) -> None:
        """Read the store's binding and offline sets; a bound store syncs at once."""
        self._context.loader.submit(_run_facts, self._started, self._start_failed)

    def _started(self, facts: tuple[binding.Binding | None, set[str]]) -> None:
        found, self.offline_ids = facts
        self.binding = found
        self.offline_changed.emit()
        if self._closed or self.engine is not None:
            return  # a login (the demo's) came first
        if found is None:
            if self.status.state is not SyncState.CONNECTING:  # not the demo server starting
                self._set(SyncStatus(SyncState.NOT_LOGGED_IN))
            return
        self.use_account(Account(found.server_url, found.municipality, found.login))
        self.sync_now()

    def _start_failed(self, exc: Exception) -> None:
        log.error("the store's binding could not be read", exc_info=exc)
        self._set(SyncStatus(SyncState.NOT_LOGGED_IN))

    def use_account(self, account: Account) -> None:
        """Sync as ``account`` from now on (its refresh token must be in the keyring)."""
        self._install(self._make(account), account)

    def _make(self, account: Account) -> SyncEngine:
        return make_engine(
            self._context.store,
            account,
            self.credentials,
            progress=self._relay.reporter(),
            download_all=self.download_all,
            cache_limit_bytes=self.cache_limit_bytes,
            backoff=self._backoff,
        )

    def _install(self, engine: SyncEngine, account: Account) -> None:
        self.engine, self.account = engine, account
        self._needs_login = False
        self._set(SyncStatus(SyncState.CONNECTING, server=account.label()))
        self._timer.start()
        self.account_changed.emit()

    def login(
        self,
        account: Account,
        password: str,
        on_done: Callable[[binding.Binding], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Log in and bind the store in the background; then sync. The password is used
        once and not kept."""
        engine = self._make(account)

        def done(bound: binding.Binding) -> None:
            self.binding = bound
            self._install(engine, account)
            on_done(bound)
            self.sync_now()

        self.worker.submit(lambda: engine.login(password), done, on_error, priority=PRIORITY_NOW)

    def logout(self) -> None:
        """Forget the saved login (keyring); local changes stay and wait for the next login."""
        engine = self.engine
        if engine is None:
            return
        engine.cancel()
        self.engine = None
        self._timer.stop()
        self._debounce.stop()
        self._set(SyncStatus(SyncState.NOT_LOGGED_IN))
        self.account_changed.emit()
        self.worker.submit(engine.auth.logout, lambda _none: None, self._logout_failed)

    def _logout_failed(self, exc: Exception) -> None:
        title, message = _texts(exc)
        self.notice.emit(f"{title}: {message}")

    def show_status(self, status: SyncStatus) -> None:
        """Show a state decided elsewhere (the demo server starting)."""
        self._set(status)

    def fail(self, exc: Exception) -> None:
        """Sync cannot start (the demo server did not): paused, with the reason."""
        self._set(SyncStatus(SyncState.PAUSED, error=_as_error(exc), server=self._server()))

    # -- running -------------------------------------------------------------------------

    def sync_now(self, *, allow_mass_delete: bool = False) -> None:
        """Start a run (or, during one, one more afterwards). Also what the clerk's
        "Jetzt synchronisieren" does: it asks again about many deletions."""
        if self._closed:
            return
        engine = self.engine
        if engine is None:
            self._set(SyncStatus(SyncState.NOT_LOGGED_IN))
            return
        self._mass_delete.declined = False
        self._needs_login = False
        if self._run_active:
            self._again = True
            return
        self._start_run(engine, allow_mass_delete)

    def _tick(self) -> None:
        """The timer and the debounce: like sync_now, but quiet while the clerk must act."""
        if self._closed or self.engine is None or self._needs_login:
            return
        if self._run_active:
            self._again = True
            return
        if self._mass_delete.box is not None:
            return
        self._start_run(self.engine, False)

    def _start_run(self, engine: SyncEngine, allow_mass_delete: bool) -> None:
        self._run_active = True
        self._run_engine = engine
        self._again = False
        self._debounce.stop()
        self._timer.start()  # the next tick counts from now
        self._set(SyncStatus(SyncState.SYNCING, server=self._server()))
        store, relay = self._context.store, self._relay

        def work() -> SyncReport:
            with store.read() as session:
                waiting = session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
            relay.run_started(int(waiting))
            return engine.run(allow_mass_delete=allow_mass_delete)

        self.worker.submit(work, self._run_done, self._run_failed)

    @Slot(object, object)
    def _progress(self, progress: SyncProgress | None, push_total: int | None) -> None:
        if self.status.state is not SyncState.SYNCING:
            return
        total = push_total if push_total is not None else self.status.push_total
        self._set(SyncStatus(SyncState.SYNCING, progress, total, server=self._server()), quiet=True)

    def _run_done(self, report: SyncReport) -> None:
        self._run_active = False
        self.runs += 1
        if self._run_engine is self.engine:  # not logged out (or in again) meanwhile
            self._last_notice = None
            self._set(SyncStatus(SyncState.ONLINE, server=self._server()))
        if report.rejected:  # failing transfers are counted in the bar, not announced each run
            self.notice.emit(
                self.tr("%1 Änderung(en) vom Server abgelehnt: siehe Fehlerliste.").replace(
                    "%1", str(report.rejected)
                )
            )
        if _applied_anything(report):
            self._announce(Change.all())
        self.run_finished.emit(report)
        if self._again:
            self._tick()

    def _run_failed(self, exc: Exception) -> None:
        self._run_active = False
        again, self._again = self._again, False
        if self._run_engine is not self.engine:
            log.info("a run of a previous login ended: %s", type(exc).__name__)
            if again:
                self._tick()
            return
        server = self._server()
        if isinstance(exc, ServerUnreachableError):
            self._set(SyncStatus(SyncState.OFFLINE, error=exc, server=server))
        elif isinstance(exc, LoginRequiredError):
            self._needs_login = True
            self._set(SyncStatus(SyncState.NOT_LOGGED_IN, error=exc, server=server))
        elif isinstance(exc, SyncBusyError):
            # Another window of this store is syncing: not a problem, the next tick goes on.
            self._set(SyncStatus(SyncState.ONLINE, server=server), quiet=True)
        elif isinstance(exc, MassDeleteError):
            self._set(SyncStatus(SyncState.PAUSED, error=exc, server=server))
            if not self._mass_delete.declined:
                self.ask_mass_delete()
        else:
            self._set(SyncStatus(SyncState.PAUSED, error=_as_error(exc), server=server))
        if again and self.status.state is SyncState.ONLINE:
            self._tick()

    def ask_mass_delete(self) -> QMessageBox | None:
        """Ask whether the many deletions waiting may go to the server (once at a time)."""
        error = self.status.error
        if not isinstance(error, MassDeleteError):
            return self._mass_delete.box
        return self._mass_delete.ask(error, lambda: self.sync_now(allow_mass_delete=True))

    @property
    def question(self) -> QMessageBox | None:
        """The question about many deletions, while it is open."""
        return self._mass_delete.box

    # -- documents and offline sets --------------------------------------------------------

    def fetch(
        self,
        sha256: str,
        size: int,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
        *,
        document_id: str | None = None,
    ) -> None:
        """Download one blob (a document being opened) ahead of everything else: a running
        sync is cancelled at its next safe point and runs again afterwards."""
        engine = self.engine
        if engine is None or self._closed:
            on_error(
                LoginRequiredError(
                    self.tr(
                        "Dieses Dokument ist nicht auf diesem PC gespeichert. Bitte anmelden "
                        "(Synchronisierung → Anmelden …), damit es vom Server geladen wird."
                    )
                )
            )
            return
        if self._run_active:
            engine.cancel()
            self._again = True

        def done(result: Any) -> None:
            if document_id is not None:
                self._announce(Change.of(records=(document_id,)))  # its offline badge
            on_done(result)

        self.worker.submit(
            lambda: engine.fetch_blob(sha256, size), done, on_error, priority=PRIORITY_NOW
        )

    def set_offline(self, dossier_id: str, offline: bool) -> None:
        """Mark a dossier "Offline verfügbar" (or not); marking it fetches it at once."""

        def done(_none: None) -> None:
            if offline:
                self.offline_ids.add(dossier_id)
            else:
                self.offline_ids.discard(dossier_id)
            self.offline_changed.emit()
            if offline:
                self.sync_now()

        def failed(exc: Exception) -> None:
            title, message = _texts(exc)
            self.notice.emit(f"{title}: {message}")
            self.offline_changed.emit()  # the toggle shows the stored state again

        self._context.loader.submit_write(
            lambda session: set_offline(session, dossier_id, offline), done, failed
        )

    # -- announcements -------------------------------------------------------------------

    def _local_change(self, change: Change) -> None:
        if self._announcing or change.empty or self.engine is None or self._closed:
            return
        self._debounce.start()

    def _announce(self, change: Change) -> None:
        self._announcing = True  # our own announcement is no local change to send
        try:
            self._context.events.announce(change)
        finally:
            self._announcing = False

    def _set(self, status: SyncStatus, *, quiet: bool = False) -> None:
        self.status = status
        error = status.error
        if (
            not quiet
            and error is not None
            and status.state in (SyncState.PAUSED, SyncState.NOT_LOGGED_IN)
        ):
            key = (error.code, error.message)
            if key != self._last_notice:
                self._last_notice = key
                self.notice.emit(f"{error.title}: {error.message}")
        self.status_changed.emit(status)

    def _server(self) -> str:
        return self.account.label() if self.account is not None else ""

    # -- shutdown ------------------------------------------------------------------------

    def shutdown(self, msecs: int = STOP_WAIT_MS) -> bool:
        """Stop the timers, cancel a run and wait (bounded) for it to reach a safe point."""
        if self._closed:
            return True
        self._closed = True
        self._timer.stop()
        self._debounce.stop()
        self._mass_delete.close()
        if self.engine is not None:
            self.engine.cancel()
        return self.worker.close(msecs)

    @property
    def busy(self) -> bool:
        """A run is queued or under way."""
        return self._run_active

    @property
    def scheduled(self) -> bool:
        """A local change is waiting for its debounced run."""
        return self._debounce.isActive()


def _applied_anything(report: SyncReport) -> bool:
    return bool(
        report.pushed
        or report.merged
        or report.conflicts
        or report.rejected
        or report.pulled
        or report.downloaded
    )


def _as_error(exc: Exception) -> EAkteError:
    if isinstance(exc, EAkteError):
        return exc
    title, message = _texts(exc)
    return EAkteError(message, title=title)


def _texts(exc: Exception) -> tuple[str, str]:
    return error_text(exc)  # logs an unexpected error with its traceback
