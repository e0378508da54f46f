"""full-text search index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00

Tables (see ``sync.search.index`` for the design):

- ``document_texts``: the original extracted text per document (for snippets).
- ``search_docs``: one row per indexed document; its INTEGER PRIMARY KEY is the rowid of the
  document's FTS row, and it carries the filter columns (dossier, case, type, date, hidden).
- ``search_fts``: FTS5 over *folded* title, metadata and body.
- Triggers keep ``search_docs``' filter columns right whenever a document, case or dossier is
  moved, re-typed, re-dated, deleted or restored, whoever does it.

Existing documents are backfilled here (title and metadata; an 0001 store has no extracted
text yet), so they are searchable right after the upgrade.

Careful in later migrations: SQLite drops a table's triggers with the table, so a batch
(copy-and-move) migration of ``documents``, ``cases`` or ``dossiers`` must recreate the
``search_*`` triggers below. ``tests/search`` checks that they exist at head.
"""

from __future__ import annotations

from alembic import op

from sync.errors import StoreError
from sync.search.folding import fold

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Hidden = in the Papierkorb itself or through its case or dossier.
_HIDDEN = "d.deleted_at IS NOT NULL OR o.deleted_at IS NOT NULL OR c.deleted_at IS NOT NULL"
_STATE_FROM = (
    "FROM documents d JOIN dossiers o ON o.id = d.dossier_id LEFT JOIN cases c ON c.id = d.case_id"
)

_SCHEMA = [
    """
    CREATE TABLE document_texts (
        document_id VARCHAR(36) NOT NULL PRIMARY KEY
            REFERENCES documents (id) ON DELETE CASCADE,
        text TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE search_docs (
        id INTEGER PRIMARY KEY,
        document_id VARCHAR(36) NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
        dossier_id VARCHAR(36) NOT NULL,
        case_id VARCHAR(36),
        doc_type VARCHAR(20) NOT NULL,
        sort_date DATE,
        hidden BOOLEAN NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX ix_search_docs_dossier_id ON search_docs (dossier_id)",
    "CREATE INDEX ix_search_docs_case_id ON search_docs (case_id)",
    # Folded text only, so FTS5's own diacritic handling is switched off. detail=full (the
    # default) keeps phrase queries; the 2- and 3-character prefix indexes keep short
    # prefix queries such as "ba*" from scanning the whole term list.
    """
    CREATE VIRTUAL TABLE search_fts USING fts5 (
        title, meta, body,
        tokenize = 'unicode61 remove_diacritics 0',
        prefix = '2 3'
    )
    """,
    """
    CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
        DELETE FROM search_fts WHERE rowid = old.id;
    END
    """,
    """
    CREATE TRIGGER search_documents_au
    AFTER UPDATE OF dossier_id, case_id, doc_type, received_on, document_date, deleted_at
    ON documents BEGIN
        UPDATE search_docs SET
            dossier_id = new.dossier_id,
            case_id = new.case_id,
            doc_type = new.doc_type,
            sort_date = coalesce(new.received_on, new.document_date),
            hidden = (SELECT {hidden} {state_from} WHERE d.id = new.id)
        WHERE document_id = new.id;
    END
    """,
    """
    CREATE TRIGGER search_cases_au AFTER UPDATE OF deleted_at ON cases BEGIN
        UPDATE search_docs SET
            hidden = (SELECT {hidden} {state_from} WHERE d.id = search_docs.document_id)
        WHERE case_id = new.id;
    END
    """,
    """
    CREATE TRIGGER search_dossiers_au AFTER UPDATE OF deleted_at ON dossiers BEGIN
        UPDATE search_docs SET
            hidden = (SELECT {hidden} {state_from} WHERE d.id = search_docs.document_id)
        WHERE dossier_id = new.id;
    END
    """,
]

_BACKFILL = [
    f"""
    INSERT INTO search_docs (document_id, dossier_id, case_id, doc_type, sort_date, hidden)
    SELECT d.id, d.dossier_id, d.case_id, d.doc_type,
           coalesce(d.received_on, d.document_date), {_HIDDEN}
    {_STATE_FROM}
    """,
    """
    INSERT INTO search_fts (rowid, title, meta, body)
    SELECT s.id, eakte_fold(d.title), eakte_fold(
        coalesce(d.sender, '') || char(10) || coalesce(d.recipient, '') || char(10) ||
        d.file_name || char(10) || o.reference || char(10) || o.title || char(10) ||
        coalesce(c.title, '') || char(10) ||
        coalesce((SELECT group_concat(t.name, ' ') FROM document_tags dt
                  JOIN tags t ON t.id = dt.tag_id WHERE dt.document_id = d.id), '') ||
        char(10) ||
        coalesce((SELECT group_concat(n.text, char(10)) FROM notes n
                  WHERE n.target_kind = 'document' AND n.target_id = d.id
                    AND n.deleted_at IS NULL), '')
    ), ''
    FROM search_docs s JOIN documents d ON d.id = s.document_id
    JOIN dossiers o ON o.id = d.dossier_id LEFT JOIN cases c ON c.id = d.case_id
    """,
]


def _fold_sql(value: str | None) -> str:
    return fold(value) if value else ""


def upgrade() -> None:
    bind = op.get_bind()
    dbapi = bind.connection.dbapi_connection
    assert dbapi is not None  # an open connection always has its DBAPI connection
    options = {row[0] for row in bind.exec_driver_sql("PRAGMA compile_options")}
    if "ENABLE_FTS5" not in options:
        raise StoreError(
            "Die eingebaute SQLite-Bibliothek kann keine Volltextsuche (FTS5). "
            "Bitte die E-Akte mit dem offiziellen Installationspaket neu installieren."
        )
    for statement in _SCHEMA:
        op.execute(statement.format(hidden=_HIDDEN, state_from=_STATE_FROM))
    dbapi.create_function("eakte_fold", 1, _fold_sql, deterministic=True)
    for statement in _BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    for trigger in (
        "search_dossiers_au",
        "search_cases_au",
        "search_documents_au",
        "search_docs_ad",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute("DROP TABLE IF EXISTS search_docs")
    op.execute("DROP TABLE IF EXISTS document_texts")
