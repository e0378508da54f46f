"""indexes on the blobs' cache state

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 16:00:00

Every sync run asks which blobs are pinned but missing and which are not here at all (offline
sets, downloads). Without an index that is a scan of the whole blobs table, and a sync with
nothing to do grew with the store (sync benchmark, no-op growth).
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_blobs_present", "blobs", ["present"])
    op.create_index("ix_blobs_pinned", "blobs", ["pinned"])


def downgrade() -> None:
    op.drop_index("ix_blobs_pinned", table_name="blobs")
    op.drop_index("ix_blobs_present", table_name="blobs")
