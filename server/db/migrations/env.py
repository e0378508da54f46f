"""Alembic environment for the server database; run through ``server.db.schema``."""

from __future__ import annotations

from alembic import context

from server.db.schema import include_name
from server.db.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
