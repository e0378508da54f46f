"""Desktop benchmark: start to interactive window, on a big store and on an empty one.

Each repetition starts ``eakte``'s window in a fresh process (offscreen) and measures, in the
parent, the wall time from starting the process until the window reports ``ready``: shown,
with the top level of the file plan loaded. The big store is the bulk store of the search
benchmark (``documents`` documents); the "empty" one has the same file plan and dossiers but
no documents. Rotating order, so neither always runs first; the ratio of the medians is the
figure (goal <= 1.3): what the store's size adds to starting the app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks.cache import REPO_ROOT, bulk_store, cached_dir, schema_head, source_digest
from tests.benchmarks.report import Row
from tests.benchmarks.timing import median

GOAL = 1.3
TIMEOUT_S = 120

_CHILD = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from desktop.app import run

def ready(window):
    print("READY", flush=True)
    QTimer.singleShot(0, QApplication.quit)

sys.exit(run(Path(sys.argv[1]), on_ready=ready))
"""


def _empty_store(seed: int) -> Path:
    from sync.demo.bulk import bulk_load
    from sync.store.database import Store

    key = f"emptystore-0-s{seed}-r{schema_head()}-" + source_digest(REPO_ROOT / "sync/demo")

    def build(folder: Path) -> None:
        with Store.open(folder / "store") as store:
            bulk_load(store, documents=0, seed=seed)
        (folder / "build.json").write_text(json.dumps({"documents": 0}))

    folder, _ = cached_dir(key, build)
    return folder / "store"


def _start(store_dir: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # An installed app ships bytecode; without it every start compiles SQLAlchemy again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(store_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO_ROOT,
        env=env,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - started
    child.wait(TIMEOUT_S)
    if line.strip() != "READY":
        raise RuntimeError(f"the window did not report ready (exit {child.returncode})")
    return elapsed


def run(documents: int, reps: int, seed: int = 7) -> list[Row]:
    big, _facts = bulk_store(documents, seed)
    empty = _empty_store(seed)
    _start(empty)  # warm the interpreter's and Qt's files, as on a PC used before
    times: dict[str, list[float]] = {"big": [], "empty": []}
    for rep in range(reps):
        order = [("big", big), ("empty", empty)]
        for name, folder in order[rep % 2 :] + order[: rep % 2]:
            times[name].append(_start(folder))
    value, floor = median(times["big"]), median(times["empty"])
    return [
        Row(
            "desktop start",
            f"start to interactive window, {documents:,} documents vs empty store",
            value * 1000,
            floor * 1000,
            "ms",
            goal=f"≤ {GOAL:g}× empty store",
            met=value / floor <= GOAL,
        )
    ]
