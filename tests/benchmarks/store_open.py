"""Benchmark 3: opening a store in a fresh process, as the app does at start-up.

Each repetition starts three child processes (in rotating order, so none is always first):

- baseline: the interpreter alone (``python -c`` that only reports its memory);
- floor: ``sqlite3.connect(path).execute("select count(*) from documents")``;
- E-Akte: import ``sync.store.database``, ``Store.open(path)``, the same count through
  ``store.read()``.

Times are measured inside the child (perf_counter) and as the parent's wall time for the whole
process. Memory: peak RSS (VmHWM) and USS (private pages, smaps_rollup) at the end of the child.
The repetitions run twice: with the database file in the page cache ("warm") and after evicting
it with posix_fadvise(DONTNEED) before every start ("cold file"; the interpreter and its
libraries stay cached, as they would on a PC that has run anything Python recently).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from sync.store.database import DB_NAME, Store
from tests.benchmarks.cache import BENCH_DIR, REPO_ROOT, bulk_store, scratch_dir
from tests.benchmarks.report import Row
from tests.benchmarks.timing import median

# Shared by all children: memory of this process (kB) from /proc, empty where unavailable.
_MEMORY = """
def _memory():
    out = {}
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith(('VmHWM:', 'VmRSS:')):
                    out[line.split(':')[0]] = int(line.split()[1])
        with open('/proc/self/smaps_rollup') as f:
            out['USS'] = sum(
                int(line.split()[1]) for line in f
                if line.startswith(('Private_Clean:', 'Private_Dirty:'))
            )
    except OSError:
        import resource
        out['VmHWM'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return out
"""

CHILD_BASELINE = _MEMORY + (
    """
import json
print(json.dumps({'seconds': 0.0, **_memory()}))
"""
)

CHILD_FLOOR = _MEMORY + (
    """
import json, sqlite3, sys, time
started = time.perf_counter()
con = sqlite3.connect(sys.argv[1])
count = con.execute('select count(*) from documents').fetchone()[0]
seconds = time.perf_counter() - started
print(json.dumps({'seconds': seconds, 'count': count, **_memory()}))
"""
)

CHILD_STORE = _MEMORY + (
    """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from sqlalchemy import text
from sync.store.database import Store
imported = time.perf_counter()
store = Store.open(Path(sys.argv[2]), create=False)
opened = time.perf_counter()
with store.read() as session:
    count = session.execute(text('select count(*) from documents')).scalar_one()
done = time.perf_counter()
print(json.dumps({
    'seconds': done - imported, 'import': imported - started, 'open': opened - imported,
    'count': count, **_memory(),
}))
store.engine.dispose()  # no close(): its checkpoint would be a write the floor does not do
"""
)


def _evict(store_dir: Path) -> None:
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
        path = store_dir / name
        if path.exists():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fdatasync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _child_env() -> dict[str, str]:
    # An installed app ships compiled bytecode. Dev shells often set PYTHONDONTWRITEBYTECODE,
    # which would make every start compile SQLAlchemy and Alembic from source (seconds), so the
    # children keep their bytecode in .bench/pycache instead (the venv is left untouched).
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(BENCH_DIR / "pycache")
    return env


def _child(code: str, store_dir: Path) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(store_dir / DB_NAME), str(store_dir)],
        cwd=REPO_ROOT,
        env=_child_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def measure(store_dir: Path, reps: int, *, cold: bool) -> dict[str, dict[str, float]]:
    """Median of every figure per child kind over ``reps`` rotating repetitions."""
    kinds = {"baseline": CHILD_BASELINE, "floor": CHILD_FLOOR, "store": CHILD_STORE}
    samples: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
    order = list(kinds)
    for rep in range(reps):
        for kind in order[rep % 3 :] + order[: rep % 3]:
            if cold:
                _evict(store_dir)
            samples[kind].append(_child(kinds[kind], store_dir))
    return {
        kind: {key: median([s[key] for s in runs]) for key in runs[0]}
        for kind, runs in samples.items()
    }


def _rows(label: str, m: dict[str, dict[str, float]], *, baseline: bool) -> list[Row]:
    store, floor, base = m["store"], m["floor"], m["baseline"]
    figures = [
        ("open + count, ms", "seconds", 1000.0, "ms"),
        ("process wall, ms", "wall", 1000.0, "ms"),
        ("peak RSS, MB", "VmHWM", 1 / 1024, "MB"),
        ("USS, MB", "USS", 1 / 1024, "MB"),
    ]
    rows = [
        Row("Open", f"{label}: {name}", store[key] * scale, floor[key] * scale, unit)
        for name, key, scale, unit in figures
        if key in store
    ]
    if baseline:
        rows.append(Row("Open", "python start-up alone, ms", base["wall"] * 1000, None, "ms"))
    return rows


def _print_raw(label: str, m: dict[str, dict[str, float]]) -> None:
    for kind, figures in m.items():
        shown = ", ".join(
            f"{k} {v * 1000:.1f} ms" if k in ("seconds", "import", "open", "wall") else f"{k} {v:g}"
            for k, v in figures.items()
        )
        print(f"  {label:<22} {kind:<9} {shown}")


def run(documents: int, seed: int, reps: int) -> list[Row]:
    big, facts = bulk_store(documents, seed)
    how = "reused from .bench/" if facts["reused"] else "built now"
    print(f"  store with {documents} documents ({how}, build took {facts['build_s']:.1f} s)")
    empty_root = scratch_dir("empty")
    Store.open(empty_root / "store").close()  # migrated, checkpointed, no records
    empty = empty_root / "store"
    for code in (CHILD_BASELINE, CHILD_FLOOR, CHILD_STORE):
        _child(code, big)  # the first start compiles bytecode: not a user's start
    rows: list[Row] = []
    results = {}
    try:
        for label, path, cold in (
            (f"{documents:,} docs, warm", big, False),
            (f"{documents:,} docs, cold file", big, True),
            ("empty store, warm", empty, False),
        ):
            results[label] = measure(path, reps, cold=cold)
            _print_raw(label, results[label])
            rows += _rows(label, results[label], baseline=not rows)
    finally:
        shutil.rmtree(empty_root)
    big_warm = results[f"{documents:,} docs, warm"]["store"]
    empty_warm = results["empty store, warm"]["store"]
    rows.append(
        Row(
            "Open",
            f"Store.open {documents:,} docs vs empty (floor = empty), ms",
            big_warm["open"] * 1000,
            empty_warm["open"] * 1000,
            "ms",
        )
    )
    imported = big_warm["import"] * 1000
    rows.append(Row("Open", "import sqlalchemy + sync.store.database, ms", imported, None, "ms"))
    return rows
