from __future__ import annotations

import sqlite3
import threading
from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from sync.errors import StoreError
from sync.records import operations as ops
from sync.records.model import Case, Dossier
from sync.store import database
from sync.store.database import Store


def test_store_uses_wal_foreign_keys_and_full_sync(store):
    with store.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_foreign_keys_are_enforced(store, plan):
    with pytest.raises(Exception, match="FOREIGN KEY"), store.write() as s:
        s.add(Case(dossier_id="does-not-exist", title="Waise"))


def test_reopen_keeps_data_and_identity(tmp_path, plan, store):
    store_id = store.store_id
    store.close()
    with Store.open(store.root) as again, again.read() as s:
        assert again.store_id == store_id
        assert s.get_one(Dossier, plan.dossier.id).reference == "022.1-0001/2026"


def test_open_without_create_reports_missing_store(tmp_path):
    with pytest.raises(StoreError, match="keinen E-Akte-Datenbestand"):
        Store.open(tmp_path / "nirgends", create=False)


def test_store_from_a_newer_version_is_refused(store):
    store.close()
    conn = sqlite3.connect(store.root / database.DB_NAME)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="neueren Version"):
        Store.open(store.root)


def test_store_created_at_first_schema_migrates_without_losing_anything(tmp_path):
    """Build a store the way version 0001 of the app did, fill it, then open it today."""
    root = tmp_path / "old"
    root.mkdir()
    db = root / database.DB_NAME
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        command.upgrade(database._alembic_config(conn), "0001")
        ts = {"t": "2026-01-01 00:00:00", "p": "{plan}-{number:04d}/{year}"}
        for sql in (
            "INSERT INTO municipalities VALUES ('m1', 'meinhard', 'Meinhard', :p)",
            "INSERT INTO file_plans (id, municipality_id, title, is_demo, created_at, "
            "updated_at) VALUES ('p1', 'm1', 'Plan', 0, :t, :t)",
            "INSERT INTO plan_units (id, file_plan_id, code, title, created_at, updated_at) "
            "VALUES ('u1', 'p1', '621', 'Bauanträge', :t, :t)",
            "INSERT INTO dossiers (id, municipality_id, plan_unit_id, reference, title, "
            "description, restricted, created_at, updated_at) VALUES ('d1', 'm1', 'u1', "
            "'621-0001/2025', 'Bauantrag Mühlenweg', '', 0, :t, :t)",
        ):
            conn.execute(text(sql), {k: v for k, v in ts.items() if f":{k}" in sql})
    engine.dispose()

    with Store.open(root) as store, store.read() as s:
        dossier = s.get_one(Dossier, "d1")
        assert dossier.title == "Bauantrag Mühlenweg"
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() != "0001"
    backups = list(root.glob("*.vor-0001.bak"))
    assert len(backups) == 1, "the pre-migration state is kept"
    check = sqlite3.connect(backups[0])
    assert check.execute("SELECT title FROM dossiers").fetchone() == ("Bauantrag Mühlenweg",)
    check.close()


def test_concurrent_writers_are_serialised_not_failed(store, plan):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with store.write() as s:
                    ops.create_case(
                        s,
                        s.get_one(Dossier, plan.dossier.id),
                        f"T{n}-{i}",
                        opened_on=date(2026, 1, 1),
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.read() as s:
        assert len(s.scalars(select(Case)).all()) == 41


def test_two_stores_on_one_file_do_not_corrupt_each_other(store, plan):
    """Two app instances on one cache: both write, both see each other's commits."""
    with Store.open(store.root) as second:
        with second.write() as s:
            ops.create_case(s, s.get_one(Dossier, plan.dossier.id), "Von Instanz 2")
        with store.write() as s:
            ops.create_case(s, s.get_one(Dossier, plan.dossier.id), "Von Instanz 1")
        with second.read() as s:
            titles = set(s.scalars(select(Case.title)))
    assert {"Von Instanz 1", "Von Instanz 2"} <= titles


def test_schema_head_constant_matches_the_migration_scripts():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(database._alembic_config(None))
    assert script.get_current_head() == database.SCHEMA_HEAD


def test_the_model_and_the_migrations_agree(store):
    """Autogenerate finds nothing to do at head: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sync.records.model import Base
    from sync.store.migrations import include_name

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_name": include_name, "compare_type": True}
        )
        assert compare_metadata(ctx, Base.metadata) == []


def test_a_nested_write_fails_loudly_instead_of_deadlocking(store, plan):
    with store.write() as outer:
        with pytest.raises(RuntimeError, match="inside write"), store.write():
            pass
        ops.create_case(outer, outer.get_one(Dossier, plan.dossier.id), "Geht weiter")
    with store.read() as s:
        assert "Geht weiter" in set(s.scalars(select(Case.title)))
