"""``eakte-server init --demo``: the seed bundle goes in through the real mutation code, the
demo users can log in and sync it, and a second run adds nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from server.check import check_blobs
from server.db.tables import AuditEntry, BlobOwner, BlobRow, RecordRow, User
from server.demo import (
    CLERK,
    DEFAULT_PASSWORD,
    PASSWORD_ENV,
    REGISTRAR,
    DemoSeedError,
    bundle_dir,
    seed_demo,
)
from tests.server.live import ApiClient, LiveServer

SEED = json.loads((bundle_dir() / "seed.json").read_text(encoding="utf-8"))
CREATES = [m for m in SEED["mutations"] if m["op"] == "create"]


@pytest.fixture(autouse=True)
def _default_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


def pull_all(api: ApiClient) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        response = api.get("/api/v1/changes", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes


def totals(live: LiveServer) -> dict[str, int]:
    with live.ctx.db.read() as session:
        return {
            table.__name__: session.scalar(select(func.count()).select_from(table)) or 0
            for table in (RecordRow, BlobRow, BlobOwner, User, AuditEntry)
        }


def test_seeded_demo_syncs_to_the_demo_registrar(live_server: LiveServer) -> None:
    summary = seed_demo(live_server.ctx)
    assert summary.startswith("Demodaten für Gemeinde Meinhard angelegt")
    assert f"Passwort „{DEFAULT_PASSWORD}“" in summary

    api = live_server.client()
    tokens = api.login("meinhard", REGISTRAR.login, DEFAULT_PASSWORD)
    assert tokens["user"]["role"] == "registrar"
    records = {r["id"]: r for r in pull_all(api)}
    assert set(records) == {m["id"] for m in CREATES}
    for m in CREATES:
        record = records[m["id"]]
        assert record["kind"] == m["kind"] and record["municipality"] == "meinhard"
        fields = {**m["fields"]}
        if m["kind"] == "dossier" and fields["restricted"]:
            fields["members"] = [REGISTRAR.login]  # the creator stays a member
        assert record["fields"] == fields
    closed = {m["id"] for m in SEED["mutations"] if m["op"] == "close"}
    assert closed and {i for i, r in records.items() if r["closed_at"]} == closed

    version = next(m["fields"] for m in CREATES if m["kind"] == "version")
    response = api.get(f"/api/v1/blobs/{version['blob_sha256']}")
    assert response.status_code == 200, response.text
    assert hashlib.sha256(response.content).hexdigest() == version["blob_sha256"]
    assert response.content == (bundle_dir() / "blobs" / version["blob_sha256"]).read_bytes()

    # The full text went in with the documents: the server's search finds it.
    document = next(m for m in CREATES if m["kind"] == "document" and m.get("text"))
    word = max(document["text"].split(), key=len).strip(".,;:()")
    hits = api.get("/api/v1/search", params={"q": word}).json()["hits"]
    assert document["id"] in {h["document_id"] for h in hits}

    with live_server.ctx.db.read() as session:
        report = check_blobs(session, live_server.ctx.blobs)
    assert report.problems == [] and report.registered == len(SEED["blobs"])


def test_demo_clerk_sees_no_restricted_dossier_and_a_second_seed_adds_nothing(
    live_server: LiveServer,
) -> None:
    seed_demo(live_server.ctx)
    api = live_server.client()
    assert api.login("meinhard", CLERK.login, DEFAULT_PASSWORD)["user"]["role"] == "clerk"
    seen = {r["id"] for r in pull_all(api)}
    restricted = {m["id"] for m in CREATES if m["kind"] == "dossier" and m["fields"]["restricted"]}
    assert restricted and not restricted & seen
    assert len(seen) < len(CREATES)

    before = totals(live_server)
    summary = seed_demo(live_server.ctx)
    assert summary.startswith("Demo-Daten bereits vorhanden")
    assert "Passwort unverändert" in summary
    assert totals(live_server) == before
    assert before["RecordRow"] == len(CREATES)


def small_bundle(folder: Path, mutations: list[dict[str, Any]]) -> Path:
    """A bundle of a few record mutations and no files: quick to seed."""
    folder.mkdir()
    (folder / "blobs").mkdir()
    data = {**SEED, "blobs": [], "mutations": mutations}
    (folder / "seed.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_password_from_the_environment_is_used_and_not_printed(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "Geheim-Demo-4711")
    summary = seed_demo(live_server.ctx, small_bundle(tmp_path / "seed", CREATES[:2]))
    assert "Geheim-Demo-4711" not in summary and PASSWORD_ENV in summary
    assert "2 Aktenplaneinheiten" in summary
    live_server.client().login("meinhard", REGISTRAR.login, "Geheim-Demo-4711")


def test_a_refused_mutation_stops_the_seed_and_keeps_nothing_of_its_batch(
    live_server: LiveServer, tmp_path: Path
) -> None:
    orphan = next(m for m in CREATES if m["kind"] == "case")  # its dossier is not in the bundle
    bundle = small_bundle(tmp_path / "seed", [*CREATES[:2], {**orphan, "mutation_id": 3}])
    with pytest.raises(DemoSeedError, match=rf"#3 create case {orphan['id']}: rejected"):
        seed_demo(live_server.ctx, bundle)
    assert totals(live_server)["RecordRow"] == 0


def test_a_corrupt_bundle_blob_stops_the_seed_before_any_record(
    live_server: LiveServer, tmp_path: Path
) -> None:
    broken = tmp_path / "seed"
    shutil.copytree(bundle_dir(), broken)
    sha = SEED["blobs"][0]["sha256"]
    content = bytearray((broken / "blobs" / sha).read_bytes())
    content[len(content) // 2] ^= 0xFF
    (broken / "blobs" / sha).write_bytes(bytes(content))
    with pytest.raises(DemoSeedError, match="Prüfsumme"):
        seed_demo(live_server.ctx, broken)
    assert totals(live_server)["RecordRow"] == 0
    assert not live_server.ctx.blobs.exists(sha)
    assert not any(live_server.ctx.blobs.staging.iterdir())  # type: ignore[attr-defined]
