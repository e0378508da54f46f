"""Filing what one drop brought, in a worker thread, with progress, cancel and a report.

The worker owns its ``Filer`` (a Filer is not thread-safe) and talks to the GUI only through
queued signals. Outcomes come in as their batch is committed; the job announces the change
once per burst of them, so the views reload once per batch rather than once per file.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from desktop.context import Change, StoreEvents
from sync.errors import EAkteError
from sync.filing.drop_sources import (
    DropSource,
    SaveOutlook,
    expand_sources,
    file_drop,
    item_names,
)
from sync.filing.pipeline import Filer, FilingOutcome
from sync.filing.preparation import Extractor, extract_here
from sync.records.tree import TreeNode
from sync.store.database import Store

log = logging.getLogger("eakte.desktop.dropping")

_numbers = itertools.count(1)  # tells the jobs apart on their pool's relay


@dataclass(frozen=True)
class FilingReport:
    """What became of one drop. ``not_reached``: items left out because the clerk cancelled
    (or because filing stopped on ``error``, a German message)."""

    target: TreeNode
    outcomes: tuple[FilingOutcome, ...]
    not_reached: tuple[str, ...] = ()
    cancelled: bool = False
    error: str | None = None

    def count(self, status: str) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)

    @property
    def total(self) -> int:
        return len(self.outcomes) + len(self.not_reached)


class FilingRelay(QObject):
    """Carries the workers' progress to the GUI thread, each signal led by the job's number.

    One per pool, made after it: children are destroyed in creation order and the pool's
    destructor waits for its workers, so no worker still emits on a relay that is gone (a
    relay per job, deleted with its job once "done" arrived, could be destroyed while the
    worker was still inside that emit()).
    """

    counted = Signal(int, int)
    starting = Signal(int, int, str)
    outcome = Signal(int, object)
    done = Signal(int, object, object)  # names not reached, the exception that stopped it or None


class _Worker(QRunnable):
    def __init__(
        self,
        relay: FilingRelay,
        number: int,
        store: Store,
        sources: Sequence[DropSource],
        target_id: str,
        stop: threading.Event,
        save_outlook: SaveOutlook | None,
        extractor: Extractor,
    ) -> None:
        super().__init__()
        self._extractor = extractor
        self._relay = relay
        self._number = number
        self._store = store
        self._sources = sources
        self._target_id = target_id
        self._stop = stop
        self._save_outlook = save_outlook

    def run(self) -> None:  # worker thread
        names: list[str] = []
        filed = 0
        error: Exception | None = None
        try:
            sources = expand_sources(self._sources)
            names = item_names(sources)
            self._relay.counted.emit(self._number, len(names))
            outcomes = file_drop(
                Filer(self._store, extractor=self._extractor),
                sources,
                self._target_id,
                cancelled=self._stop.is_set,
                starting=functools.partial(self._relay.starting.emit, self._number),
                save_outlook=self._save_outlook,
            )
            for outcome in outcomes:
                filed += 1
                self._relay.outcome.emit(self._number, outcome)
        except Exception as exc:  # reported to the clerk; what was committed stays filed
            if not isinstance(exc, EAkteError):
                log.exception("filing a drop failed")
            error = exc
        self._relay.done.emit(self._number, names[filed:], error)


class FilingJob(QObject):
    """One drop being filed. Signals (GUI thread): ``counted(total)`` once the folders are
    expanded; ``starting(number, name)`` before each item is read; ``finished(FilingReport)``
    at the end. ``outcomes`` grows as batches are committed."""

    counted = Signal(int)
    starting = Signal(int, str)
    finished = Signal(object)

    def __init__(
        self,
        store: Store,
        events: StoreEvents,
        target: TreeNode,
        sources: Sequence[DropSource],
        relay: FilingRelay,
        *,
        save_outlook: SaveOutlook | None = None,
        extractor: Extractor = extract_here,
        parent: QObject | None = None,
    ) -> None:
        """``relay`` belongs to the pool the job will run on. ``extractor`` reads each file;
        pass an ``ExtractionProcess`` so that PyMuPDF, which holds the GIL, never works in
        the window's process."""
        super().__init__(parent)
        self.target = target
        self.total = 0
        self.outcomes: list[FilingOutcome] = []
        self.report: FilingReport | None = None
        self._events = events
        self._stop = threading.Event()
        self._number = next(_numbers)
        self._relay = relay
        self._relay.counted.connect(self._relayed_counted)
        self._relay.starting.connect(self._relayed_starting)
        self._relay.outcome.connect(self._relayed_outcome)
        self._relay.done.connect(self._relayed_done)
        self._worker_args = (store, sources, target.id, self._stop, save_outlook, extractor)
        self._unannounced = False
        # Outcomes of one batch arrive back to back: one announcement after the burst.
        self._announce_timer = QTimer(self)
        self._announce_timer.setSingleShot(True)
        self._announce_timer.setInterval(0)
        self._announce_timer.timeout.connect(self._announce)

    def start(self, pool: QThreadPool) -> None:
        """Run on ``pool``, the pool ``relay`` was made for; the pool owns the worker."""
        pool.start(_Worker(self._relay, self._number, *self._worker_args))

    def cancel(self) -> None:
        """Stop before the next item; safe from any thread."""
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    @property
    def running(self) -> bool:
        return self.report is None

    # The relay carries every job's signals; each job takes its own.
    def _relayed_counted(self, number: int, total: int) -> None:
        if number == self._number:
            self._counted(total)

    def _relayed_starting(self, number: int, item: int, name: str) -> None:
        if number == self._number:
            self.starting.emit(item, name)

    def _relayed_outcome(self, number: int, outcome: FilingOutcome) -> None:
        if number == self._number:
            self._outcome(outcome)

    def _relayed_done(self, number: int, not_reached: list[str], error: Exception | None) -> None:
        if number != self._number:
            return
        self._relay.counted.disconnect(self._relayed_counted)
        self._relay.starting.disconnect(self._relayed_starting)
        self._relay.outcome.disconnect(self._relayed_outcome)
        self._relay.done.disconnect(self._relayed_done)
        self._done(not_reached, error)

    def _counted(self, total: int) -> None:
        self.total = total
        self.counted.emit(total)

    def _outcome(self, outcome: FilingOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status == "filed":
            self._unannounced = True
            self._announce_timer.start()

    def _announce(self) -> None:
        if self._unannounced:
            self._unannounced = False
            self._events.announce(Change.of(containers=(self.target.id,)))

    def _done(self, not_reached: list[str], error: Exception | None) -> None:
        self._announce_timer.stop()
        self._announce()
        message = None
        if isinstance(error, EAkteError):
            message = error.message
        elif error is not None:
            message = self.tr(
                "Die Ablage wurde wegen eines unerwarteten Fehlers beendet. Bereits abgelegte "
                "Dokumente bleiben erhalten. Bitte die übrigen erneut hineinziehen; hilft das "
                "nicht, die zentrale IT verständigen (Einzelheiten stehen im Protokoll)."
            )
        self.report = FilingReport(
            self.target,
            tuple(self.outcomes),
            tuple(not_reached),
            cancelled=self.cancelled,
            error=message,
        )
        self.finished.emit(self.report)
