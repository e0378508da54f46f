"""The background runners (``Loader``, ``SyncWorker``): results come back on the GUI thread,
and their owner may go as soon as the last result is in."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop.loader import Loader
from desktop.sync_worker import SyncWorker
from sync.store.database import Store

TIMEOUT = 5000
ROOT = Path(__file__).resolve().parents[2]


def test_loader_runs_in_a_worker_and_delivers_on_the_gui_thread(qtbot, store: Store, caplog):
    loader = Loader(store)
    delivered: list[tuple[int, int]] = []

    def broken(_session):
        raise OSError("disk gone")

    loader.submit(
        lambda _session: threading.get_ident(),
        lambda worker: delivered.append((worker, threading.get_ident())),
    )
    with caplog.at_level(logging.ERROR, logger="eakte.desktop"):
        loader.submit(broken, lambda _result: None)  # no on_error: logged
        qtbot.waitUntil(lambda: loader.pending() == 0, timeout=TIMEOUT)
    [(worker, receiver)] = delivered
    assert worker != threading.get_ident() and receiver == threading.get_ident()
    assert "disk gone" in caplog.text


def test_sync_worker_delivers_outcomes_and_nothing_after_close(qtbot):
    worker = SyncWorker()
    results: list[object] = []
    release = threading.Event()
    worker.submit(lambda: 42, results.append, results.append)
    worker.submit(lambda: 1 // 0, results.append, results.append)
    qtbot.waitUntil(lambda: not worker.busy(), timeout=TIMEOUT)
    assert results[0] == 42 and isinstance(results[1], ZeroDivisionError)

    worker.submit(lambda: release.wait(5), results.append, results.append)
    worker.submit(lambda: "queued", results.append, results.append)
    release.set()
    assert worker.close(TIMEOUT)
    qtbot.wait(50)
    assert results[2:] == []


# Owners made and dropped in a tight loop while their workers finish. Both runners used to
# give every job its own signal object, freed once the result was delivered, sometimes while
# the worker was still inside emit(): a segfault within 1,000 rounds in about three runs out
# of four (Loader) or one out of two (SyncWorker). Run in a child process, so that a crash
# fails this test instead of ending the test run.
_CHURN = """
import sys
from pathlib import Path
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from desktop.loader import Loader
from desktop.sync_worker import SyncWorker
from sync.store.database import Store

app = QApplication([])
store = Store.open(Path(sys.argv[2]))

def broken(*_args):
    raise OSError("x")

for round_ in range(int(sys.argv[3])):
    owner = QObject()
    if sys.argv[1] == "Loader":
        runner = Loader(store, owner)
        submit, work, busy = runner.submit, (lambda s: 1), runner.pending
    else:
        runner = SyncWorker(owner)
        submit, work, busy = runner.submit, (lambda: 1), runner.busy
    for job in range(16):
        submit(broken if (round_ + job) % 2 else work, lambda r: None, lambda e: None)
    while busy():
        app.processEvents()
    del runner, submit, busy, owner
store.close()
print("survived")
"""


@pytest.mark.parametrize("runner", ["Loader", "SyncWorker"])
def test_owners_can_go_as_soon_as_the_last_result_is_in(runner: str, tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _CHURN, runner, str(tmp_path / "store"), "1000"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert done.stdout.strip() == "survived"
