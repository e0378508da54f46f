"""Creating and upgrading the server schema with Alembic, on PostgreSQL and SQLite."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from server.db.engine import Database
from server.errors import SetupError

log = logging.getLogger("eakte.server.db")
MIGRATIONS = Path(__file__).with_name("migrations")
# Objects the migrations create by hand and autogenerate must not try to drop.
_HAND_MADE = {
    "search_fts",
    "search_fts_data",
    "search_fts_idx",
    "search_fts_docsize",
    "search_fts_config",
    "search_fts_content",
}


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    if type_ == "table" and name in _HAND_MADE:
        return False
    return not (type_ in ("column", "index") and name in ("tsv", "ix_search_documents_tsv"))


def _config(connection: Any) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    head_rev = ScriptDirectory.from_config(_config(None)).get_current_head()
    assert head_rev is not None
    return head_rev


def current(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database) -> None:
    with db.engine.begin() as conn:
        command.upgrade(_config(conn), "head")
    log.info("database schema at %s", head())


def require_current(db: Database) -> None:
    """Refuse to serve a database that is not initialised or not at this version's schema."""
    rev = current(db)
    if rev is None:
        raise SetupError(
            "Die Datenbank ist nicht eingerichtet. Bitte zuerst `eakte-server init` ausführen."
        )
    if rev != head():
        raise SetupError(
            f"Die Datenbank hat den Stand {rev}, diese Serverversion erwartet {head()}. "
            "Bitte `eakte-server init` ausführen (aktualisiert das Schema)."
        )
