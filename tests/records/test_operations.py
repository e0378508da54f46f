from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from sqlalchemy import func, select

from sync.errors import RecordClosedError, RecordDeletedError, ValidationError
from sync.records import operations as ops
from sync.records import queries
from sync.records.model import (
    Case,
    Document,
    Dossier,
    Event,
    Note,
    OutboxEntry,
    PlanUnit,
    Version,
)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_reference_follows_default_pattern_and_counts_per_code_and_year(store, plan):
    with store.write() as s:
        unit = s.get_one(PlanUnit, plan.unit.id)
        second = ops.create_dossier(s, unit, "Zweite", opened_on=date(2026, 5, 1))
        next_year = ops.create_dossier(s, unit, "Neues Jahr", opened_on=date(2027, 1, 4))
    assert plan.dossier.reference == "022.1-0001/2026"
    assert second.reference == "022.1-0002/2026"
    assert next_year.reference == "022.1-0001/2027"


def test_reference_numbers_are_not_reused_after_delete_and_skip_taken_ones(store, plan):
    with store.write() as s:
        unit = s.get_one(PlanUnit, plan.unit.id)
        ops.delete(s, s.get_one(Dossier, plan.dossier.id))
        ops.create_dossier(
            s, unit, "Importiert", reference="022.1-0002/2026", opened_on=date(2026, 1, 1)
        )
        fresh = ops.create_dossier(s, unit, "Neu", opened_on=date(2026, 6, 1))
    assert fresh.reference == "022.1-0003/2026"


def test_custom_reference_pattern(store):
    with store.write() as s:
        m = ops.create_municipality(
            s, "sontra", "Stadt Sontra", reference_pattern="{year}/{plan}/{number:03d}"
        )
        fp = ops.create_file_plan(s, m, "Plan")
        unit = ops.add_plan_unit(s, fp, "621", "Bauanträge")
        d = ops.create_dossier(s, unit, "Bauantrag", opened_on=date(2026, 2, 2))
    assert d.reference == "2026/621/001"


@pytest.mark.parametrize("pattern", ["{plan}-{year}", "{plan}-{nummer}", "{plan}-{number:q}"])
def test_invalid_reference_patterns_are_rejected(store, pattern):
    with pytest.raises(ValidationError), store.write() as s:
        ops.create_municipality(s, "x", "X", reference_pattern=pattern)


def test_explicit_duplicate_reference_is_rejected(store, plan):
    with pytest.raises(ValidationError, match="bereits vergeben"), store.write() as s:
        ops.create_dossier(
            s, s.get_one(PlanUnit, plan.unit.id), "Doppelt", reference=plan.dossier.reference
        )


def test_dossier_inherits_retention_from_plan_unit(plan):
    assert plan.dossier.retention_years == 10
    assert plan.dossier.disposal == "B"


def test_every_change_writes_event_and_outbox_in_the_same_transaction(store, plan):
    with store.read() as s:
        events_before, outbox_before = _count(s, Event), _count(s, OutboxEntry)
    with store.write() as s:
        changed = ops.update_fields(
            s, s.get_one(Case, plan.case.id), {"title": "Sitzung April", "description": ""}
        )
    assert changed == {"title"}
    with store.read() as s:
        assert _count(s, Event) == events_before + 1
        assert _count(s, OutboxEntry) == outbox_before + 1
        entry = s.scalars(select(OutboxEntry).order_by(OutboxEntry.id.desc())).first()
        assert entry.op == "update"
        assert entry.payload == {
            "id": plan.case.id,
            "title": "Sitzung April",
            "details": {"old": {"title": "Sitzung März"}},
        }
    # A failing change leaves neither the edit nor its journal rows behind.
    with pytest.raises(RuntimeError), store.write() as s:
        ops.update_fields(s, s.get_one(Case, plan.case.id), {"title": "Verloren"})
        raise RuntimeError("crash before commit")
    with store.read() as s:
        assert s.get_one(Case, plan.case.id).title == "Sitzung April"
        assert _count(s, OutboxEntry) == outbox_before + 1


def test_outbox_ids_increase_monotonically(store, plan):
    with store.write() as s:
        for i in range(3):
            ops.create_case(s, s.get_one(Dossier, plan.dossier.id), f"Vorgang {i}")
    with store.read() as s:
        ids = list(s.scalars(select(OutboxEntry.id).order_by(OutboxEntry.id)))
    assert ids == sorted(set(ids)) and len(ids) >= 3


def test_titles_are_validated_and_stored_nfc(store, plan):
    nfd = unicodedata.normalize("NFD", "Müllabfuhr Straße")
    with store.write() as s:
        ops.update_fields(s, s.get_one(Case, plan.case.id), {"title": f"  {nfd}\x00  "})
    with store.read() as s:
        assert s.get_one(Case, plan.case.id).title == "Müllabfuhr Straße"
    for bad in ["", "   ", "x" * 501]:
        with pytest.raises(ValidationError), store.write() as s:
            ops.update_fields(s, s.get_one(Case, plan.case.id), {"title": bad})
    with pytest.raises(ValidationError, match="Aussonderungsart"), store.write() as s:
        ops.update_fields(s, s.get_one(Dossier, plan.dossier.id), {"disposal": "X"})
    with pytest.raises(ValidationError, match="nicht geändert"), store.write() as s:
        ops.update_fields(s, s.get_one(Dossier, plan.dossier.id), {"reference": "hack"})


