"""The live server (SQLite and PostgreSQL) for the sync engine's tests."""

from tests.server.conftest import live_server, pg_database, server_db_url, sqlite_template  # noqa: F401
