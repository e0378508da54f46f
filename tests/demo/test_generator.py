"""The demo generator: deterministic, realistic, and filed through the real pipeline."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import aliased

from sync.demo.generator import generate_demo_store, load_demo_plan, load_municipalities
from sync.errors import ValidationError
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
    Version,
)
from sync.search import search
from sync.store.database import Store
from sync.store.paths import resources_dir

SIZE = {"dossiers": 5, "documents": 14, "seed": 3}
REFERENCE = re.compile(r"^(?P<code>\d{3})-(?P<number>\d{4})/(?P<year>\d{4})$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    with Store.open(tmp_path_factory.mktemp("demo") / "store") as store:
        summary = generate_demo_store(store, **SIZE)
        yield store, summary


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Everything that is content (not ids or timestamps), in a stable order."""
    parent = aliased(Document)
    with store.read() as s:
        return {
            "dossiers": sorted(
                (d.reference, d.title, d.restricted, d.opened_on, d.retention_years, d.disposal)
                for d in s.scalars(select(Dossier))
            ),
            "cases": sorted(
                (d.reference, c.title, c.opened_on, c.closed_at is not None)
                for c, d in s.execute(select(Case, Dossier).join(Dossier)).tuples()
            ),
            "documents": sorted(
                _document_row(doc, ref, case, sha, parent_name)
                for doc, ref, case, sha, parent_name in s.execute(
                    select(Document, Dossier.reference, Case.title, Version.blob_sha256)
                    .add_columns(parent.file_name)
                    .join(Dossier, Dossier.id == Document.dossier_id)
                    .outerjoin(Case, Case.id == Document.case_id)
                    .join(Version, Version.document_id == Document.id)
                    .outerjoin(parent, parent.id == Document.parent_document_id)
                ).tuples()
            ),
            "tags": sorted(
                s.execute(
                    select(Document.file_name, Tag.name)
                    .join(DocumentTag, DocumentTag.document_id == Document.id)
                    .join(Tag, Tag.id == DocumentTag.tag_id)
                ).tuples()
            ),
            "notes": sorted((n.target_kind, n.text) for n in s.scalars(select(Note))),
        }


def _document_row(
    doc: Document, reference: str, case: str | None, sha: str, parent: str | None
) -> tuple[object, ...]:
    content = (doc.title, doc.file_name, doc.doc_type, doc.sender or "", doc.received_on)
    return (reference, case or "", *content, sha, parent or "")


def test_same_seed_gives_the_same_content(demo: tuple[Store, str], tmp_path: Path) -> None:
    store, summary = demo
    with Store.open(tmp_path / "again") as again:
        assert generate_demo_store(again, **SIZE) == summary
        first, second = snapshot(store), snapshot(again)
    assert first == second
    assert len(first["documents"]) > SIZE["documents"]  # mail attachments come on top
    with Store.open(tmp_path / "other") as other:
        generate_demo_store(other, dossiers=SIZE["dossiers"], documents=0, seed=4)
        assert snapshot(other)["dossiers"] != first["dossiers"]


def test_summary_counts(demo: tuple[Store, str]) -> None:
    _, summary = demo
    assert summary.startswith("Demodaten für Gemeinde Meinhard (Seed 3)")
    assert "5 Akten" in summary and "14 Dokumente abgelegt" in summary
    assert "abgelehnt" not in summary and "Duplikate" not in summary
    assert "\n" not in summary


def test_plan_is_the_marked_demo_plan(demo: tuple[Store, str]) -> None:
    store, _ = demo
    with store.read() as s:
        plan = s.scalars(select(FilePlan)).one()
        assert plan.is_demo
        assert "Demo" in plan.title and "nicht für den Echtbetrieb" in plan.title
        units = list(s.scalars(select(PlanUnit)))
        parents = {u.parent_id for u in units}
        leaves = [u for u in units if u.id not in parents]
        assert 40 <= len(units) <= 80
        assert {len(u.code) for u in units} == {1, 2, 3}
        assert all(u.retention_years and u.disposal in {"A", "B", "V"} for u in leaves)


def test_references_follow_the_pattern(demo: tuple[Store, str]) -> None:
    store, _ = demo
    with store.read() as s:
        rows = s.execute(select(Dossier, PlanUnit.code).join(PlanUnit)).tuples().all()
    assert len(rows) == SIZE["dossiers"]
    for dossier, code in rows:
        match = REFERENCE.match(dossier.reference)
        assert match, dossier.reference
        assert match["code"] == code
        assert int(match["year"]) == dossier.year in (2024, 2025, 2026)
        assert dossier.opened_on is not None and dossier.opened_on.year == dossier.year