def test_closed_case_rejects_edits_and_new_cases_in_closed_dossier(store, plan):
    with store.write() as s:
        ops.close(s, s.get_one(Case, plan.case.id))
    with pytest.raises(RecordClosedError, match="zu den Akten gelegt"), store.write() as s:
        ops.update_fields(s, s.get_one(Case, plan.case.id), {"title": "Neu"})
    with store.write() as s:
        ops.reopen(s, s.get_one(Case, plan.case.id))
        ops.update_fields(s, s.get_one(Case, plan.case.id), {"title": "Wieder offen"})
        ops.close(s, s.get_one(Dossier, plan.dossier.id))
    with store.read() as s:
        assert s.get_one(Case, plan.case.id).is_closed, "closing a dossier closes its cases"
    with pytest.raises(RecordClosedError), store.write() as s:
        ops.create_case(s, s.get_one(Dossier, plan.dossier.id), "Zu spät")
    with pytest.raises(RecordClosedError, match="zuerst die Akte"), store.write() as s:
        ops.reopen(s, s.get_one(Case, plan.case.id))


def test_soft_delete_and_restore(store, plan):
    with store.write() as s:
        ops.delete(s, s.get_one(Dossier, plan.dossier.id))
    with store.read() as s:
        assert [d.id for d in queries.trash(s)] == [plan.dossier.id]
        assert s.get_one(Case, plan.case.id).deleted_at is None  # children stay, hidden with parent
    with pytest.raises(RecordDeletedError), store.write() as s:
        ops.create_case(s, s.get_one(Dossier, plan.dossier.id), "Im Papierkorb")
    with store.write() as s:
        ops.restore(s, s.get_one(Dossier, plan.dossier.id))
    with store.read() as s:
        assert queries.trash(s) == []


def test_restoring_a_case_of_a_deleted_dossier_asks_for_the_dossier_first(store, plan):
    with store.write() as s:
        ops.delete(s, s.get_one(Case, plan.case.id))
        ops.delete(s, s.get_one(Dossier, plan.dossier.id))
    with pytest.raises(RecordDeletedError, match="zuerst"), store.write() as s:
        ops.restore(s, s.get_one(Case, plan.case.id))


def _document(s, plan, title="Brief") -> Document:
    from sync.records.model import Blob

    s.merge(Blob(sha256="a" * 64, size=1))
    doc = Document(
        dossier_id=plan.dossier.id,
        case_id=plan.case.id,
        title=title,
        doc_type="text",
        mime_type="text/plain",
        file_name="brief.txt",
    )
    s.add(doc)
    s.flush()
    s.add(
        Version(document_id=doc.id, number=1, blob_sha256="a" * 64, size=1, file_name="brief.txt")
    )
    return doc


def test_tags_notes_and_move(store, plan):
    with store.write() as s:
        doc = _document(s, plan)
        ops.add_tag(s, doc, "Bauamt")
        ops.add_tag(s, doc, "bauamt")  # same tag, case-insensitive
        ops.add_note(s, doc, "Rückruf am Montag")
        other = ops.create_case(s, s.get_one(Dossier, plan.dossier.id), "Anderer Vorgang")
        ops.move_document(s, doc, other)
    with store.read() as s:
        assert ops.tags_of(s, doc.id) == ["Bauamt"]
        tag_ops = s.scalars(select(OutboxEntry).where(OutboxEntry.op == "tag")).all()
        assert [e.payload["details"]["tag"] for e in tag_ops] == ["Bauamt"]
        assert s.get_one(Document, doc.id).case_id == other.id
    with pytest.raises(ValidationError), store.write() as s:
        ops.add_note(s, s.get_one(Document, doc.id), "   ")


def test_moving_into_a_closed_case_is_refused(store, plan):
    with store.write() as s:
        doc = _document(s, plan)
        target = ops.create_case(s, s.get_one(Dossier, plan.dossier.id), "Ziel")
        ops.close(s, target)
    with pytest.raises(RecordClosedError), store.write() as s:
        ops.move_document(s, s.get_one(Document, doc.id), s.get_one(Case, target.id))


def test_find_node_by_reference_code_and_id(store, plan):
    with store.read() as s:
        assert queries.find_node(s, "022.1-0001/2026").id == plan.dossier.id
        assert queries.find_node(s, "022.1").id == plan.unit.id
        assert queries.find_node(s, plan.case.id).id == plan.case.id
        with pytest.raises(Exception, match="weder"):
            queries.find_node(s, "999")


def test_a_note_is_taken_back_and_restored_with_journal_and_guard(store, plan):
    with store.write() as s:
        case = s.get_one(Case, plan.case.id)
        note = ops.add_note(s, case, "Rückfrage beim Bauamt", note_id="note-1")
    with store.write() as s:
        note = s.get_one(Note, "note-1")
        ops.delete_note(s, note)
        assert note.is_deleted
    with store.write() as s:
        ops.restore_note(s, s.get_one(Note, "note-1"))
    with store.read() as s:
        assert not s.get_one(Note, "note-1").is_deleted
        ops_logged = list(
            s.scalars(select(OutboxEntry.op).where(OutboxEntry.entity_id == "note-1"))
        )
    assert ops_logged == ["create", "delete", "restore"]
    with store.write() as s:
        ops.close(s, s.get_one(Case, plan.case.id))
    with pytest.raises(RecordClosedError), store.write() as s:
        ops.delete_note(s, s.get_one(Note, "note-1"))


def test_nothing_comes_back_into_a_closed_case(store, plan):
    with store.write() as s:
        case = s.get_one(Case, plan.case.id)
        second = ops.create_case(s, s.get_one(Dossier, plan.dossier.id), "Zweiter Vorgang")
        ops.delete(s, second)
        second_id = second.id
    with store.write() as s:
        ops.close(s, s.get_one(Dossier, plan.dossier.id))  # closes its cases too
    with pytest.raises(RecordClosedError), store.write() as s:
        ops.restore(s, s.get_one(Case, second_id))
    with store.read() as s:
        assert s.get_one(Case, second_id).is_deleted
    assert case.id == plan.case.id
