"""The scenarios of DESIGN.md, end to end: two or three clients, the real server over HTTP on
127.0.0.1, on SQLite and on PostgreSQL. (Faults on the wire and killed processes are in
``test_faults.py``; transfers in ``test_transfers.py``.)"""

from __future__ import annotations

import errno
import shutil
import sqlite3
import threading
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sync.engine import apply as apply_module
from sync.engine.errors import (
    DiskFullError,
    ForeignCacheError,
    MassDeleteError,
    ServerRestoredError,
    SyncBusyError,
)
from sync.engine.offline import set_offline
from sync.protocol.names import file_name_problem
from sync.records import operations
from sync.records.model import (
    Blob,
    Case,
    Document,
    Dossier,
    Event,
    Note,
    OutboxEntry,
    SyncProblem,
    Version,
)
from sync.store import cache
from tests.server.live import LiveServer, start_server
from tests.server.records import create, update
from tests.sync.harness import SyncClient, make_client


class Office:
    """A registrar who set up a plan unit, a dossier with two cases and a document, synced;
    plus clerks on their own PCs who have pulled it."""

    def __init__(self, server: LiveServer, tmp: Path, clerks: int = 1) -> None:
        self.server = server
        self.tmp = tmp
        self.reg = make_client(tmp, server, "meinhard", "reg", role="registrar")
        self.unit = self.reg.plan_unit("022", "Bauwesen")
        self.dossier = self.reg.dossier(self.unit, "Bauantrag Müller")
        self.case = self.reg.case(self.dossier, "Erstantrag")
        self.case2 = self.reg.case(self.dossier, "Widerspruch")
        self.doc = self.reg.file(self.case, "antrag.txt", b"Antrag auf Baugenehmigung")
        assert self.reg.sync().rejected == 0
        self.clerks = [make_client(tmp, server, "meinhard", f"clerk{i}") for i in range(clerks)]
        for clerk in self.clerks:
            clerk.sync()

    def all(self) -> list[SyncClient]:
        return [self.reg, *self.clerks]

    def converge(self) -> None:
        self.converge_with()

    def converge_with(self, *others: SyncClient) -> None:
        """Everyone syncs twice; then all hold the same state."""
        everyone = [*self.all(), *others]
        for _ in range(2):
            for client in everyone:
                client.sync()
        states = [c.state() for c in everyone]
        assert all(s == states[0] for s in states[1:])


@pytest.fixture
def office(live_server: LiveServer, tmp_path: Path) -> Office:
    return Office(live_server, tmp_path, clerks=2)


def test_a_week_of_offline_work_arrives_in_batches(office: Office) -> None:
    clerk, other = office.clerks
    with clerk.write() as s:
        case = s.get_one(Case, office.case)
        for i in range(1_050):
            operations.add_note(s, case, f"Notiz {i}: Rückruf erbeten")
    for i in range(30):
        clerk.edit(Document, office.doc, title=f"Antrag, Fassung {i}")
    report = clerk.sync()
    assert report.pushed == 1_080 and report.rejected == 0
    other.sync()
    with other.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Note)) == 1_050
    assert other.get(Document, office.doc).title == "Antrag, Fassung 29"
    office.converge()


def test_a_refused_change_is_listed_and_the_queue_goes_on(office: Office) -> None:
    clerk = office.clerks[0]
    with clerk.write() as s:
        operations.close(s, s.get_one(Case, office.case2))  # only the Registratur may
    clerk.edit(Document, office.doc, title="Antrag (ergänzt)")
    report = clerk.sync()
    assert report.rejected == 1 and report.pushed == 1
    with clerk.store.read() as s:
        problem = s.scalars(select(SyncProblem)).one()
        assert (problem.entity_id, problem.op, problem.code) == (office.case2, "close", "forbidden")
        assert "Registratur" in problem.message
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 0
    assert clerk.get(Case, office.case2).closed_at is None  # back to the server's state
    office.reg.sync()
    assert office.reg.get(Document, office.doc).title == "Antrag (ergänzt)"


def test_the_same_document_edited_on_two_clients_keeps_both_versions(office: Office) -> None:
    a, b = office.clerks
    a.new_version(office.doc, b"Fassung von A")
    b.new_version(office.doc, b"Fassung von B")
    a.sync()
    b.sync()
    a.sync()
    assert a.versions(office.doc) == b.versions(office.doc)
    numbers = a.versions(office.doc)
    assert [n for n, _sha, _c in numbers] == [1, 2, 3]
    assert [c for _n, _sha, c in numbers] == [False, False, True]
    contents = {a.store.blobs.read_bytes(sha) for _n, sha, _c in numbers}
    assert {b"Fassung von A", b"Fassung von B"} <= contents
    office.converge()


