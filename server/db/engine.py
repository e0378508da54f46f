"""Engine and sessions for PostgreSQL (production) and SQLite (embedded default)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from server.db.tables import Municipality

WRITE_OPTION = "eakte_write"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_settings(engine)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_size=20, max_overflow=30, pool_pre_ping=True)


def _sqlite_settings(engine: Engine) -> None:
    """WAL so readers never block; writes begin IMMEDIATE so two writers queue on the lock
    instead of failing when a read transaction upgrades (pysqlite's deferred default)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """One engine plus read and write sessions. A write session on SQLite takes the write lock
    at BEGIN; on PostgreSQL writers serialise per municipality via ``lock_municipality``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.dialect = self.engine.dialect.name
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) keeps loaded objects readable after the block.
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._writer() as session:
            try:
                with session.begin():
                    yield session
            finally:
                session.info.pop(LOCKS, None)

    def dispose(self) -> None:
        self.engine.dispose()


LOCKS = "eakte_locked_municipalities"


def lock_municipality(session: Session, municipality_id: str) -> Municipality:
    """Take the municipality's write lock (a no-op clause on SQLite, which locks the file).

    Locks are remembered in the session, so a batch asks the database once per
    municipality. (Mutations take no savepoints: PostgreSQL would release a lock taken
    inside one that is rolled back, and this memory would then be wrong.)"""
    locks: dict[str, Municipality] = session.info.setdefault(LOCKS, {})
    row = locks.get(municipality_id)
    if row is None:
        # populate_existing: a row loaded earlier in this session without the lock may be
        # stale by now; the locked read must overwrite it (or two logins share an audit seq).
        row = session.scalars(
            select(Municipality)
            .where(Municipality.id == municipality_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        locks[municipality_id] = row
    return row
