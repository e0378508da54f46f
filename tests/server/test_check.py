"""``eakte-server check``: exit codes and report for blobs and audit chains, on SQLite and
PostgreSQL, run through the command line entry point."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, update

from server import audit
from server.blobs.storage import FilesystemBlobStorage
from server.cli.main import main
from server.db.tables import AuditEntry, BlobRow, Municipality, RecordRow
from tests.server.live import LiveServer


@pytest.fixture
def server(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> LiveServer:
    settings = live_server.ctx.settings
    monkeypatch.setenv("EAKTE_SERVER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("EAKTE_SERVER_BLOB_DIR", str(settings.blob_dir))
    return live_server


def run_check(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check"])
    return code, capsys.readouterr().out


def municipality_id(live: LiveServer, slug: str) -> str:
    with live.ctx.db.read() as session:
        return session.scalars(select(Municipality.id).where(Municipality.slug == slug)).one()


def add_blob(live: LiveServer, content: bytes, *, version: bool = True) -> str:
    """Store a blob as an upload would, and (optionally) a version record that uses it."""
    sha = hashlib.sha256(content).hexdigest()
    staged = live.ctx.blobs.staging_path(str(uuid.uuid4()))
    staged.write_bytes(content)
    live.ctx.blobs.commit(sha, staged)
    mid = municipality_id(live, "meinhard")
    with live.ctx.db.write() as session:
        session.add(BlobRow(sha256=sha, size=len(content)))
        if version:
            _add_version(session, mid, sha, len(content))
    return sha


def _add_version(session, mid: str, sha: str, size: int) -> None:
    municipality = session.get(Municipality, mid)
    municipality.change_seq += 1
    document_id = str(uuid.uuid4())
    session.add(
        RecordRow(
            id=str(uuid.uuid4()),
            municipality_id=mid,
            kind="version",
            version=1,
            seq=municipality.change_seq,
            dossier_id=str(uuid.uuid4()),
            parent_id=document_id,
            blob_sha256=sha,
            data={
                "document_id": document_id,
                "number": 1,
                "blob_sha256": sha,
                "size": size,
                "file_name": "scan.pdf",
            },
            created_by="test",
            updated_by="test",
        )
    )


def blob_path(live: LiveServer, sha: str) -> Path:
    storage = live.ctx.blobs
    assert isinstance(storage, FilesystemBlobStorage)
    return storage.path(sha)


def add_audit(live: LiveServer, slug: str, count: int) -> str:
    mid = municipality_id(live, slug)
    with live.ctx.db.write() as session:
        for number in range(count):
            audit.record(session, mid, f"{slug}/tester", "test", details={"n": number})
    return mid


def tamper_audit(live: LiveServer, mid: str) -> None:
    with live.ctx.db.write() as session:
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.municipality_id == mid, AuditEntry.seq == 1)
            .values(details={"n": 42})
        )


def test_clean_server_exits_0(server: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    add_blob(server, b"%PDF-1.7 Bauantrag")
    add_blob(server, b"nur hochgeladen", version=False)
    add_audit(server, "meinhard", 3)
    add_audit(server, "sontra", 2)
    code, out = run_check(capsys)
    assert code == 0, out
    assert "Blobs: 2 geprüft (2 übertragen, 1 von Versionen benutzt); keine Probleme." in out
    assert "Ketten mit 5 Einträgen geprüft; keine Probleme." in out
    assert "Ergebnis: alles in Ordnung. (Exit-Code 0)" in out


def test_empty_server_exits_0(server: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_check(capsys)
    assert code == 0, out
    assert "11 Ketten" in out


def test_corrupted_blob_exits_3(server: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    good = add_blob(server, b"gut")
    flipped = add_blob(server, b"Inhalt vorher")
    blob_path(server, flipped).write_bytes(b"Inhalt_vorher")  # same size, other bytes
    add_audit(server, "meinhard", 2)
    code, out = run_check(capsys)
    assert code == 3, out
    assert f"Blob {flipped}: Inhalt passt nicht zur Prüfsumme" in out
    assert good not in out
    assert "Ergebnis: Blobs fehlerhaft. (Exit-Code 3)" in out


def test_missing_truncated_and_unuploaded_blobs_exit_3(
    server: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = add_blob(server, b"verschwindet")
    blob_path(server, missing).unlink()
    short = add_blob(server, b"abgeschnitten")
    blob_path(server, short).write_bytes(b"abge")
    never = hashlib.sha256(b"nie hochgeladen").hexdigest()
    with server.ctx.db.write() as session:
        _add_version(session, municipality_id(server, "sontra"), never, 15)
    code, out = run_check(capsys)
    assert code == 3, out
    assert f"Blob {missing}: fehlt im Speicher." in out
    assert f"Blob {short}: Größe 4 Bytes statt 13 Bytes." in out
    assert f"Blob {never}: von einer Version benutzt, aber nie vollständig übertragen; fehlt" in out
    assert "3 Probleme" in out


def test_tampered_audit_exits_4(server: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    add_blob(server, b"gut")
    mid = add_audit(server, "sontra", 3)
    tamper_audit(server, mid)
    code, out = run_check(capsys)
    assert code == 4, out
    assert "sontra: Eintrag 1: Inhalt passt nicht zur Prüfsumme" in out
    assert "Ergebnis: Audit-Protokoll fehlerhaft. (Exit-Code 4)" in out


def test_both_exit_5(server: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    sha = add_blob(server, b"beides")
    blob_path(server, sha).write_bytes(b"BEIDES")
    tamper_audit(server, add_audit(server, "meinhard", 1))
    code, out = run_check(capsys)
    assert code == 5, out
    assert "Ergebnis: Blobs und Audit-Protokoll fehlerhaft. (Exit-Code 5)" in out


def test_unreferenced_files_are_only_a_note(
    server: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = hashlib.sha256(b"streuner").hexdigest()
    staged = server.ctx.blobs.staging_path("stray")
    staged.write_bytes(b"streuner")
    server.ctx.blobs.commit(stray, staged)
    code, out = run_check(capsys)
    assert code == 0, out
    assert "Hinweis: 1 Datei im Speicher ohne Verweis." in out


def test_uninitialised_database_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EAKTE_SERVER_DATABASE_URL", f"sqlite:///{tmp_path / 'leer.sqlite3'}")
    monkeypatch.setenv("EAKTE_SERVER_BLOB_DIR", str(tmp_path / "blobs"))
    assert main(["check"]) == 1
