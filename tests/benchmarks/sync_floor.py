"""Floors of the sync benchmark: what any client has to do at least for the same result.

* ``raw_download``: the changes pages fetched raw with ``requests`` (following the cursor,
  so each page's JSON is parsed for it) and then every blob the pages name, fetched raw into
  a file of its own (no hashing, no fsync, no database);
* ``bulk_insert``: the rows a first sync left in the store, inserted again into a fresh
  store's tables with ``executemany`` in one transaction (same pragmas as the store: WAL,
  foreign keys, ``synchronous=FULL``), the search index's FTS rows included;
* ``raw_idle_poll``: one ``GET /changes`` with the store's cursor at the head.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from sync.engine import binding
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.protocol.changes import MAX_PAGE
from sync.store.database import DB_NAME, Store

# The tables a first sync fills, parents first (foreign keys are on, as in the store).
ROW_TABLES = (
    "municipalities",
    "file_plans",
    "plan_units",
    "dossiers",
    "cases",
    "blobs",
    "documents",
    "versions",
    "notes",
    "tags",
    "document_tags",
    "document_texts",
    "search_docs",
)
FTS_COLUMNS = ("rowid", "title", "meta", "body")


def session(token: str) -> requests.Session:
    s = requests.Session()
    s.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
    s.headers["Authorization"] = f"Bearer {token}"
    return s


@dataclass
class Download:
    seconds: float
    page_seconds: float  # of which the pages
    pages: int
    page_bytes: int
    blobs: int
    blob_bytes: int


def raw_download(base_url: str, token: str, folder: Path) -> Download:
    """The floor of a first sync's network part; blobs land in ``folder`` (made afresh)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    http = session(token)
    api = f"{base_url}/api/v1"
    started = time.perf_counter()
    cursor: str | None = None
    pages = page_bytes = 0
    blobs: dict[str, int] = {}
    while True:
        url = f"{api}/changes?limit={MAX_PAGE}" + (f"&cursor={cursor}" if cursor else "")
        response = http.get(url, timeout=60)
        response.raise_for_status()
        body = json.loads(response.content)
        pages += 1
        page_bytes += len(response.content)
        for record in body["changes"]:
            if record["kind"] == "version":
                blobs[record["fields"]["blob_sha256"]] = record["fields"]["size"]
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    page_seconds = time.perf_counter() - started
    blob_bytes = 0
    for sha in sorted(blobs):
        response = http.get(f"{api}/blobs/{sha}", timeout=60)
        response.raise_for_status()
        (folder / sha).write_bytes(response.content)
        blob_bytes += len(response.content)
    seconds = time.perf_counter() - started
    http.close()
    if blob_bytes != sum(blobs.values()):
        raise RuntimeError("the raw download got other sizes than the versions announce")
    return Download(seconds, page_seconds, pages, page_bytes, len(blobs), blob_bytes)


@dataclass
class Rows:
    """A synced store's rows, read once, to be inserted again."""

    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]]
    fts: list[tuple[Any, ...]]

    @property
    def count(self) -> int:
        return sum(len(rows) for _, rows in self.tables.values()) + len(self.fts)


def read_rows(store_root: Path) -> Rows:
    conn = sqlite3.connect(store_root / DB_NAME)
    try:
        tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        for table in ROW_TABLES:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            if rows:
                tables[table] = (columns, rows)
        fts = conn.execute(f"SELECT {', '.join(FTS_COLUMNS)} FROM search_fts").fetchall()
    finally:
        conn.close()
    return Rows(tables, fts)


def bulk_insert(rows: Rows, folder: Path) -> float:
    """Seconds to insert ``rows`` into a fresh store made in ``folder`` (removed afterwards)."""
    shutil.rmtree(folder, ignore_errors=True)
    Store.open(folder).close()  # the schema, not timed
    started = time.perf_counter()
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN IMMEDIATE")
    for table, (columns, values) in rows.tables.items():
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
    marks = ", ".join("?" * len(FTS_COLUMNS))
    conn.executemany(
        f"INSERT INTO search_fts ({', '.join(FTS_COLUMNS)}) VALUES ({marks})", rows.fts
    )
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    shutil.rmtree(folder, ignore_errors=True)
    return seconds


def store_cursor(store: Store) -> str:
    with store.read() as s:
        cursor = binding.get_setting(s, binding.CURSOR)
    if not cursor:
        raise RuntimeError("the store has not synced yet")
    return cursor


def raw_idle_poll(http: requests.Session, base_url: str, cursor: str) -> float:
    """Seconds for one ``GET /changes`` at the head (an empty page), read and parsed."""
    started = time.perf_counter()
    response = http.get(f"{base_url}/api/v1/changes?limit={MAX_PAGE}&cursor={cursor}", timeout=30)
    response.raise_for_status()
    body = response.json()
    seconds = time.perf_counter() - started
    if body["changes"] or body["has_more"]:
        raise RuntimeError("the idle poll found changes: the store is not at the head")
    return seconds
