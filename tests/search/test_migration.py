"""Migration 0002 on a store that already has records (0001): they are searchable at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine

from sync.search import search
from sync.store.database import DB_NAME, MIGRATIONS_DIR, Store

NOW = "2026-01-01 00:00:00.000000"
TRACKED = {"created_at": NOW, "updated_at": NOW}


def _config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def _insert(conn: Connection, table: str, **values: Any) -> None:
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def _document(conn: Connection, doc_id: str, title: str, **extra: Any) -> None:
    _insert(
        conn,
        "documents",
        id=doc_id,
        dossier_id="d1",
        case_id="c1",
        title=title,
        doc_type="pdf",
        mime_type="application/pdf",
        file_name="scan.pdf",
        problems="",
        current_version=1,
        **TRACKED,
        **extra,
    )


def _store_at_0001(root: Path) -> None:
    """A store as version 0001 left it, filled with plain SQL (the ORM is at head)."""
    root.mkdir()
    engine = create_engine(f"sqlite:///{root / DB_NAME}")
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0001")
        _insert(conn, "municipalities", id="m", slug="sontra", name="Sontra", reference_pattern="")
        _insert(
            conn, "file_plans", id="fp", municipality_id="m", title="Plan", is_demo=0, **TRACKED
        )
        _insert(conn, "plan_units", id="pu", file_plan_id="fp", code="1", title="Bau", **TRACKED)
        _insert(
            conn,
            "dossiers",
            id="d1",
            municipality_id="m",
            plan_unit_id="pu",
            reference="621.3-0001/2025",
            title="Dorferneuerung",
            description="",
            restricted=0,
            **TRACKED,
        )
        _insert(conn, "cases", id="c1", dossier_id="d1", title="Brunnen", description="", **TRACKED)
        _document(conn, "doc-1", "Angebot Steinmetz", sender="Müller & Söhne")
        _document(conn, "doc-2", "Alte Rechnung", deleted_at=NOW)
        _insert(conn, "tags", id="t1", municipality_id="m", name="Denkmal", name_key="denkmal")
        _insert(conn, "document_tags", document_id="doc-1", tag_id="t1")
        _insert(conn, "notes", id="n1", target_kind="document", target_id="doc-1",
                text="Straßensperrung beachten", author="", **TRACKED)  # fmt: skip
    engine.dispose()


def _migrate(root: Path, revision: str) -> None:
    # Straight through alembic rather than Store.open, so that this test is about the
    # migration alone (Store.open adds the pre-upgrade backup; tests/store covers that).
    engine = create_engine(f"sqlite:///{root / DB_NAME}")
    with engine.begin() as conn:
        if revision == "head":
            command.upgrade(_config(conn), revision)
        else:
            command.downgrade(_config(conn), revision)
    engine.dispose()


def test_existing_records_are_searchable_right_after_the_upgrade(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _store_at_0001(root)
    _migrate(root, "head")
    with Store.open(root) as store, store.read() as s:
        for query in ["steinmetz", "mueller", "denkmal", "strassensperrung", "brunnen", "621.3"]:
            assert [hit.document_id for hit in search(s, query)] == ["doc-1"], query
        [hit] = search(s, "angebot")
        assert (hit.reference, hit.case_title, hit.snippet) == ("621.3-0001/2025", "Brunnen", "")
        assert search(s, "rechnung") == []  # in the Papierkorb before the upgrade


def test_triggers_exist_at_head(tmp_path: Path) -> None:
    # A later batch migration of documents/cases/dossiers drops these with the old table.
    with Store.open(tmp_path / "store") as store, store.read() as s:
        names = set(
            s.connection().exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        )
    assert {
        ("search_docs_ad",),
        ("search_documents_au",),
        ("search_cases_au",),
        ("search_dossiers_au",),
    } <= names


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _store_at_0001(root)
    _migrate(root, "head")
    _migrate(root, "0001")
    check = sqlite3.connect(root / DB_NAME)
    tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master")}
    check.close()
    assert not {name for name in tables if "search" in name or name == "document_texts"}
    _migrate(root, "head")
    with Store.open(root) as store, store.read() as s:
        assert [hit.document_id for hit in search(s, "steinmetz")] == ["doc-1"]
