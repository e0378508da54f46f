"""The filing pipeline end to end on a real store: real files in, records, blobs and journal out."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync.demo import samples
from sync.filing import recording
from sync.filing.pipeline import Filer
from sync.records import operations as ops
from sync.records.model import Blob, Case, Document, Event, OutboxEntry, Version
from sync.search import search


def _counts(store) -> dict[str, int]:
    with store.read() as s:
        return {
            m.__name__: s.scalar(select(func.count()).select_from(m))
            for m in (Document, Version, Blob, OutboxEntry, Event)
        }


def _temp_files(store) -> list:
    return [p for p in (store.blobs.root / "tmp").iterdir()]


@pytest.fixture
def filer(store, plan) -> Filer:
    return Filer(store, actor="mueller")


LETTER = samples.text_pdf(
    "Bauantrag Mühlenweg 12",
    [
        "Sehr geehrte Frau Müller,",
        "wir bestätigen den Eingang Ihres Bauantrags für die Straße Am Mühlenweg.",
    ],
    pages=3,
)


def test_a_pdf_becomes_document_version_blob_and_journal_in_one_go(store, plan, filer, tmp_path):
    src = tmp_path / "Bauantrag.pdf"
    src.write_bytes(LETTER)
    outcome = filer.file_path(src, plan.case.id)
    assert outcome.status == "filed", outcome.message
    with store.read() as s:
        doc = s.get_one(Document, outcome.document_id)
        assert (doc.doc_type, doc.page_count, doc.case_id) == ("pdf", 3, plan.case.id)
        version = s.scalars(select(Version).where(Version.document_id == doc.id)).one()
        assert version.created_by == "mueller"
        assert store.blobs.read_bytes(version.blob_sha256) == LETTER
        ops_logged = {(e.entity_kind, e.op) for e in s.scalars(select(OutboxEntry))}
        assert {("document", "create"), ("version", "create")} <= ops_logged
        hits = search(s, "strasse muehlenweg")
        assert [h.document_id for h in hits] == [doc.id]
    assert _temp_files(store) == []


def test_same_content_twice_in_one_case_is_a_duplicate_not_a_second_record(store, plan, filer):
    first = filer.file_bytes(LETTER, "a.pdf", plan.case.id)
    before = _counts(store)
    second = filer.file_bytes(LETTER, "b.pdf", plan.case.id)
    assert second.status == "duplicate" and second.document_id == first.document_id
    assert "bereits" in second.message
    assert _counts(store) == before
    assert _temp_files(store) == []


def test_same_content_in_another_case_is_filed_and_shares_the_blob(store, plan, filer):
    filer.file_bytes(LETTER, "a.pdf", plan.case.id)
    with store.write() as s:
        other = ops.create_case(s, s.get_one(Case, plan.case.id).dossier, "Anderer Vorgang")
    outcome = filer.file_bytes(LETTER, "a.pdf", other.id)
    assert outcome.status == "filed"
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Blob).where(Blob.size == len(LETTER))) == 1


def test_filing_into_a_dossier_directly(store, plan, filer):
    outcome = filer.file_bytes(
        b"Telefonnotiz: Herr Wei\xc3\x9f ruft zur\xc3\xbcck.\n", "notiz.txt", plan.dossier.id
    )
    assert outcome.status == "filed"
    with store.read() as s:
        doc = s.get_one(Document, outcome.document_id)
        assert doc.case_id is None and doc.doc_type == "text"
        assert search(s, "weiss")[0].document_id == doc.id


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (samples.truncated_pdf(keep=0.02), "pdf_corrupt"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "pdf_corrupt"),
        (samples.bomb_png(), "image_bomb"),
    ],
    ids=["empty", "truncated-pdf", "garbage-pdf", "decompression-bomb"],
)
def test_bad_input_is_rejected_and_leaves_nothing_behind(store, plan, filer, content, reason):
    before = _counts(store)
    outcome = filer.file_bytes(content, "kaputt.pdf", plan.case.id)
    assert (outcome.status, outcome.reason) == ("rejected", reason)
    assert outcome.message and "kaputt" in outcome.message
    assert _counts(store) == before
    assert _temp_files(store) == []
    assert list(store.blobs.iter_blobs()) == []


def test_encrypted_pdf_is_filed_but_flagged(store, plan, filer):
    outcome = filer.file_bytes(samples.encrypted_pdf(), "geheim.pdf", plan.case.id)
    assert outcome.status == "filed"
    assert "encrypted" in outcome.problems
    assert "verschlüsselt" in outcome.message


def test_unknown_binary_is_kept_without_preview(store, plan, filer):
    outcome = filer.file_bytes(bytes(range(256)) * 10, "daten.bin", plan.case.id)
    assert outcome.status == "filed"
    assert {"no_preview", "no_full_text"} <= set(outcome.problems)


def test_mail_with_attachments_files_the_attachments_as_linked_documents(store, plan, filer):
    mail = samples.eml_message(
        "Stellungnahme zum Bauantrag",
        "Schäfer <schaefer@example.org>",
        "bauamt@meinhard.example",
        datetime(2026, 3, 4, 9, 30, tzinfo=UTC),
        "Anbei die Stellungnahme.",
        [("Stellungnahme.pdf", LETTER), ("leer.txt", b""), ("kaputt.pdf", b"%PDF-1.4 nope")],
    )
    outcome = filer.file_bytes(mail, "mail.eml", plan.case.id)
    assert outcome.status == "filed", outcome.message
    assert len(outcome.attachment_ids) == 2  # the empty one is skipped, with a note
    assert "leer.txt" in outcome.message and "kaputt.pdf" in outcome.message
    with store.read() as s:
        mail_doc = s.get_one(Document, outcome.document_id)
        assert mail_doc.title == "Stellungnahme zum Bauantrag"
        assert mail_doc.sender and "schaefer@example.org" in mail_doc.sender
        assert str(mail_doc.received_on) == "2026-03-04"
        kids = {d.file_name: d for d in (s.get_one(Document, i) for i in outcome.attachment_ids)}
        assert kids["Stellungnahme.pdf"].doc_type == "pdf"
        assert kids["kaputt.pdf"].doc_type == "other"  # the record keeps the broken attachment
        assert all(k.parent_document_id == mail_doc.id for k in kids.values())


def test_filing_into_a_closed_case_is_refused(store, plan, filer):
    with store.write() as s:
        ops.close(s, s.get_one(Case, plan.case.id))
    before = _counts(store)
    outcome = filer.file_bytes(LETTER, "a.pdf", plan.case.id)
    assert (outcome.status, outcome.reason) == ("rejected", "closed")
    assert _counts(store) == before


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON.pdf", "CON_.pdf"),
        (unicodedata.normalize("NFD", "Müller Bescheid.pdf"), "Müller Bescheid.pdf"),
        ("A" * 296 + ".pdf", None),
    ],
    ids=["reserved", "nfd", "300-chars"],
)
def test_odd_names_are_made_safe_and_reported(store, plan, filer, name, expected):
    outcome = filer.file_bytes(LETTER, name, plan.case.id)
    assert outcome.status == "filed"
    with store.read() as s:
        stored = s.get_one(Document, outcome.document_id).file_name
    assert unicodedata.is_normalized("NFC", stored) and len(stored) <= 150
    if expected:
        assert stored == expected
    # Only a real change is news to the clerk; NFD -> NFC is not.
    really_changed = stored != unicodedata.normalize("NFC", name)
    assert ("Dateiname angepasst" in outcome.message) == really_changed


def test_a_failure_inside_the_transaction_stores_no_record_and_no_outbox_row(
    store, plan, filer, monkeypatch
):
    before = _counts(store)

    def boom(session, document_id):
        raise RuntimeError("disk full")

    monkeypatch.setattr(recording, "index_document", boom)
    with pytest.raises(RuntimeError):
        filer.file_bytes(LETTER, "a.pdf", plan.case.id)
    assert _counts(store) == before
    assert _temp_files(store) == []


def test_vanished_and_unreadable_files_get_specific_messages(store, plan, filer, tmp_path):
    gone = filer.file_path(tmp_path / "weg.pdf", plan.case.id)
    assert (gone.status, gone.reason) == ("rejected", "vanished")
    assert "nicht (mehr) vorhanden" in gone.message


def test_folders_are_filed_recursively_and_os_junk_is_skipped(store, plan, filer, tmp_path):
    (tmp_path / "scan" / "unter").mkdir(parents=True)
    (tmp_path / "scan" / "a.txt").write_text("Erster Brief", encoding="utf-8")
    (tmp_path / "scan" / "unter" / "b.txt").write_text("Zweiter Brief", encoding="utf-8")
    (tmp_path / "scan" / "Thumbs.db").write_bytes(b"junk")
    (tmp_path / "scan" / "~$entwurf.docx").write_bytes(b"lock")
    outcomes = list(filer.file_paths([tmp_path / "scan"], plan.case.id))
    assert [o.path.rsplit("/", 1)[-1] for o in outcomes] == ["a.txt", "b.txt"]
    assert all(o.status == "filed" for o in outcomes)


def test_cancelling_stops_before_the_next_file_and_keeps_what_was_read(
    store, plan, filer, tmp_path
):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Brief {i}", encoding="utf-8")
    answers = iter([False, False, True])  # the clerk presses "Abbrechen" during the third file
    outcomes = list(
        filer.file_paths(
            sorted(tmp_path.glob("*.txt")), plan.case.id, cancelled=lambda: next(answers)
        )
    )
    assert [o.status for o in outcomes] == ["filed", "filed"]
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 2


def test_thumbnails_are_made_after_filing_for_pdfs_and_images_only(store, plan, filer):
    from sync.filing.thumbnails import generate_thumbnails

    pdf = filer.file_bytes(LETTER, "a.pdf", plan.case.id)
    scan = filer.file_bytes(
        samples.scanned_pdf(["Eingangsstempel 03.03.2026"]), "scan.pdf", plan.case.id
    )
    text = filer.file_bytes(b"nur Text", "notiz.txt", plan.case.id)
    photo = filer.file_bytes(samples.jpeg_image(), "foto.jpg", plan.case.id)
    with store.read() as s:
        # An image is decoded while filing anyway, so its thumbnail comes with it.
        assert (
            s.scalars(select(Version).where(Version.document_id == photo.document_id))
            .one()
            .thumbnail_sha256
        )
    assert generate_thumbnails(store) == 2
    assert generate_thumbnails(store) == 0, "idempotent"
    with store.read() as s:
        thumbs = {v.document_id: v.thumbnail_sha256 for v in s.scalars(select(Version))}
    assert thumbs[text.document_id] is None
    for outcome in (pdf, scan):
        png = store.blobs.read_bytes(thumbs[outcome.document_id])
        assert png.startswith(b"\x89PNG")


def test_received_on_defaults_to_today_and_attachments_inherit_the_mail_date(store, plan, filer):
    from datetime import date as _date

    letter = filer.file_bytes(LETTER, "a.pdf", plan.case.id)
    mail = filer.file_bytes(
        samples.eml_message(
            "Betreff",
            "a@example.org",
            "b@example.org",
            datetime(2025, 12, 24, 10, 0, tzinfo=UTC),
            "Text",
            [("anlage.pdf", samples.text_pdf("Anlage", ["Inhalt"]))],
        ),
        "mail.eml",
        plan.case.id,
    )
    with store.read() as s:
        assert s.get_one(Document, letter.document_id).received_on == _date.today()
        assert s.get_one(Document, mail.attachment_ids[0]).received_on == _date(2025, 12, 24)


def test_a_batch_reports_in_order_and_catches_duplicates_within_itself(store, plan, tmp_path):
    folder = tmp_path / "stapel"
    folder.mkdir()
    for i in range(7):
        (folder / f"{i}.txt").write_text(f"Brief Nummer {i}", encoding="utf-8")
    (folder / "7.txt").write_text("Brief Nummer 3", encoding="utf-8")  # same as 3.txt
    (folder / "8.txt").write_bytes(b"")
    filer = Filer(store, batch_files=4)
    outcomes = list(filer.file_paths([folder], plan.case.id))
    assert [Path(o.path).name for o in outcomes] == [f"{i}.txt" for i in range(9)]
    assert [o.status for o in outcomes] == ["filed"] * 7 + ["duplicate", "rejected"]
    assert outcomes[7].document_id == outcomes[3].document_id
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 7
    assert _temp_files(store) == []


def test_a_closed_target_refuses_every_file_without_reading_it(store, plan, tmp_path):
    with store.write() as s:
        ops.close(s, s.get_one(Case, plan.case.id))
    files = [tmp_path / "a.txt", tmp_path / "gibt-es-nicht.txt"]
    files[0].write_text("Brief", encoding="utf-8")
    outcomes = list(Filer(store).file_paths(files, plan.case.id))
    assert [(o.status, o.reason) for o in outcomes] == [("rejected", "closed")] * 2
