"""One background thread for the sync engine: jobs run one at a time, never on the GUI thread,
and their outcome comes back to the GUI thread through a queued signal (as in ``loader``).

One thread, not a pool: a sync run, a login and an on-demand download share one engine and
one blob folder, and two of them at once could download the same blob into the same partial
file. A job with a higher priority (opening a document) overtakes queued ones; the caller
cancels a running sync so that it does not wait for the whole run.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger("eakte.desktop.sync")

T = TypeVar("T")

PRIORITY_RUN = 0
PRIORITY_NOW = 10  # the clerk waits for it (a document being opened, a login)


class _Relay(QObject):
    finished = Signal(int, bool, object)  # job id, succeeded, result or exception


class _Job(QRunnable):
    def __init__(self, job_id: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.job_id = job_id
        self._work = work
        self._relay = relay

    def run(self) -> None:  # worker thread
        try:
            result = self._work()
        except Exception as exc:  # handed to the GUI thread, which decides what to do
            self._relay.finished.emit(self.job_id, False, exc)
        else:
            self._relay.finished.emit(self.job_id, True, result)


@dataclass
class _Pending:
    on_done: Callable[[Any], None]
    on_error: Callable[[Exception], None]


class SyncWorker(QObject):
    """Runs ``work()`` callables on one thread; create it on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # One relay, made after the pool so that it outlives the worker (see ``loader``).
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._closed = False

    def submit(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
        *,
        priority: int = PRIORITY_RUN,
    ) -> int:
        """Queue ``work``; ``on_done(result)`` or ``on_error(exc)`` follows on this object's
        thread (never after :meth:`close`). Returns the job id."""
        job_id = next(self._ids)
        self._pending[job_id] = _Pending(on_done, on_error)
        self._pool.start(_Job(job_id, work, self._relay), priority)
        return job_id

    def busy(self) -> bool:
        """Whether a job is queued, running, or its outcome not yet delivered."""
        return bool(self._pending)

    def close(self, msecs: int) -> bool:
        """Drop queued jobs and wait up to ``msecs`` for the running one; False if it is
        still running (it finishes on its own; its outcome is dropped)."""
        self._closed = True
        self._pool.clear()
        done = self._pool.waitForDone(msecs)
        if not done:
            log.warning("a sync job is still running after %d ms; not waiting longer", msecs)
        return done

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: object) -> None:
        entry = self._pending.pop(job_id, None)
        if entry is None or self._closed:
            return
        if ok:
            entry.on_done(payload)
        else:
            assert isinstance(payload, Exception)
            entry.on_error(payload)
