"""The engine's progress, from the sync thread to the GUI thread: at most one report per
``PROGRESS_EVERY_S`` and phase (an upload reports every piece of a file), a new phase or a
phase's end always."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from sync.engine.engine import SyncProgress

PROGRESS_EVERY_S = 0.1


class ProgressRelay(QObject):
    """``progress(SyncProgress | None, push_total | None)``, emitted on the sync thread and
    delivered queued: ``None`` with the number of changes waiting when a run begins."""

    progress = Signal(object, object)

    def run_started(self, waiting: int) -> None:  # sync thread
        self.progress.emit(None, waiting)

    def reporter(self) -> Callable[[SyncProgress], None]:
        """The engine's ``progress`` callback."""
        last: list[Any] = [0.0, ""]  # when, and for which phase, a report was passed on

        def report(progress: SyncProgress) -> None:  # sync thread
            now = time.monotonic()
            finished = progress.total is not None and progress.done >= progress.total
            if progress.phase == last[1] and not finished and now - last[0] < PROGRESS_EVERY_S:
                return
            last[0], last[1] = now, progress.phase
            self.progress.emit(progress, None)

        return report
