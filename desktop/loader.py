"""Run store reads on a thread pool and hand the result back on the GUI thread.

The GUI thread never waits on disk (DESIGN.md, Layers): a job runs ``work(session)`` in a
worker thread inside its own ``store.read()`` session (SQLite WAL lets readers run beside the
GUI), and its result, or the exception it raised, comes back through a queued signal so the
callbacks always run on the thread that owns the loader.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from sqlalchemy.orm import Session

from sync.store.database import Store

log = logging.getLogger("eakte.desktop")

T = TypeVar("T")


class _Relay(QObject):
    """Carries every job's outcome to the loader's thread: (job id, succeeded, result or
    exception)."""

    finished = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(
        self,
        job_id: int,
        store: Store,
        work: Callable[[Session], Any],
        relay: _Relay,
        *,
        write: bool,
    ) -> None:
        super().__init__()
        self.job_id = job_id
        self._store = store
        self._work = work
        self._relay = relay
        self._write = write

    def run(self) -> None:  # worker thread
        try:
            # write(): one transaction, committed when work returns, rolled back if it raises.
            transaction = self._store.write() if self._write else self._store.read()
            with transaction as session:
                result = self._work(session)
        except Exception as exc:  # handed to the GUI thread, which decides what to do
            self._relay.finished.emit(self.job_id, False, exc)
        else:
            self._relay.finished.emit(self.job_id, True, result)


@dataclass
class _InFlight:
    on_done: Callable[[Any], None]
    on_error: Callable[[Exception], None] | None


class Loader(QObject):
    """Submits store reads to its own thread pool; create it on the GUI thread."""

    def __init__(self, store: Store, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self._store = store
        # Own pool: tests and shutdown can wait for exactly these jobs. Few threads, since
        # SQLite reads are quick and mostly wait on the same file.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        # One relay for all jobs, made after the pool: children are destroyed in creation
        # order and the pool's destructor waits for its workers, so no worker is ever still
        # emitting on the relay when it goes. (A relay per job, freed once its result was
        # delivered, could be destroyed while its worker was still inside emit(): a segfault
        # that CI hit between two tree-model tests.)
        self._relay = _Relay(self)
        # Queued: the signal is emitted in a worker, the slot must run on our thread.
        self._relay.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._ids = itertools.count(1)
        # The runnable belongs to the pool, which deletes it after run() (autoDelete).
        self._in_flight: dict[int, _InFlight] = {}
        self.submitted = 0

    def submit(
        self,
        work: Callable[[Session], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        """Run ``work`` in a worker thread; ``on_done(result)`` or ``on_error(exc)`` follows
        on this loader's thread. Without ``on_error`` a failure is logged. Returns the job id."""
        return self._start(work, on_done, on_error, write=False)

    def submit_write(
        self,
        work: Callable[[Session], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        """Like :meth:`submit`, but ``work`` runs inside ``store.write()``: one transaction,
        committed when it returns and rolled back if it raises. Writers queue behind the
        store's write lock, so the GUI never waits for one."""
        return self._start(work, on_done, on_error, write=True)

    def _start(
        self,
        work: Callable[[Session], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None] | None,
        *,
        write: bool,
    ) -> int:
        job_id = next(self._ids)
        self._in_flight[job_id] = _InFlight(on_done, on_error)
        self.submitted += 1
        self._pool.start(_Job(job_id, self._store, work, self._relay, write=write))
        return job_id

    def pending(self) -> int:
        """Jobs submitted whose result has not been delivered yet."""
        return len(self._in_flight)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the workers are idle (for shutdown and tests, never in normal GUI
        code); queued results are delivered by the next turn of the event loop."""
        return self._pool.waitForDone(msecs)

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: object) -> None:
        entry = self._in_flight.pop(job_id, None)
        if entry is None:
            return
        if ok:
            entry.on_done(payload)
            return
        assert isinstance(payload, Exception)
        if entry.on_error is None:
            log.error("background load failed", exc_info=payload)
        else:
            entry.on_error(payload)
