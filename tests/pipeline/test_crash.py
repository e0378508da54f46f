"""A filing process killed at a random moment loses nothing that was reported and leaves
nothing half stored; filing the same folder again completes it, without doubles."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from sync.demo import samples
from sync.filing.pipeline import Filer
from sync.records.model import Document, OutboxEntry, Version
from sync.store.database import DB_NAME, Store

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
CHILD = Path(__file__).with_name("_file_forever.py")


def _documents(store_dir: Path) -> int:
    conn = sqlite3.connect(store_dir / DB_NAME, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


@pytest.mark.parametrize("kill_after", [1, 9])
def test_kill_during_filing_then_file_again(store, plan, tmp_path, kill_after):
    folder = tmp_path / "scans"
    folder.mkdir()
    for i in range(40):
        lines = [f"Eingang Nummer {i}", "Sehr geehrte Damen und Herren,"]
        (folder / f"scan-{i:02}.pdf").write_bytes(samples.text_pdf(f"Brief {i}", lines, pages=2))
    store.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(store.root), plan.case.id, str(folder)], env=env
    )
    deadline = time.monotonic() + 60
    while _documents(store.root) < kill_after and time.monotonic() < deadline:
        if child.poll() is not None:
            break
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    with Store.open(store.root) as reopened:
        with reopened.read() as s:
            versions = s.scalars(select(Version)).all()
            documents = s.scalars(select(Document.id)).all()
            outbox_ids = set(
                s.scalars(
                    select(OutboxEntry.entity_id).where(
                        OutboxEntry.entity_kind.in_(["document", "version"])
                    )
                )
            )
        assert 0 < len(documents) < 40, "killed in the middle of the folder"
        # Every committed record has its verified blob and its outbox row; no row without data.
        for version in versions:
            assert reopened.blobs.verify(version.blob_sha256)
        assert set(documents) <= outbox_ids
        assert outbox_ids <= set(documents) | {v.id for v in versions}
        outcomes = list(Filer(reopened).file_paths([folder], plan.case.id))
        statuses = [o.status for o in outcomes]
        assert statuses.count("duplicate") == len(documents)
        assert statuses.count("filed") == 40 - len(documents)
        with reopened.read() as s:
            assert len(s.scalars(select(Document.id)).all()) == 40
