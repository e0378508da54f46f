"""The local store: one SQLite file plus a blob folder, opened and migrated in one place.

SQLite rules of the house (DESIGN.md): WAL, foreign keys on, one writer at a time, one
transaction per logical change. Write transactions start with ``BEGIN IMMEDIATE`` so that a
second writer (thread or process) waits for the lock up front instead of failing half-way with
"database is locked" when it upgrades a read lock.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session

from sync.blobs.store import BlobStore
from sync.errors import StoreError
from sync.records.model import new_id

log = logging.getLogger("eakte.store")

DB_NAME = "records.sqlite3"
BLOB_DIR = "blobs"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest migration. Known here so that opening an up-to-date store needs no Alembic (its
# import costs a tenth of a second and 13 MB); tests/store keeps it in step with the scripts.
SCHEMA_HEAD = "0004"
BUSY_TIMEOUT_MS = 30_000


def _configure_engine(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Autocommit at the driver level: SQLAlchemy's "begin" event below issues BEGIN itself.
        dbapi_conn.isolation_level = None
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            # FULL: a filed document must survive a power cut, not just a crash.
            "synchronous=FULL",
            f"busy_timeout={BUSY_TIMEOUT_MS}",
        ):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config  # only when migrating, see SCHEMA_HEAD

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


class Store:
    """An opened local store. Use :meth:`read` and :meth:`write` for transactions."""

    def __init__(self, root: Path, engine: Engine, blobs: BlobStore, store_id: str) -> None:
        self.root = root
        self.engine = engine
        self.blobs = blobs
        self.store_id = store_id
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        # Serialises writers inside this process; BEGIN IMMEDIATE does it across processes.
        self._write_lock = threading.Lock()
        self._writing = threading.local()

    @classmethod
    def open(cls, root: Path, *, create: bool = True) -> Store:
        """Open (and, if needed, create or migrate) the store in folder ``root``."""
        root = Path(root)
        db_path = root / DB_NAME
        if not db_path.exists() and not create:
            raise StoreError(
                f"Im Ordner „{root}“ gibt es keinen E-Akte-Datenbestand. Bitte den Pfad prüfen."
            )
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Der Ordner „{root}“ für den lokalen Datenbestand kann nicht angelegt werden "
                f"({exc.strerror}). Bitte Berechtigungen und freien Speicher prüfen."
            ) from exc
        engine = create_engine(
            f"sqlite:///{db_path}",
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        _configure_engine(engine)
        started = time.perf_counter()
        try:
            _migrate(engine, db_path)
            with Session(engine.execution_options(sqlite_begin="IMMEDIATE")) as session:
                store_id = _ensure_store_id(session)
                session.commit()
        except Exception:
            engine.dispose()
            raise
        log.info("store %s opened in %.0f ms", root, (time.perf_counter() - started) * 1000)
        return cls(root, engine, BlobStore(root / BLOB_DIR), store_id)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot: everything read inside sees one consistent state."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One logical change: committed as a whole on success, rolled back on any error."""
        if getattr(self._writing, "active", False):
            # A second connection would wait for the lock its own thread holds: fail loudly.
            raise RuntimeError("write() inside write(): use the outer transaction's session")
        self._writing.active = True
        try:
            with (
                self._write_lock,
                Session(self._writer, expire_on_commit=False) as session,
                session.begin(),
            ):
                yield session
        finally:
            self._writing.active = False

    def close(self) -> None:
        # Leave a clean WAL behind so the file can be copied or backed up as one file.
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _migrate(engine: Engine, db_path: Path) -> None:
    with engine.connect() as conn:
        if _current_revision(conn) == SCHEMA_HEAD:
            return
    from alembic import command
    from alembic.script import ScriptDirectory

    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        cfg = _alembic_config(conn)
        script = ScriptDirectory.from_config(cfg)
        # Read again under the write lock: another process may have migrated meanwhile.
        current = _current_revision(conn)
        head = script.get_current_head()
        if current == head:
            return
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise StoreError(
                "Der lokale Datenbestand wurde von einer neueren Version der E-Akte angelegt "
                f"(Schema {current}). Bitte die E-Akte aktualisieren.",
                title="Neuere Datenbank",
            )
        if current is not None:
            _backup(db_path, current)
        log.info("migrating store schema %s -> %s", current, head)
        command.upgrade(cfg, "head")


def _current_revision(conn: Connection) -> str | None:
    has_table = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
    ).first()
    if has_table is None:
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _backup(db_path: Path, revision: str) -> None:
    """Keep a copy of the store as it was before a schema upgrade, for the worst case.

    Read through a connection of its own: the migrating connection already holds the write
    lock, and a backup from it would wait for that lock forever.
    """
    target = db_path.with_name(f"{db_path.name}.vor-{revision}.bak")
    source, dest = sqlite3.connect(db_path), sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()


def _ensure_store_id(session: Session) -> str:
    # Plain SQL: the first ORM query would configure every mapper, which start-up can skip.
    found = session.execute(text("SELECT value FROM store_settings WHERE key = 'store_id'"))
    store_id = found.scalar()
    if store_id is None:
        store_id = new_id()
        session.execute(
            text("INSERT INTO store_settings (key, value) VALUES ('store_id', :v)"), {"v": store_id}
        )
    return str(store_id)