def test_deleted_on_the_server_while_edited_offline_the_edit_survives(office: Office) -> None:
    a, b = office.clerks
    a.delete(Document, office.doc)
    a.sync()
    b.edit(Document, office.doc, title="Wichtig: bitte behalten")
    b.sync()
    office.converge()
    kept = a.get(Document, office.doc)
    assert kept.deleted_at is None and kept.title == "Wichtig: bitte behalten"


def test_delete_on_both_sides(office: Office) -> None:
    a, b = office.clerks
    a.delete(Document, office.doc)
    b.delete(Document, office.doc)
    a.sync()
    report = b.sync()
    assert report.rejected == 0 and report.conflicts == 0
    office.converge()
    assert b.get(Document, office.doc).deleted_at is not None


def test_move_to_another_case_while_the_target_is_renamed(office: Office) -> None:
    a, b = office.clerks
    a.move(office.doc, office.case2)
    b.edit(Case, office.case2, title="Widerspruch (Eingang Mai)")
    a.sync()
    b.sync()
    office.converge()
    assert b.get(Document, office.doc).case_id == office.case2
    assert a.get(Case, office.case2).title == "Widerspruch (Eingang Mai)"


def test_metadata_merges_field_by_field_and_tags_merge(office: Office) -> None:
    a, b = office.clerks
    a.edit(Document, office.doc, sender="Bauamt Eschwege")
    b.edit(Document, office.doc, recipient="Gemeinde Meinhard")
    a.tag(office.doc, "Eilt")
    b.tag(office.doc, "Bauantrag")
    a.sync()
    report = b.sync()
    assert report.conflicts == 0
    office.converge()
    doc = a.get(Document, office.doc)
    assert (doc.sender, doc.recipient) == ("Bauamt Eschwege", "Gemeinde Meinhard")
    with a.store.read() as s:
        assert operations.tags_of(s, office.doc) == ["Bauantrag", "Eilt"]


def test_umlauts_in_nfc_and_nfd_are_one_value(office: Office) -> None:
    a, b = office.clerks
    nfd = unicodedata.normalize("NFD", "Bauantrag Müller, Weißenborn")
    a.edit(Document, office.doc, title=nfd)
    b.edit(Document, office.doc, title=unicodedata.normalize("NFC", nfd))
    a.sync()
    report = b.sync()
    assert report.conflicts == 0
    office.converge()
    assert a.get(Document, office.doc).title == unicodedata.normalize("NFC", nfd)


def test_permission_withdrawn_while_offline(office: Office) -> None:
    clerk = office.clerks[0]
    api = office.server.client("meinhard", "reg")
    secret = create(
        "dossier",
        {
            "plan_unit_id": office.unit,
            "reference": "022-0099/2026",
            "title": "Personalakte",
            "restricted": True,
            "members": ["reg", "clerk0"],
        },
    )
    assert api.mutate(secret)[0]["status"] == "applied"
    clerk.sync()
    assert clerk.get(Dossier, secret["id"]) is not None
    clerk.edit(Dossier, secret["id"], title="Personalakte (vertraulich)")
    result = api.mutate(update("dossier", secret["id"], 1, members=["reg"]))
    assert result[0]["status"] == "applied", result
    report = clerk.sync()
    assert report.rejected == 1
    assert clerk.get(Dossier, secret["id"]) is None  # dropped from the cache
    with clerk.store.read() as s:
        problem = s.scalars(select(SyncProblem)).one()
        assert problem.entity_id == secret["id"]
        assert "Personalakte (vertraulich)" in str(problem.payload)  # the edit is kept


def test_cache_folder_missing_downloads_again_and_deletes_nothing(office: Office) -> None:
    clerk = office.clerks[0]
    before = office.reg.state()
    clerk.close()
    shutil.rmtree(clerk.root)
    fresh = SyncClient(clerk.root, clerk.account.server_url, "meinhard", "clerk0")
    fresh.login()
    fresh.sync()
    office.reg.sync()
    assert office.reg.state() == before
    assert fresh.state() == before


def test_a_foreign_cache_is_refused(office: Office, tmp_path: Path) -> None:
    clerk = office.clerks[0]
    clerk.close()
    office.server.add_user("meinhard", "intruder")
    other = SyncClient(clerk.root, clerk.account.server_url, "meinhard", "intruder")
    with pytest.raises(ForeignCacheError, match="gehört meinhard/clerk0"):
        other.login()
    with other.store.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 0


