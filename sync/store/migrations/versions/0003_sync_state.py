"""sync state: wire ids of outbox entries, the problem list, field conflicts, parked records

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:00:00

- ``outbox.wire_id``: the mutation id the entry was sent under. Assigned (and committed) before
  the first send, so a batch repeated after a lost reply carries the same ids and the server
  answers it as a replay. Local ids cannot serve: SQLite reuses the highest rowid once the
  outbox is empty, and the server ignores ids it has already answered.
- ``sync_problems``: per-item failures the clerk sees (rejected mutations with their payload,
  transfers that keep failing); the rest of the sync goes on (sync contract rule 11).
- ``field_conflicts``: the same field changed here and on the server; both values are kept
  until the clerk decides (rule 7).
- ``parked_records``: records from the changes feed that arrived before the record they point
  at (a parent changed later has a later sequence number); applied when it comes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("wire_id", sa.Integer(), nullable=True))
    op.create_table(
        "sync_problems",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entity_kind", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("op", sa.String(20), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_index("ix_sync_problems_entity_id", "sync_problems", ["entity_id"])
    op.create_table(
        "field_conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entity_kind", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("mine", sa.JSON(), nullable=True),
        sa.Column("theirs", sa.JSON(), nullable=True),
        sa.Column("theirs_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_field_conflicts_entity_id", "field_conflicts", ["entity_id"])
    op.create_table(
        "parked_records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("waiting_for", sa.String(36), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
    )
    op.create_index("ix_parked_records_waiting_for", "parked_records", ["waiting_for"])


def downgrade() -> None:
    op.drop_table("parked_records")
    op.drop_table("field_conflicts")
    op.drop_table("sync_problems")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("wire_id")
