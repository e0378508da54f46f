"""Check-out and check-in on a real store: work copies on disk, versions, blobs, journal, search."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync.demo.office_samples import docx
from sync.errors import BlobMissingError, RecordClosedError, RecordDeletedError
from sync.filing import checkout
from sync.filing.checkout import WorkCopyBusyError
from sync.filing.pipeline import Filer
from sync.records import operations as ops
from sync.records.model import Case, Document, Event, OutboxEntry, Version
from sync.records.versions import add_version
from sync.search import search
from sync.store.database import Store

ORIGINAL = docx(["Protokoll der Sitzung vom 3. März", "Anwesend: Bürgermeisterin Schäfer"])
EDITED = docx(["Protokoll der Sitzung vom 3. März", "Ergänzung: Kanalsanierung Mühlgasse"])


def _file(store: Store, target_id: str, data: bytes = ORIGINAL, name: str = "Protokoll.docx"):
    outcome = Filer(store, actor="mueller").file_bytes(data, name, target_id)
    assert outcome.status == "filed", outcome.message
    assert outcome.document_id is not None
    return outcome.document_id


def _counts(store: Store) -> tuple[int, int, int]:
    with store.read() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(m)) for m in (Version, OutboxEntry, Event)
        )


@pytest.fixture
def doc_id(store, plan) -> str:
    return _file(store, plan.case.id)


@pytest.fixture
def work_dir(store) -> Path:
    return store.root / "work"


def test_check_out_copies_the_current_version_under_its_file_name(store, doc_id, work_dir):
    copy = checkout.check_out(store, doc_id, work_dir)
    assert copy.path == work_dir / doc_id / "Protokoll.docx"
    assert copy.path.read_bytes() == ORIGINAL
    assert copy.version_number == 1
    assert not checkout.changed(copy)
    assert copy.path.stat().st_mode & 0o200  # the clerk's program must be able to save it
    # Asking again returns the same outstanding copy, edits and all.
    copy.path.write_bytes(EDITED)
    again = checkout.check_out(store, doc_id, work_dir)
    assert again.path == copy.path and again.path.read_bytes() == EDITED


def test_work_copy_names_are_windows_safe_short_and_keep_their_extension(store, plan, work_dir):
    long_name = "Stellungnahme " + "sehr " * 40 + "lang.docx"
    doc_id = _file(store, plan.case.id, name=long_name)
    name = checkout.check_out(store, doc_id, work_dir).path.name
    assert name.endswith(".docx") and len(name) <= checkout.MAX_NAME_LEN
    bare = _file(store, plan.case.id, EDITED, name="Protokoll")
    assert checkout.check_out(store, bare, work_dir).path.suffix == ".docx"


def test_check_in_adds_version_2_with_blob_journal_and_search_text(store, doc_id, work_dir):
    copy = checkout.check_out(store, doc_id, work_dir)
    copy.path.write_bytes(EDITED)
    assert checkout.changed(copy)
    version = checkout.check_in(store, copy, actor="mueller")
    assert version is not None
    assert (version.number, version.conflict, version.created_by) == (2, False, "mueller")
    assert store.blobs.read_bytes(version.blob_sha256) == EDITED
    with store.read() as s:
        assert s.get_one(Document, doc_id).current_version == 2
        outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == version.id)).one()
        assert (outbox.entity_kind, outbox.op) == ("version", "create")
        assert outbox.payload["blob_sha256"] == version.blob_sha256
        assert s.scalar(select(Event).where(Event.entity_id == version.id)) is not None
        assert [hit.document_id for hit in search(s, "kanalsanierung")] == [doc_id]
    # The work copy now holds version 2: saving nothing new adds nothing.
    record = checkout.find_work_copy(store, doc_id)
    assert record is not None
    assert (record.version_number, record.blob_sha256) == (2, version.blob_sha256)
    assert checkout.check_in(store, copy) is None


def test_unchanged_work_copy_adds_nothing(store, doc_id, work_dir):
    copy = checkout.check_out(store, doc_id, work_dir)
    before = _counts(store)
    assert checkout.check_in(store, copy) is None
    assert _counts(store) == before


def test_a_file_being_written_is_retried_later_never_half_stored(store, doc_id, work_dir):
    copy = checkout.check_out(store, doc_id, work_dir)
    before = _counts(store)
    copy.path.write_bytes(b"")  # an editor saving in place truncates first
    with pytest.raises(WorkCopyBusyError):
        checkout.check_in(store, copy)
    assert _counts(store) == before
    assert list((store.blobs.root / "tmp").iterdir()) == []
    copy.path.write_bytes(EDITED)  # the save completes: the next attempt takes it
    version = checkout.check_in(store, copy)
    assert version is not None and version.number == 2


def test_closed_or_deleted_documents_and_missing_blobs_are_refused(store, plan, work_dir):
    doc_id = _file(store, plan.case.id)
    copy = checkout.check_out(store, doc_id, work_dir)
    copy.path.write_bytes(EDITED)
    with store.write() as s:
        ops.close(s, s.get_one(Case, plan.case.id))
    with pytest.raises(RecordClosedError):
        checkout.check_out(store, doc_id, work_dir)
    before = _counts(store)
    with pytest.raises(RecordClosedError):
        checkout.check_in(store, copy)
    assert _counts(store) == before

    with store.write() as s:
        ops.reopen(s, s.get_one(Case, plan.case.id))
        ops.delete(s, s.get_one(Document, doc_id))
    with pytest.raises(RecordDeletedError):
        checkout.check_out(store, doc_id, work_dir)

    other = _file(store, plan.dossier.id, EDITED)
    with store.read() as s:
        sha = s.scalars(select(Version.blob_sha256).where(Version.document_id == other)).one()
    store.blobs.delete(sha)
    with pytest.raises(BlobMissingError):
        checkout.check_out(store, other, work_dir)
    assert checkout.find_work_copy(store, other) is None


def test_a_newer_version_meanwhile_makes_the_check_in_a_conflict_version(store, doc_id, work_dir):
    copy = checkout.check_out(store, doc_id, work_dir)
    # Another clerk's edit arrives (by sync) while this one edits version 1.
    theirs = docx(["Protokoll der Sitzung vom 3. März", "Nachtrag aus Sontra"])
    staged = store.blobs.stage_bytes(theirs)
    store.blobs.commit(staged)
    with store.write() as s:
        add_version(
            s, s.get_one(Document, doc_id), blob_sha256=staged.sha256, size=staged.size,
            base_number=1,
        )  # fmt: skip
    copy.path.write_bytes(EDITED)
    version = checkout.check_in(store, copy)
    assert version is not None
    assert (version.number, version.conflict) == (3, True)
    with store.read() as s:
        versions = s.scalars(
            select(Version).where(Version.document_id == doc_id).order_by(Version.number)
        ).all()
        # Nothing overwritten: both edits are there, each as its own version.
        assert [store.blobs.read_bytes(v.blob_sha256) for v in versions] == [
            ORIGINAL,
            theirs,
            EDITED,
        ]
        assert s.get_one(Document, doc_id).current_version == 3


def test_a_restart_finds_the_outstanding_work_copies(store, plan, work_dir):
    first = _file(store, plan.case.id)
    second = _file(store, plan.dossier.id, EDITED, name="Vermerk.docx")
    edited = checkout.check_out(store, first, work_dir)
    checkout.check_out(store, second, work_dir)
    root = store.root
    store.close()
    edited.path.write_bytes(EDITED)  # saved while the application was closed
    with Store.open(root, create=False) as reopened:
        copies = checkout.open_work_copies(reopened)
        assert [c.document_id for c in copies] == [first, second]
        assert [checkout.changed(c) for c in copies] == [True, False]
        version = checkout.check_in(reopened, copies[0])
        assert version is not None and version.number == 2


def test_finish_checks_in_and_removes_the_work_copy(store, doc_id, work_dir):
    copy = checkout.check_out(store, doc_id, work_dir)
    copy.path.write_bytes(EDITED)
    (copy.path.parent / "~$otokoll.docx").write_bytes(b"lock")  # what Word leaves beside it
    version = checkout.finish(store, copy)
    assert version is not None and version.number == 2
    assert not copy.path.parent.exists()
    assert checkout.open_work_copies(store) == []


def test_discard_removes_the_work_copy_without_a_version(store, doc_id, work_dir):
    copy = checkout.check_out(store, doc_id, work_dir)
    copy.path.write_bytes(EDITED)
    before = _counts(store)
    checkout.discard(store, copy)
    assert not copy.path.exists()
    assert checkout.open_work_copies(store) == []
    assert _counts(store) == before


def test_closed_documents_open_as_read_only_view_copies(store, plan, doc_id, tmp_path):
    with store.write() as s:
        ops.close(s, s.get_one(Case, plan.case.id))
    view_dir = tmp_path / "ansicht"
    path = checkout.view_copy(store, doc_id, view_dir)
    assert path.read_bytes() == ORIGINAL
    assert path.stat().st_mode & 0o222 == 0  # read-only, also for the program opening it
    assert checkout.view_copy(store, doc_id, view_dir) == path  # reused while unchanged
    assert checkout.open_work_copies(store) == []
    checkout.clear_view_copies(view_dir)
    assert list(view_dir.iterdir()) == []
