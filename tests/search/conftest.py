"""A small corpus builder: records straight through the ORM, then indexed like the app does."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from sync.records.model import (
    Case,
    Document,
    DocumentTag,
    Dossier,
    FilePlan,
    Municipality,
    Note,
    PlanUnit,
    Tag,
    utcnow,
)
from sync.search import SearchFilters, SearchHit, index_document, search, set_document_text
from sync.store.database import DB_NAME, Store


@dataclass
class Corpus:
    store: Store
    municipality_id: str = ""
    unit_id: str = ""
    dossier_id: str = ""
    case_id: str = ""
    _dossiers: int = field(default=0)

    def setup(self) -> None:
        with self.store.write() as s:
            m = Municipality(slug="witzenhausen", name="Stadt Witzenhausen")
            s.add(m)
            s.flush()
            plan = FilePlan(municipality_id=m.id, title="Aktenplan")
            s.add(plan)
            s.flush()
            unit = PlanUnit(file_plan_id=plan.id, code="632.1", title="Bauanträge")
            s.add(unit)
            s.flush()
            self.municipality_id, self.unit_id = m.id, unit.id
        self.dossier_id = self.dossier("Vorhaben Nordstadt")
        self.case_id = self.case("Neubau Kindergarten")

    def dossier(self, title: str) -> str:
        self._dossiers += 1
        with self.store.write() as s:
            d = Dossier(
                municipality_id=self.municipality_id,
                plan_unit_id=self.unit_id,
                reference=f"632.1-{self._dossiers:04d}/2026",
                title=title,
            )
            s.add(d)
            s.flush()
            return d.id

    def case(self, title: str, dossier_id: str | None = None) -> str:
        with self.store.write() as s:
            c = Case(dossier_id=dossier_id or self.dossier_id, title=title)
            s.add(c)
            s.flush()
            return c.id

    def add(
        self,
        title: str,
        text: str = "",
        *,
        dossier_id: str | None = None,
        case_id: str | None = "",
        doc_type: str = "pdf",
        received_on: date | None = None,
        document_date: date | None = None,
        sender: str | None = None,
        file_name: str = "scan.pdf",
        tags: tuple[str, ...] = (),
        notes: tuple[str, ...] = (),
    ) -> str:
        """Add and index a document; case_id "" means the default case, None no case."""
        with self.store.write() as s:
            doc = Document(
                dossier_id=dossier_id or self.dossier_id,
                case_id=self.case_id if case_id == "" else case_id,
                title=title,
                doc_type=doc_type,
                mime_type="application/pdf",
                file_name=file_name,
                sender=sender,
                received_on=received_on,
                document_date=document_date,
            )
            s.add(doc)
            s.flush()
            for name in tags:
                tag = Tag(municipality_id=self.municipality_id, name=name, name_key=name.lower())
                s.add(tag)
                s.flush()
                s.add(DocumentTag(document_id=doc.id, tag_id=tag.id))
            for body in notes:
                s.add(Note(target_kind="document", target_id=doc.id, text=body))
            set_document_text(s, doc.id, text)
            index_document(s, doc.id)
            return doc.id

    def update(self, model: type[Any], entity_id: str, **values: Any) -> None:
        """Change columns of any record, without reindexing (as other code might)."""
        with self.store.write() as s:
            entity = s.get_one(model, entity_id)
            for key, value in values.items():
                setattr(entity, key, value)

    def delete(self, model: type[Any], entity_id: str) -> None:
        self.update(model, entity_id, deleted_at=utcnow())

    def search(
        self, query: str, filters: SearchFilters | None = None, **kw: Any
    ) -> list[SearchHit]:
        with self.store.read() as s:
            return search(s, query, filters, **kw)

    def ids(self, query: str, filters: SearchFilters | None = None, **kw: Any) -> list[str]:
        return [hit.document_id for hit in self.search(query, filters, **kw)]

    def session(self) -> Session:
        return Session(self.store.engine)


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    """Migrate and seed one store per session; each test gets a copy (milliseconds)."""
    root = tmp_path_factory.mktemp("template")
    with Store.open(root) as store:
        seeded = Corpus(store)
        seeded.setup()
    return root, seeded


@pytest.fixture
def corpus(tmp_path: Path, _template: tuple[Path, Corpus]) -> Iterator[Corpus]:
    template, seeded = _template
    root = tmp_path / "store"
    root.mkdir()
    shutil.copyfile(template / DB_NAME, root / DB_NAME)
    with Store.open(root) as store:
        _no_fsync(store)
        yield replace(seeded, store=store)


def _no_fsync(store: Store) -> None:
    # Durability is not under test here; fsync per commit would be most of the run time.
    event.listen(store.engine, "connect", lambda conn, _rec: conn.execute("PRAGMA synchronous=OFF"))
    store.engine.dispose()
