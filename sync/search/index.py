"""Keeping the full-text index in step with the records.

Design (tables created by migration 0002):

- ``document_texts(document_id PK, text)``: the ORIGINAL extracted text, capped at
  ``MAX_TEXT_CHARS``. Snippets are cut from it with ``substr()``, never loaded whole.
- ``search_docs(id INTEGER PK, document_id UNIQUE, dossier_id, case_id, doc_type, sort_date,
  hidden)``: the rowid mapping. ``search_docs.id`` *is* the rowid of the document's FTS row;
  an INTEGER PRIMARY KEY survives VACUUM, unlike the implicit rowid of ``documents``. It also
  carries the filter columns, so a query joins one small table by integer key instead of
  documents, dossiers and cases by UUID for every match (that made broad queries 3x slower).
  SQL triggers keep those columns right on every move, delete and restore, whoever makes
  them; ON DELETE CASCADE and a trigger drop the FTS row when a document is purged.
- ``search_fts(title, meta, body)``: a plain FTS5 table (it stores its folded content, which
  snippets use to find matches deep inside long texts). ``meta`` holds sender, recipient,
  file name, dossier reference and title, case title, tags and the document's notes.

``index_document`` must run in the transaction of every change that alters what is indexed
(title, metadata, tags, notes, text, case or dossier titles).
"""

from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from sync.search.folding import fold

log = logging.getLogger("eakte.search")

# About 400 pages of dense text; enough to find any real document, small enough that a single
# scanned tome cannot make indexing or snippets slow.
MAX_TEXT_CHARS = 1_000_000
_BATCH = 500

_STATE = """
    SELECT d.id, d.dossier_id, d.case_id, d.doc_type, coalesce(d.received_on, d.document_date),
           d.deleted_at IS NOT NULL OR o.deleted_at IS NOT NULL OR c.deleted_at IS NOT NULL
    FROM documents d JOIN dossiers o ON o.id = d.dossier_id LEFT JOIN cases c ON c.id = d.case_id
"""
_UPSERT = sql(
    f"""
    INSERT INTO search_docs (document_id, dossier_id, case_id, doc_type, sort_date, hidden)
    {_STATE} WHERE d.id = :id
    ON CONFLICT (document_id) DO UPDATE SET
        dossier_id = excluded.dossier_id, case_id = excluded.case_id,
        doc_type = excluded.doc_type, sort_date = excluded.sort_date, hidden = excluded.hidden
    RETURNING id
    """
)
_FIELDS = """
    SELECT s.id, d.title, d.sender, d.recipient, d.file_name, o.reference, o.title, c.title,
        (SELECT group_concat(t.name, ' ') FROM document_tags dt JOIN tags t ON t.id = dt.tag_id
         WHERE dt.document_id = d.id),
        (SELECT group_concat(n.text, char(10)) FROM notes n
         WHERE n.target_kind = 'document' AND n.target_id = d.id AND n.deleted_at IS NULL),
        x.text
    FROM search_docs s JOIN documents d ON d.id = s.document_id
    JOIN dossiers o ON o.id = d.dossier_id LEFT JOIN cases c ON c.id = d.case_id
    LEFT JOIN document_texts x ON x.document_id = d.id
"""
_FIELDS_ONE = sql(_FIELDS + " WHERE s.id = :rid")
_FIELDS_BATCH = sql(_FIELDS + " WHERE s.id > :after ORDER BY s.id LIMIT :n")
_DELETE_FTS = sql("DELETE FROM search_fts WHERE rowid = :rid")
_INSERT_FTS = sql(
    "INSERT INTO search_fts (rowid, title, meta, body) VALUES (:rid, :title, :meta, :body)"
)


def _clean(value: str) -> str:
    # NFC, like every other text in the store: highlighting expects precomposed umlauts.
    value = unicodedata.normalize("NFC", value)
    # NUL confuses SQLite's text functions; lone surrogates cannot be stored at all.
    value = value.replace("\x00", " ")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def set_document_text(session: Session, document_id: str, text: str) -> None:
    """Store the extracted text of a document. Call ``index_document`` afterwards."""
    if len(text) > MAX_TEXT_CHARS:
        log.info("text of document %s cut from %d characters", document_id, len(text))
        text = text[:MAX_TEXT_CHARS]
    session.flush()  # the document row must exist for the foreign key
    # Core execution on the session's connection: the ORM layer adds nothing for plain SQL.
    session.connection().execute(
        sql(
            "INSERT INTO document_texts (document_id, text) VALUES (:id, :text) "
            "ON CONFLICT (document_id) DO UPDATE SET text = excluded.text"
        ),
        {"id": document_id, "text": _clean(text)},
    )


def _row_params(row: Sequence[Any]) -> dict[str, Any]:
    rid, title, sender, recipient, file_name, reference, dossier_title, case_title = row[:8]
    tags, notes, body = row[8:]
    meta = "\n".join(
        part
        for part in (
            sender,
            recipient,
            file_name,
            reference,
            dossier_title,
            case_title,
            tags,
            notes,
        )
        if part
    )
    return {"rid": rid, "title": fold(title), "meta": fold(meta), "body": fold(body or "")}


def index_document(session: Session, document_id: str) -> None:
    """(Re)build the document's index entry from the current state in ``session``."""
    session.flush()  # raw SQL below must see the caller's pending ORM changes
    conn = session.connection()
    rid = conn.execute(_UPSERT, {"id": document_id}).scalar()
    if rid is None:  # no such document (any more)
        remove_from_index(session, document_id)
        return
    row = conn.execute(_FIELDS_ONE, {"rid": rid}).one()
    conn.execute(_DELETE_FTS, {"rid": rid})
    conn.execute(_INSERT_FTS, _row_params(row))


def remove_from_index(session: Session, document_id: str) -> None:
    """Drop the document from the index (its stored text stays; the trigger drops FTS)."""
    session.flush()
    session.execute(sql("DELETE FROM search_docs WHERE document_id = :id"), {"id": document_id})


def rebuild_index(session: Session) -> int:
    """Rebuild the whole index from the records; returns the number of documents indexed."""
    started = time.perf_counter()
    session.flush()
    conn = session.connection()
    # Recreating the FTS table (from its own stored definition) is far faster than deleting
    # every row, which makes FTS5 re-tokenize all the old content.
    create_sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'"
    ).scalar_one()
    conn.exec_driver_sql("DROP TABLE search_fts")
    conn.exec_driver_sql(create_sql)
    conn.exec_driver_sql("DELETE FROM search_docs")
    conn.exec_driver_sql(
        "INSERT INTO search_docs (document_id, dossier_id, case_id, doc_type, sort_date, hidden)"
        + _STATE
    )
    count, after = 0, 0
    while True:
        rows = session.execute(_FIELDS_BATCH, {"after": after, "n": _BATCH}).all()
        if not rows:
            break
        session.execute(_INSERT_FTS, [_row_params(row) for row in rows])
        count += len(rows)
        after = rows[-1][0]
    # Merge the index segments into one b-tree: fewer lookups per query afterwards.
    conn.exec_driver_sql("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
    log.info("search index rebuilt: %d documents in %.1f s", count, time.perf_counter() - started)
    return count


__all__ = [
    "MAX_TEXT_CHARS",
    "index_document",
    "rebuild_index",
    "remove_from_index",
    "set_document_text",
]
