"""Server fixtures: every server test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``EAKTE_TEST_POSTGRES`` (default: the local cluster that ``.ci/run``
starts, role ``eakte``). Without a reachable server the PostgreSQL half is skipped, unless
``EAKTE_REQUIRE_POSTGRES=1`` (set by CI), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server import municipalities
from server.db.engine import Database
from server.db.tables import Base
from tests.server.live import LiveServer, initialise, start_server

PG_ADMIN_URL = os.environ.get(
    "EAKTE_TEST_POSTGRES", "postgresql+psycopg://eakte:eakte@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]


def _admin_engine():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """One migrated database for the session; each test starts from emptied tables."""
    try:
        engine = _admin_engine()
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        if os.environ.get("EAKTE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable ({PG_ADMIN_URL}): {exc}")
    name = f"eakte_test_{os.getpid()}"
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(False)
    initialise(url)
    yield url
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _reset_postgres(url: str) -> None:
    """Empty every table (far faster than a database per test) and seed the municipalities."""
    db = Database(url)
    try:
        tables = [t.name for t in Base.metadata.sorted_tables if t.name != "server_settings"]
        with db.write() as session:
            session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            municipalities.seed(session)
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "server.sqlite3"
    initialise(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def server_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "server.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("pg_database")
    _reset_postgres(url)
    yield url


@pytest.fixture
def live_server(server_db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    server = start_server(server_db_url, tmp_path / "blobs")
    yield server
    server.stop()
