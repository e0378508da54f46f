"""Alembic environment for the local store.

Migrations always run on a connection handed over by ``sync.store.database`` (never from an
ini file), inside the transaction that opens the store.
"""

from __future__ import annotations

from alembic import context

from sync.records.model import Base
from sync.store.migrations import include_name

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only ALTER by copying tables
    compare_type=True,
    include_name=include_name,
)
context.run_migrations()
