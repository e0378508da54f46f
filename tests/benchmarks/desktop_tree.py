"""Desktop benchmark: expanding a case of N documents in the file plan tree.

E-Akte: the real ``PlanTreeModel`` on a store whose first open case holds ``documents``
documents. The levels above the case are loaded first (not timed); then the clock runs from
``fetchMore(case)`` until the model has inserted the rows and said so (``loaded``), which
includes the hand-over from the worker thread back to the GUI thread. The rows' state badges
(waiting to sync, conflict, offline) follow in a second step; the time until they are in is
reported too.

Floors, with ``sqlite3`` and ``fetchall()`` in the same process and run: the raw SQL query for
the same rows (id, title, type, problems in display order), and the raw query that also answers
what the tree's badges show (attachments, waiting in the outbox, conflict, bytes present),
written as the correlated EXISTS probes the tree uses.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from sync.store.database import DB_NAME
from tests.benchmarks.cache import REPO_ROOT, cached_dir, schema_head, source_digest
from tests.benchmarks.report import Row
from tests.benchmarks.timing import median

GOAL = 3.0

_RAW_QUERY = """
SELECT id, title, doc_type, problems FROM documents
WHERE dossier_id = ? AND case_id = ? AND parent_document_id IS NULL AND deleted_at IS NULL
ORDER BY received_on, created_at
"""


_RAW_WITH_BADGES = """
SELECT d.id, d.title, d.doc_type, d.problems,
  EXISTS (SELECT 1 FROM documents a WHERE a.parent_document_id = d.id AND a.deleted_at IS NULL),
  EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = d.id),
  EXISTS (SELECT 1 FROM versions v WHERE v.document_id = d.id AND v.conflict),
  EXISTS (SELECT 1 FROM versions v JOIN blobs b ON b.sha256 = v.blob_sha256
          WHERE v.document_id = d.id AND v.number = d.current_version AND b.present)
FROM documents d
WHERE d.dossier_id = ? AND d.case_id = ? AND d.parent_document_id IS NULL AND d.deleted_at IS NULL
ORDER BY d.received_on, d.created_at
"""


def one_case_store(documents: int, seed: int) -> Path:
    from sync.demo.bulk import bulk_load
    from sync.store.database import Store

    key = f"onecase-{documents}-s{seed}-r{schema_head()}-" + source_digest(
        REPO_ROOT / "sync/demo", REPO_ROOT / "sync/records/model.py"
    )

    def build(folder: Path) -> None:
        with Store.open(folder / "store") as store:
            bulk_load(store, documents=documents, seed=seed, one_case=True)
        (folder / "build.json").write_text(json.dumps({"documents": documents}))

    folder, _reused = cached_dir(key, build)
    return folder / "store"


def _busiest_case(store_dir: Path) -> tuple[str, str, int]:
    with sqlite3.connect(store_dir / DB_NAME) as conn:
        row = conn.execute(
            "SELECT dossier_id, case_id, count(*) FROM documents WHERE case_id IS NOT NULL "
            "GROUP BY case_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    return row[0], row[1], row[2]


def _raw(store_dir: Path, query: str, dossier_id: str, case_id: str) -> float:
    conn = sqlite3.connect(store_dir / DB_NAME)
    try:
        started = time.perf_counter()
        rows = conn.execute(query, (dossier_id, case_id)).fetchall()
        elapsed = time.perf_counter() - started
    finally:
        conn.close()
    assert rows
    return elapsed


def _expand(store_dir: Path, case_id: str) -> tuple[float, float, int]:
    from PySide6.QtCore import QEventLoop, QModelIndex, QTimer

    from desktop.app import application
    from desktop.tree_model import NODE_ROLE, PlanTreeModel
    from sync.records.model import Case, Dossier, PlanUnit
    from sync.store.database import Store

    application()
    with Store.open(store_dir, create=False) as store:
        with store.read() as s:
            case = s.get_one(Case, case_id)
            dossier = s.get_one(Dossier, case.dossier_id)
            path = [dossier.id, case.id]
            unit: str | None = dossier.plan_unit_id
            while unit is not None:
                path.insert(0, unit)
                unit = s.get_one(PlanUnit, unit).parent_id
        model = PlanTreeModel(store)
        loop = QEventLoop()
        found: list[QModelIndex] = []

        def revealed(index: QModelIndex) -> None:
            found.append(index)
            loop.quit()

        model.revealed.connect(revealed)
        model.reveal(path)  # loads every level above the case, not the case itself
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
        case_index = found[0]
        assert case_index.data(NODE_ROLE).id == case_id
        done = QEventLoop()
        model.loaded.connect(lambda parent: done.quit() if parent == case_index else None)
        badged = QEventLoop()
        model.dataChanged.connect(
            lambda first, _last: badged.quit() if first.parent() == case_index else None
        )
        started = time.perf_counter()
        model.fetchMore(case_index)
        done.exec()
        elapsed = time.perf_counter() - started
        rows = model.rowCount(case_index)
        badged.exec()  # the second step: the rows' state badges
        with_badges = time.perf_counter() - started
        model.loader.wait()
    return elapsed, with_badges, rows


def run(documents: int, reps: int, seed: int = 7) -> list[Row]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    store_dir = one_case_store(documents, seed)
    dossier_id, case_id, count = _busiest_case(store_dir)
    floor = median([_raw(store_dir, _RAW_QUERY, dossier_id, case_id) for _ in range(reps)])
    badges = median([_raw(store_dir, _RAW_WITH_BADGES, dossier_id, case_id) for _ in range(reps)])
    timings: list[float] = []
    complete: list[float] = []
    shown = 0
    for _ in range(reps):
        elapsed, with_badges, shown = _expand(store_dir, case_id)
        timings.append(elapsed)
        complete.append(with_badges)
    assert shown == count, f"tree shows {shown} of {count} documents"
    value = median(timings)
    badged = median(complete)
    return [
        Row(
            "desktop tree",
            f"expand a case of {count:,} documents (median of {reps})",
            value * 1000,
            floor * 1000,
            "ms",
            goal=f"≤ {GOAL:g}× raw SQL",
            met=value / floor <= GOAL,
        ),
        Row(
            "desktop tree",
            "same, until the state badges are in, vs raw SQL with the badge probes",
            badged * 1000,
            badges * 1000,
            "ms",
        ),
    ]
