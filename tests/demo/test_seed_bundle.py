"""The server's demo seed bundle: the committed one in resources/demo/seed, and the exporter."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from sync.cli.main import main
from sync.demo.seed_bundle import (
    MAX_BUNDLE_BYTES,
    SEED_FILE,
    dependency_problems,
    export_seed_bundle,
    read_bundle,
)
from sync.errors import ValidationError
from sync.protocol.mutations import MAX_TEXT, Mutation
from sync.protocol.records import CLIENT_KINDS, FIELDS_BY_KIND
from sync.store.paths import resources_dir

COMMITTED = resources_dir() / "demo" / "seed"
# Which fields name another record, and of which kind (None: the kind is in target_kind).
PARENTS: dict[str, dict[str, str | None]] = {
    "plan_unit": {"parent_id": "plan_unit"},
    "dossier": {"plan_unit_id": "plan_unit"},
    "case": {"dossier_id": "dossier"},
    "document": {
        "dossier_id": "dossier",
        "case_id": "case",
        "parent_document_id": "document",
    },
    "version": {"document_id": "document"},
    "note": {"target_id": None},
}


def check_bundle(folder: Path) -> dict[str, Any]:
    """Every property a bundle must have for ``server.demo`` to load it; returns seed.json."""
    data = read_bundle(folder)
    mutations = data["mutations"]
    assert [m["mutation_id"] for m in mutations] == list(range(1, len(mutations) + 1))

    created: dict[str, str] = {}  # id -> kind, in bundle order
    versions: dict[str, int] = {}
    first_change = None
    for position, m in enumerate(mutations):
        Mutation.model_validate(m)
        assert m["kind"] in CLIENT_KINDS
        assert uuid.UUID(m["id"]).version == 5, "ids are stable uuid5 values"
        if m["op"] == "create":
            assert first_change is None, "creates come before every delete and close"
            FIELDS_BY_KIND[m["kind"]].model_validate(m["fields"])
            for name, kind in PARENTS[m["kind"]].items():
                ref = m["fields"].get(name)
                if ref is not None:
                    want = kind or m["fields"]["target_kind"]
                    assert created.get(ref) == want, f"{m['kind']} {m['id']}: {name} not before"
            assert m["id"] not in created
            created[m["id"]] = m["kind"]
            versions[m["id"]] = 1
        else:
            first_change = first_change if first_change is not None else position
            assert m["id"] in created
            assert m["base_version"] == versions[m["id"]]
            versions[m["id"]] += 1
        assert len(m.get("text") or "") <= MAX_TEXT
    assert dependency_problems(mutations) == []

    listed = {b["sha256"]: b["size"] for b in data["blobs"]}
    referenced: set[str] = set()
    for m in mutations:
        if m["kind"] == "version" and m["op"] == "create":
            fields = m["fields"]
            assert listed[fields["blob_sha256"]] == fields["size"]
            referenced.add(fields["blob_sha256"])
            if fields["thumbnail_sha256"]:
                referenced.add(fields["thumbnail_sha256"])
    assert referenced == set(listed), "every listed blob is used, every used blob listed"
    files = {p.name: p for p in (folder / "blobs").iterdir()}
    assert set(files) == set(listed)
    for sha, size in listed.items():
        content = files[sha].read_bytes()
        assert len(content) == size
        assert hashlib.sha256(content).hexdigest() == sha

    total = (folder / SEED_FILE).stat().st_size + sum(listed.values())
    assert total < MAX_BUNDLE_BYTES
    counts: dict[str, int] = {}
    for m in mutations:
        key = m["kind"] if m["op"] == "create" else m["op"]
        counts[key] = counts.get(key, 0) + 1
    assert data["counts"] == counts
    return data


# -- the committed bundle ------------------------------------------------------------------


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    return check_bundle(COMMITTED)


def test_committed_bundle_is_valid_and_small(committed: dict[str, Any]) -> None:
    counts = committed["counts"]
    assert counts["dossier"] >= 10 and counts["document"] >= 50
    assert counts["version"] == counts["document"]
    assert counts["case"] > counts["dossier"] and counts["note"] > 0


def test_committed_bundle_belongs_to_one_known_municipality(committed: dict[str, Any]) -> None:
    known = json.loads((resources_dir() / "municipalities.json").read_text(encoding="utf-8"))
    assert committed["municipalities"] == ["meinhard"]
    assert "meinhard" in {m["slug"] for m in known["municipalities"]}


def test_committed_bundle_shows_zda_restriction_attachments_and_full_text(
    committed: dict[str, Any],
) -> None:
    mutations = committed["mutations"]
    closes = [m for m in mutations if m["op"] == "close"]
    assert closes and {m["kind"] for m in closes} <= {"case", "dossier"}
    creates = [m for m in mutations if m["op"] == "create"]
    dossiers = [m["fields"] for m in creates if m["kind"] == "dossier"]
    assert any(d["restricted"] for d in dossiers)
    documents = [m for m in creates if m["kind"] == "document"]
    assert any(d["fields"]["parent_document_id"] for d in documents), "mail attachments"
    assert sum(bool(d.get("text")) for d in documents) > len(documents) // 2
    assert {d["fields"]["doc_type"] for d in documents} >= {"pdf", "email", "image", "office"}
    assert any(d["fields"]["tags"] for d in documents)
    assert all("text" not in m for m in creates if m["kind"] != "document")


# -- the exporter --------------------------------------------------------------------------

TINY = ["--dossiers", "2", "--documents", "6", "--seed", "5"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "bundle"
    assert main(["export-seed", str(out), *TINY]) == 0
    return out


def test_exporter_writes_a_valid_bundle(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = check_bundle(tiny)
    assert data["generator"] == {"dossiers": 2, "documents": 6, "seed": 5}
    assert data["counts"]["dossier"] == 2
    assert data["counts"]["close"] == 1
    assert data["summary"].startswith("Demodaten für Gemeinde Meinhard")


def test_exporter_is_deterministic_and_replaces_an_old_bundle(tiny: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    (again / "blobs").mkdir(parents=True)
    (again / SEED_FILE).write_text("{}", encoding="utf-8")  # an older bundle
    stale = again / "blobs" / ("0" * 64)
    stale.write_bytes(b"old")
    export_seed_bundle(again, dossiers=2, documents=6, seed=5)
    assert (again / SEED_FILE).read_bytes() == (tiny / SEED_FILE).read_bytes()
    assert not stale.exists()
    assert sorted(p.name for p in (again / "blobs").iterdir()) == sorted(
        p.name for p in (tiny / "blobs").iterdir()
    )


def test_exporter_refuses_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    (tmp_path / "wichtig.docx").write_bytes(b"not ours")
    with pytest.raises(ValidationError, match="andere Dateien"):
        export_seed_bundle(tmp_path, dossiers=1, documents=1, seed=1)
    assert (tmp_path / "wichtig.docx").read_bytes() == b"not ours"
    assert not (tmp_path / SEED_FILE).exists()
