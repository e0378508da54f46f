"""Extraction in a child process, for callers that must keep their own process responsive.

PyMuPDF holds the GIL while it parses and reads text, up to a few hundred milliseconds for a
big or damaged PDF. Filing in a thread of the desktop therefore froze the window while it
worked (measured: 152 ms longest stall over 200 dropped files). ``ExtractionProcess`` hands
each staged file to one long-lived child process and waits for the answer, which releases
the GIL. A parser that crashes takes only the child down: that file is rejected with a
message and the next file gets a fresh child.

The command line keeps extracting in its own process (``preparation.extract_here``): it has
no window, and a child would cost it the process start.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from sync.errors import FilingRejectedError
from sync.filing.extracted import Extracted
from sync.filing.preparation import extract_here

log = logging.getLogger("eakte.sync.filing")


class ExtractionProcess:
    """A callable ``Extractor`` (see ``preparation``) backed by one child process, started
    on first use (or by ``start``). Thread-safe; ``shutdown`` ends the child."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the child now (it imports PyMuPDF), so the first file does not wait."""
        self._executor().submit(_ready)

    def __call__(self, path: Path, raw_name: str) -> Extracted:
        pool = self._executor()
        try:
            return pool.submit(extract_here, path, raw_name).result()
        except BrokenProcessPool:
            log.error("the extraction process ended while reading %s", raw_name)
            self._discard(pool)
            raise FilingRejectedError(
                "crashed",
                f"Die Datei „{raw_name}“ ließ sich nicht auswerten: das Lesen ist abgebrochen. "
                "Sie ist vermutlich beschädigt. Bitte die Quelle prüfen oder die Datei neu "
                "erzeugen (z. B. neu scannen).",
            ) from None

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # "spawn" everywhere: Windows has nothing else, and a fork of a process with
                # Qt and worker threads is unsafe.
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


def _ready() -> bool:
    import sync.filing.extract  # noqa: F401 - the import is the warm-up

    return True
