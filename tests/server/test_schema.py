"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.db.engine import Database
from server.db.schema import current, head, include_name
from server.db.tables import Base


def test_migrations_match_the_models(server_db_url: str) -> None:
    db = Database(server_db_url)
    try:
        assert current(db) == head()
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            assert compare_metadata(ctx, Base.metadata) == []
    finally:
        db.dispose()