def test_many_deletes_wait_for_confirmation(office: Office) -> None:
    clerk = office.clerks[0]
    docs = [clerk.file(office.case2, f"brief-{i}.txt", f"Brief {i}".encode()) for i in range(55)]
    clerk.sync()
    for doc in docs:
        clerk.delete(Document, doc)
    with pytest.raises(MassDeleteError) as caught:
        clerk.sync()
    assert caught.value.count == 55
    office.reg.sync()
    assert office.reg.get(Document, docs[0]).deleted_at is None  # nothing went out
    clerk.sync(allow_mass_delete=True)
    office.reg.sync()
    assert office.reg.get(Document, docs[0]).deleted_at is not None


def test_crash_after_applying_half_a_page_repeats_only_that_page(
    office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    newcomer = make_client(tmp_path, office.server, "meinhard", "newcomer")
    newcomer.engine.page_size = 2
    calls = {"n": 0}
    real = apply_module.apply_records

    def crash_on_third_page(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        result = real(*args, **kwargs)
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return result

    monkeypatch.setattr("sync.engine.pull.apply_records", crash_on_third_page)
    with pytest.raises(RuntimeError, match="power cut"):
        newcomer.sync()
    with newcomer.store.read() as s:
        partial = s.scalar(select(func.count()).select_from(Case))
    assert partial is not None
    monkeypatch.setattr("sync.engine.pull.apply_records", real)
    newcomer.sync()
    assert newcomer.state() == office.reg.state()


def test_a_page_committed_while_the_client_pages_through(office: Office, tmp_path: Path) -> None:
    newcomer = make_client(tmp_path, office.server, "meinhard", "newcomer")
    newcomer.engine.page_size = 2
    done = {"once": False}
    real_report = newcomer.engine._report

    def meanwhile(phase: str, n: int, total: int | None = None) -> None:
        if phase == "pull" and not done["once"]:
            done["once"] = True
            office.reg.edit(Dossier, office.dossier, title="Bauantrag Müller (geändert)")
            office.reg.case(office.dossier, "Nachtrag")
            office.reg.sync()
        real_report(phase, n, total)

    newcomer.engine._report = meanwhile  # type: ignore[method-assign]
    newcomer.sync()
    assert done["once"]
    assert newcomer.state() == office.reg.state()


def test_two_app_instances_on_one_cache_take_turns(office: Office) -> None:
    clerk = office.clerks[0]
    twin = SyncClient(
        clerk.root, clerk.account.server_url, "meinhard", "clerk0", keyring=clerk.keyring
    )
    for i in range(40):
        clerk.edit(Document, office.doc, title=f"Fassung {i}")
    errors: list[BaseException] = []
    busy: list[BaseException] = []

    def run(client: SyncClient) -> None:
        try:
            client.sync()
        except SyncBusyError as exc:
            busy.append(exc)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in (clerk, twin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    clerk.sync()
    office.reg.sync()
    assert office.reg.get(Document, office.doc).title == "Fassung 39"
    office.converge()


def test_the_same_user_on_two_pcs(office: Office, tmp_path: Path) -> None:
    clerk = office.clerks[0]
    laptop = SyncClient(tmp_path / "laptop", clerk.account.server_url, "meinhard", "clerk0")
    laptop.login()
    laptop.sync()
    on_pc = clerk.case(office.dossier, "Am Arbeitsplatz angelegt")
    on_laptop = laptop.case(office.dossier, "Unterwegs angelegt")
    clerk.sync()
    laptop.sync()
    clerk.sync()
    assert clerk.get(Case, on_laptop) is not None and laptop.get(Case, on_pc) is not None
    assert clerk.state() == laptop.state()


def test_an_expired_access_token_is_renewed_mid_sync(office: Office) -> None:
    clerk = office.clerks[0]
    clerk.sync()
    clerk.auth._token = "abgelaufen"  # what a token past its lifetime amounts to
    clerk.edit(Document, office.doc, title="Nach der Pause")
    assert clerk.sync().pushed == 1


def test_server_restored_from_backup_stops_the_sync(
    live_server: LiveServer, server_db_url: str, tmp_path: Path
) -> None:
    if not server_db_url.startswith("sqlite"):
        pytest.skip("the backup copy is made with SQLite's backup API")
    office = Office(live_server, tmp_path, clerks=1)
    db_path = Path(server_db_url.removeprefix("sqlite:///"))
    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(db_path) as source, sqlite3.connect(backup) as dest:
        source.backup(dest)
    clerk = office.clerks[0]
    clerk.case(office.dossier, "Nach der Sicherung")
    clerk.sync()
    live_server.stop()
    with sqlite3.connect(backup) as source, sqlite3.connect(db_path) as dest:
        source.backup(dest)
    restored = start_server(server_db_url, tmp_path / "blobs")
    try:
        clerk.close()
        again = SyncClient(clerk.root, restored.base_url, "meinhard", "clerk0")
        again.login()
        # With a change waiting, too: its push would raise the restored server's counter
        # past our cursor and hide the restore from the pull.
        again.case(office.dossier, "Noch nicht gesendet")
        for _ in range(2):
            with pytest.raises(ServerRestoredError, match="Sicherung"):
                again.sync()
        with again.store.read() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == 4  # nothing dropped
            assert s.scalar(select(func.count()).select_from(OutboxEntry)) > 0  # nor sent
    finally:
        restored.stop()


def test_local_disk_full_stops_with_a_message_and_resumes(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newcomer = make_client(tmp_path, office.server, "meinhard", "newcomer")

    def no_space(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sync.engine.transfers.BlobTransfers._fetch", no_space)
    with pytest.raises(DiskFullError, match="Speicherplatz"):
        newcomer.sync()
    with newcomer.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Blob).where(Blob.present)) == 0
    monkeypatch.undo()
    newcomer.sync()
    with newcomer.store.read() as s:
        version = s.scalars(select(Version).where(Version.document_id == office.doc)).one()
    assert newcomer.store.blobs.read_bytes(version.blob_sha256) == b"Antrag auf Baugenehmigung"


def test_offline_sets_are_kept_and_the_rest_is_evicted_least_recently_used(
    office: Office, tmp_path: Path
) -> None:
    reg = office.reg
    big = [reg.file(office.case2, f"plan-{i}.bin", bytes([i]) * 50_000) for i in range(4)]
    reg.sync()
    clerk = make_client(tmp_path, office.server, "meinhard", "mobile", download_all=False)
    clerk.sync()
    with clerk.write() as s:
        set_offline(s, office.dossier, True)
    clerk.engine.cache_limit_bytes = 60_000
    clerk.sync()  # the offline dossier's current versions come down and stay
    shas = {doc: _sha(clerk, doc) for doc in [office.doc, *big]}
    with clerk.store.read() as s:
        pinned = {b.sha256 for b in s.scalars(select(Blob).where(Blob.pinned, Blob.present))}
    assert pinned == set(shas.values())  # all five are in the offline dossier
    # Out of the offline set, the cache holds at most the limit; unsynced content stays.
    with clerk.write() as s:
        set_offline(s, office.dossier, False)
    local = clerk.new_version(office.doc, b"x" * 70_000)  # not on the server yet
    clerk.engine.cache_limit_bytes = 60_000
    evicted = cache.enforce_limit(clerk.store, 60_000)
    assert evicted > 0
    with clerk.store.read() as s:
        mine = s.get_one(Version, local)
        kept = s.get_one(Blob, mine.blob_sha256)
        assert kept.present  # never evicted before the server has it
    clerk.sync()
    assert cache.cached_bytes(clerk.store) <= 70_000 + 60_000


def _sha(client: SyncClient, document_id: str) -> str:
    with client.store.read() as s:
        doc = s.get_one(Document, document_id)
        return s.scalars(
            select(Version.blob_sha256).where(
                Version.document_id == document_id, Version.number == doc.current_version
            )
        ).one()


def test_two_pcs_number_a_new_dossier_alike_offline(office: Office) -> None:
    a, b = office.clerks
    first = a.dossier(office.unit, "Bauantrag Schmidt")
    second = b.dossier(office.unit, "Bauantrag Weber")
    assert a.get(Dossier, first).reference == b.get(Dossier, second).reference
    a.sync()
    report = b.sync()
    assert report.rejected == 0 and report.delayed == 1
    office.converge()
    ref_a, ref_b = a.get(Dossier, first).reference, a.get(Dossier, second).reference
    assert ref_a != ref_b
    with b.store.read() as s:
        renumbered = s.scalars(select(Event).where(Event.action == "renumbered")).one()
    assert renumbered.details["new"] == ref_b


def test_windows_invalid_names_arrive_as_names_every_pc_can_save(office: Office) -> None:
    a, b = office.clerks
    odd = ["CON.txt", 'Rechnung: "März"?.txt', "bericht \u202egnp.exe", "ende. "]
    docs = [a.file(office.case, name, f"Inhalt {i}".encode()) for i, name in enumerate(odd)]
    assert a.sync().rejected == 0
    b.sync()
    for doc in docs:
        name = b.get(Document, doc).file_name
        assert file_name_problem(name) is None, name
        assert name == a.get(Document, doc).file_name
