"""Read models of the desktop: the document list, the metadata panel and paths (Qt-free)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select

from sync.errors import NotFoundError
from sync.filing.pipeline import Filer
from sync.records import operations as ops
from sync.records.listing import document_details, list_documents
from sync.records.model import Blob, Case, Document, Dossier, OutboxEntry, PlanUnit, Version
from sync.records.paths import path_of
from sync.records.tree import children


def file_text(store, target_id: str, name: str) -> str:
    outcome = Filer(store).file_bytes(f"Inhalt von {name}".encode(), name, target_id)
    assert outcome.status == "filed", outcome.message
    return outcome.document_id


@pytest.fixture
def filed(store, plan):
    """Two documents in the case, one directly in the dossier, one in a second case."""
    ids = {
        "a": file_text(store, plan.case.id, "Antrag.txt"),
        "b": file_text(store, plan.case.id, "Bescheid.txt"),
        "loose": file_text(store, plan.dossier.id, "Notiz.txt"),
    }
    with store.write() as s:
        other = ops.create_case(s, s.get_one(Dossier, plan.dossier.id), "Zweiter Vorgang")
    ids["other_case"] = other.id
    ids["c"] = file_text(store, other.id, "Brief.txt")
    return ids


def test_a_case_lists_its_documents_in_filing_order(store, plan, filed):
    with store.write() as s:
        ops.update_fields(s, s.get_one(Document, filed["a"]), {"received_on": date(2026, 3, 5)})
        ops.update_fields(s, s.get_one(Document, filed["b"]), {"received_on": date(2026, 3, 1)})
    with store.read() as s:
        listing = list_documents(s, "case", plan.case.id)
    assert [r.id for r in listing.rows] == [filed["b"], filed["a"]]
    assert [r.received_on for r in listing.rows] == [date(2026, 3, 1), date(2026, 3, 5)]
    assert {r.case_title for r in listing.rows} == {"Sitzung März"}
    assert listing.case_ids == frozenset()


def test_a_dossier_lists_its_own_and_its_cases_documents(store, plan, filed):
    with store.write() as s:
        ops.delete(s, s.get_one(Case, filed["other_case"]))
    with store.read() as s:
        listing = list_documents(s, "dossier", plan.dossier.id)
    by_id = {r.id: r for r in listing.rows}
    # The document of the case in the Papierkorb is not listed.
    assert set(by_id) == {filed["a"], filed["b"], filed["loose"]}
    assert by_id[filed["loose"]].case_id is None and by_id[filed["loose"]].case_title is None
    assert by_id[filed["a"]].case_title == "Sitzung März"
    assert listing.case_ids == {plan.case.id}


def test_plan_units_hold_no_documents(store, plan, filed):
    with store.read() as s:
        assert list_documents(s, "unit", plan.unit.id).rows == ()


def test_badges_come_from_outbox_versions_and_blobs(store, plan, filed):
    with store.write() as s:
        # What sync will do: the server confirmed one document, another got a parallel edit,
        # and the bytes of a third were evicted from the cache.
        s.execute(OutboxEntry.__table__.delete().where(OutboxEntry.entity_id == filed["a"]))
        version = s.scalars(select(Version).where(Version.document_id == filed["b"])).one()
        version.conflict = True
        evicted = s.scalars(select(Version).where(Version.document_id == filed["loose"])).one()
        s.get_one(Blob, evicted.blob_sha256).present = False
    with store.read() as s:
        rows = {r.id: r for r in list_documents(s, "dossier", plan.dossier.id).rows}
    assert not rows[filed["a"]].unsynced and rows[filed["b"]].unsynced
    assert rows[filed["b"]].conflict and not rows[filed["a"]].conflict
    assert not rows[filed["loose"]].offline and rows[filed["a"]].offline


def test_listing_is_one_query_per_list_whatever_its_length(store, plan):
    for n in range(12):
        file_text(store, plan.case.id, f"Brief {n}.txt")
    statements: list[str] = []

    def count(*args) -> None:
        statements.append(args[2])

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with store.read() as s:
            listing = list_documents(s, "dossier", plan.dossier.id)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert len(listing.rows) == 12
    # The rows, and the dossier's case ids.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


def test_details_carry_tags_notes_versions_and_the_read_only_reason(store, plan, filed):
    with store.write() as s:
        doc = s.get_one(Document, filed["a"])
        ops.add_tag(s, doc, "Bauantrag")
        ops.add_tag(s, doc, "Ärger")
        ops.add_note(s, doc, "Rückruf erbeten")
    with store.read() as s:
        details = document_details(s, filed["a"])
    assert details.tags == ("Ärger", "Bauantrag")
    assert [n.text for n in details.notes] == ["Rückruf erbeten"]
    assert [(v.number, v.conflict) for v in details.versions] == [(1, False)]
    assert details.size == len(b"Inhalt von Antrag.txt") and details.file_name == "Antrag.txt"
    assert details.reference == plan.dossier.reference
    assert details.read_only_reason is None
    with store.write() as s:
        ops.close(s, s.get_one(Case, plan.case.id))
    with store.read() as s:
        reason = document_details(s, filed["a"]).read_only_reason
    assert reason is not None and "zu den Akten gelegt" in reason


def test_details_of_an_unknown_document(store, plan):
    with store.read() as s, pytest.raises(NotFoundError):
        document_details(s, "no-such-id")


def test_path_of_a_document_has_the_tree_labels(store, plan, filed):
    with store.read() as s:
        path = path_of(s, filed["a"])
        # Walk the tree the same way and compare node for node.
        walked = []
        parent = None
        for node in path:
            match = next(n for n in children(s, parent) if n.id == node.id)
            walked.append(match)
            parent = match
        top = s.get_one(PlanUnit, plan.unit.parent_id)
    assert [n.kind for n in path] == ["unit", "unit", "dossier", "case", "document"]
    assert [n.id for n in path] == [
        top.id,
        plan.unit.id,
        plan.dossier.id,
        plan.case.id,
        filed["a"],
    ]
    assert [(n.label, n.reference, n.has_children) for n in path] == [
        (m.label, m.reference, m.has_children) for m in walked
    ]
    assert path[2].label == f"{plan.dossier.reference} Sitzungen 2026"


def test_path_of_containers_and_closed_state(store, plan, filed):
    with store.write() as s:
        ops.close(s, s.get_one(Case, plan.case.id))
    with store.read() as s:
        case_path = path_of(s, plan.case.id)
        unit_path = path_of(s, plan.unit.id)
        empty_case = path_of(s, filed["other_case"])
    assert case_path[-1].kind == "case" and case_path[-1].closed
    assert [n.id for n in unit_path] == [plan.unit.parent_id, plan.unit.id]
    assert unit_path[-1].has_children
    assert empty_case[-1].has_children  # it holds "Brief.txt"


def test_path_of_an_unknown_id(store, plan):
    with store.read() as s, pytest.raises(NotFoundError):
        path_of(s, "no-such-id")