def test_every_kind_of_document_is_filed(demo: tuple[Store, str]) -> None:
    store, _ = demo
    with store.read() as s:
        docs = list(s.scalars(select(Document)))
        texts = dict(s.execute(text("SELECT document_id, text FROM document_texts")).tuples().all())
    mimes = {d.mime_type.split(";")[0] for d in docs}
    assert {
        "application/pdf",
        "image/jpeg",
        "image/tiff",
        "message/rfc822",
        "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    } <= mimes
    pdfs = [d for d in docs if d.doc_type == "pdf" and d.parent_document_id is None]
    assert any("no_full_text" in d.problem_codes for d in pdfs), "a scanned PDF"
    letters = [d for d in pdfs if "Betreff:" in texts.get(d.id, "")]
    assert letters, "a text PDF with a letter in it"
    assert any(set("äöüß") & set(texts[d.id]) for d in letters)
    assert all(d.received_on for d in docs if d.parent_document_id is None)
    tiffs = [d for d in docs if d.mime_type == "image/tiff"]
    assert all((d.page_count or 0) >= 2 for d in tiffs)


def test_mails_have_their_attachments_as_children(demo: tuple[Store, str]) -> None:
    store, _ = demo
    with store.read() as s:
        mails = list(s.scalars(select(Document).where(Document.doc_type == "email")))
        assert mails
        for mail in mails:
            children = list(
                s.scalars(select(Document).where(Document.parent_document_id == mail.id))
            )
            assert any(c.doc_type == "pdf" for c in children), mail.title
            assert all(c.case_id == mail.case_id for c in children)


def test_restricted_dossiers_tags_notes_and_one_closed_case(demo: tuple[Store, str]) -> None:
    store, _ = demo
    with store.read() as s:
        restricted = list(s.scalars(select(Dossier).where(Dossier.restricted)))
        assert restricted and all(d.title.startswith("Personalakte") for d in restricted)
        assert s.scalar(select(func.count()).select_from(DocumentTag))
        assert s.scalar(select(func.count()).select_from(Note))
        closed = list(s.scalars(select(Case).where(Case.closed_at.is_not(None))))
        assert len(closed) == 1
        assert s.scalar(select(func.count()).where(Document.case_id == closed[0].id))


def test_documents_are_searchable(demo: tuple[Store, str]) -> None:
    store, _ = demo
    with store.read() as s:
        hits = search(s, "Gemeindevorstand Meinhard")
    assert hits and all(REFERENCE.match(h.reference) for h in hits)


def test_rerun_reuses_the_plan_and_continues_numbering(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store") as store:
        generate_demo_store(store, dossiers=2, documents=0, seed=1)
        generate_demo_store(store, dossiers=2, documents=0, seed=1)
        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(FilePlan)) == 1
            references = list(s.scalars(select(Dossier.reference)))
    assert len(references) == len(set(references)) == 4


def test_other_municipality_and_unknown_slug(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store") as store:
        summary = generate_demo_store(
            store, dossiers=1, documents=0, seed=1, municipality_slug="weissenborn"
        )
        assert "Gemeinde Weißenborn" in summary
        with store.read() as s:
            assert s.scalars(select(Municipality.slug)).all() == ["weissenborn"]
        with pytest.raises(ValidationError, match="gehört bereits zu Gemeinde Weißenborn"):
            generate_demo_store(store, dossiers=1, documents=0, seed=1)
    with (
        Store.open(tmp_path / "fresh") as store,
        pytest.raises(ValidationError, match="keine der elf Kommunen"),
    ):
        generate_demo_store(store, dossiers=1, documents=0, seed=1, municipality_slug="kassel")


def test_resources() -> None:
    municipalities = load_municipalities()
    names = {m["short_name"] for m in municipalities}
    assert names == {
        "Bad Sooden-Allendorf", "Sontra", "Waldkappel", "Witzenhausen", "Meinhard", "Berkatal",
        "Herleshausen", "Neu-Eichenberg", "Ringgau", "Wehretal", "Weißenborn",
    }  # fmt: skip
    assert len({m["slug"] for m in municipalities}) == 11
    assert all(re.fullmatch(r"[a-z-]+", m["slug"]) for m in municipalities)
    assert all(re.fullmatch(r"06636\d{3}", m["ags"]) for m in municipalities if "ags" in m)
    plan = load_demo_plan()
    assert plan["demo"] is True
    raw = json.loads((resources_dir() / "demo" / "aktenplan.json").read_text(encoding="utf-8"))
    assert raw == plan
