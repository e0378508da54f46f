"""The demo as a seed bundle for the server: ``seed.json`` plus ``blobs/<sha256>``.

The server may import nothing of ``sync`` but the wire protocol (DESIGN.md, layers), so it
cannot run the demo generator. Instead the client generates the demo once, through the real
filing pipeline, and writes it down in the protocol's own terms: every record as a ``create``
mutation (``sync.protocol.mutations.Mutation``), soft deletes and zdA as ``delete``/``close``
mutations after all creates, and every blob a version refers to. ``server.demo`` replays the
mutations through the server's real mutation code, so the server demo is filed by the same
rules as a client's outbox.

The bundle is stable across runs, so that regenerating it only changes what really changed:
the demo content depends only on the seed; record ids are uuid5 values derived from the kind
and the creation order (the local uuid4 ids are random); no timestamps are written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from sync.blobs.store import BlobStore
from sync.engine.wire_fields import wire_fields
from sync.errors import ValidationError
from sync.protocol.mutations import MAX_TEXT, Mutation
from sync.protocol.records import FIELDS_BY_KIND
from sync.records.model import (
    Case,
    Document,
    DocumentTag,
    Dossier,
    Event,
    Municipality,
    Note,
    PlanUnit,
    Tag,
    Version,
)
from sync.store.database import Store

log = logging.getLogger("eakte.demo")

FORMAT = 1
SEED_FILE = "seed.json"
BLOB_DIR = "blobs"
README = "README.md"
# The bundle is committed to the repository and shipped in the wheel: keep it small.
MAX_BUNDLE_BYTES = 3 * 1024 * 1024
DEFAULT_DOSSIERS, DEFAULT_DOCUMENTS, DEFAULT_SEED = 12, 60, 1
# Record ids are uuid5(NAMESPACE, "<kind>/<n>"): the n-th record of that kind the demo made.
NAMESPACE = uuid.UUID("c767f86f-2fa2-4a36-b707-538186bdc6ab")
# Which record a mutation depends on, per kind: (field, kind of the referenced record).
PARENT_FIELDS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "plan_unit": (("parent_id", "plan_unit"),),
    "dossier": (("plan_unit_id", "plan_unit"),),
    "case": (("dossier_id", "dossier"),),
    "document": (
        ("dossier_id", "dossier"),
        ("case_id", "case"),
        ("parent_document_id", "document"),
    ),
    "version": (("document_id", "document"),),
    "note": (("target_id", None),),  # the kind is in target_kind
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class BundleInfo:
    folder: Path
    counts: dict[str, int]  # create mutations per kind, and "close"/"delete"
    blobs: int
    size: int  # bytes of seed.json and blobs together

    def summary(self) -> str:
        c = self.counts
        return (
            f"Startpaket in {self.folder}: {c.get('plan_unit', 0)} Aktenplaneinheiten, "
            f"{c.get('dossier', 0)} Akten, {c.get('case', 0)} Vorgänge, "
            f"{c.get('document', 0)} Dokumente, {c.get('version', 0)} Versionen, "
            f"{c.get('note', 0)} Notizen, {c.get('close', 0)} zdA; {self.blobs} Dateien, "
            f"{self.size / 1024 / 1024:.1f} MB."
        )


def export_seed_bundle(
    out: Path,
    *,
    dossiers: int = DEFAULT_DOSSIERS,
    documents: int = DEFAULT_DOCUMENTS,
    seed: int = DEFAULT_SEED,
    municipality_slug: str = "meinhard",
) -> BundleInfo:
    """Generate the demo in a temporary store and write it as a bundle into ``out``."""
    from sync.demo.generator import generate_demo_store  # heavy: the sample makers
    from sync.filing.thumbnails import generate_thumbnails

    _check_target(out)  # before the generator's work, not after it
    # The store closes before its temporary folder goes (Windows cannot delete open files).
    with (
        tempfile.TemporaryDirectory(prefix="eakte-seed-") as tmp,
        Store.open(Path(tmp) / "store") as store,
    ):
        summary = generate_demo_store(
            store,
            dossiers=dossiers,
            documents=documents,
            seed=seed,
            municipality_slug=municipality_slug,
        )
        generate_thumbnails(store)
        about = {
            "generator": {"dossiers": dossiers, "documents": documents, "seed": seed},
            "summary": summary,
        }
        with store.read() as session:
            bundle = build_bundle(session, store.blobs, about)
        return write_bundle(out, bundle, store.blobs)


# -- records to mutations ------------------------------------------------------------------


class _Ids:
    """Local uuid4 -> stable uuid5, numbered per kind in the order the demo created them
    (the event log's order, which the deterministic generator fixes)."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(Event.entity_kind, Event.entity_id)
            .where(Event.action == "create")
            .order_by(Event.id)
        )
        counters: Counter[str] = Counter()
        self.wire: dict[str, str] = {}
        self.rank: dict[str, int] = {}
        for kind, local_id in rows:
            if local_id in self.wire:
                continue
            counters[kind] += 1
            self.wire[local_id] = str(uuid.uuid5(NAMESPACE, f"{kind}/{counters[kind]}"))
            self.rank[local_id] = counters[kind]

    def of(self, local_id: str) -> str:
        return self.wire[local_id]

    def opt(self, local_id: str | None) -> str | None:
        return None if local_id is None else self.wire[local_id]


class _Mutations:
    """Validated mutations, numbered 1, 2, ...; tracks each record's server version so that
    a ``close`` or ``delete`` carries the base version it will meet on the server."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.versions: dict[str, int] = {}
        self.counts: Counter[str] = Counter()

    def create(self, kind: str, wire_id: str, fields: dict[str, Any], text: str = "") -> None:
        try:
            model = FIELDS_BY_KIND[kind].model_validate(fields)
        except PydanticValidationError as exc:
            raise ValidationError(
                f"Der Demo-Eintrag {kind} {wire_id} passt nicht zum Protokoll: {exc}"
            ) from exc
        item: dict[str, Any] = {
            "mutation_id": len(self.items) + 1,
            "kind": kind,
            "id": wire_id,
            "op": "create",
            "fields": model.model_dump(mode="json"),
        }
        if text:
            item["text"] = text[:MAX_TEXT]
        self._add(item)
        self.versions[wire_id] = 1
        self.counts[kind] += 1

    def change(self, kind: str, wire_id: str, op: str) -> None:
        item = {
            "mutation_id": len(self.items) + 1,
            "kind": kind,
            "id": wire_id,
            "op": op,
            "base_version": self.versions[wire_id],
        }
        self._add(item)
        self.versions[wire_id] += 1
        self.counts[op] += 1

    def _add(self, item: dict[str, Any]) -> None:
        Mutation.model_validate(item)
        self.items.append(item)


def _by_rank(ids: _Ids, rows: Iterable[Any]) -> list[Any]:
    return sorted(rows, key=lambda row: ids.rank[row.id])


def build_bundle(
    session: Session, blobs: BlobStore, about: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The store's records as mutations in dependency order, and the blobs they need;
    ``about`` (how the demo was made) goes near the top of ``seed.json``."""
    ids = _Ids(session)
    out = _Mutations()
    units = _by_rank(ids, session.scalars(select(PlanUnit)))
    dossiers = _by_rank(ids, session.scalars(select(Dossier)))
    cases = _by_rank(ids, session.scalars(select(Case)))
    documents = _by_rank(ids, session.scalars(select(Document)))
    notes = _by_rank(ids, session.scalars(select(Note)))
    versions = sorted(
        session.scalars(select(Version)), key=lambda v: (ids.rank[v.document_id], v.number)
    )
    for u in units:
        out.create("plan_unit", ids.of(u.id), _unit_fields(u, ids))
    for d in dossiers:
        out.create("dossier", ids.of(d.id), _dossier_fields(d, ids))
    for c in cases:
        out.create("case", ids.of(c.id), wire_fields("case", c, ids=ids.of))
    texts = _texts(session)
    tags = _tags(session)
    for doc in documents:
        fields = _document_fields(doc, ids, tags.get(doc.id, []))
        out.create("document", ids.of(doc.id), fields, texts.get(doc.id, ""))
    for v in versions:
        out.create("version", ids.of(v.id), _version_fields(v, ids))
    for n in notes:
        out.create("note", ids.of(n.id), wire_fields("note", n, ids=ids.of))
    # Deletes before zdA: a closed case or dossier refuses every change inside it.
    deletable: list[tuple[str, Any]] = [
        *(("note", n) for n in notes),
        *(("document", d) for d in documents),
        *(("case", c) for c in cases),
        *(("dossier", d) for d in dossiers),
        *(("plan_unit", u) for u in units),
    ]
    for kind, row in deletable:
        if row.deleted_at is not None:
            out.change(kind, ids.of(row.id), "delete")
    # Cases before dossiers: closing a dossier closes its open cases (and bumps their version).
    for kind, rows in (("case", cases), ("dossier", dossiers)):
        for row in rows:
            if row.closed_at is not None:
                out.change(kind, ids.of(row.id), "close")
    problems = dependency_problems(out.items)
    if problems:
        raise ValidationError("Startpaket in falscher Reihenfolge: " + "; ".join(problems[:5]))
    return {
        "format": FORMAT,
        **(about or {}),
        "municipalities": sorted(session.scalars(select(Municipality.slug))),
        "counts": dict(sorted(out.counts.items())),
        "blobs": _blob_list(versions, blobs),
        "mutations": out.items,
    }


def _unit_fields(u: PlanUnit, ids: _Ids) -> dict[str, Any]:
    return wire_fields("plan_unit", u, ids=ids.of)


def _dossier_fields(d: Dossier, ids: _Ids) -> dict[str, Any]:
    # No members: whoever creates a restricted dossier on the server becomes its member, and
    # the demo registrar does; the demo clerk then sees what a restriction hides.
    return wire_fields("dossier", d, ids=ids.of)


def _document_fields(doc: Document, ids: _Ids, tags: list[str]) -> dict[str, Any]:
    return wire_fields("document", doc, ids=ids.of, tags=tags)


def _version_fields(v: Version, ids: _Ids) -> dict[str, Any]:
    return wire_fields("version", v, ids=ids.of)


def _texts(session: Session) -> dict[str, str]:
    """The extracted full text the store keeps for its search index."""
    rows = session.execute(sql("SELECT document_id, text FROM document_texts"))
    return {str(document_id): str(text or "") for document_id, text in rows}


def _tags(session: Session) -> dict[str, list[str]]:
    rows = session.execute(select(DocumentTag.document_id, Tag.name).join(Tag))
    tags: dict[str, list[str]] = defaultdict(list)
    for document_id, name in rows:
        tags[document_id].append(name)
    return {k: sorted(v) for k, v in tags.items()}


def _blob_list(versions: list[Version], blobs: BlobStore) -> list[dict[str, Any]]:
    wanted = {v.blob_sha256 for v in versions}
    wanted |= {v.thumbnail_sha256 for v in versions if v.thumbnail_sha256}
    return [{"sha256": sha, "size": blobs.size(sha)} for sha in sorted(wanted)]


def dependency_problems(mutations: list[dict[str, Any]]) -> list[str]:
    """Mutations that name a record not created before them (empty when the order is right)."""
    seen: dict[str, str] = {}  # wire id -> kind
    problems: list[str] = []
    for m in mutations:
        if m["op"] != "create":
            if m["id"] not in seen:
                problems.append(f"{m['op']} {m['kind']} {m['id']} vor seiner Anlage")
            continue
        fields = m["fields"]
        for name, kind in PARENT_FIELDS[m["kind"]]:
            ref = fields.get(name)
            want = kind or fields.get("target_kind")
            if ref is not None and seen.get(ref) != want:
                problems.append(f"{m['kind']} {m['id']}: {name} {ref} fehlt davor")
        seen[m["id"]] = m["kind"]
    return problems


# -- writing -------------------------------------------------------------------------------


def write_bundle(out: Path, bundle: dict[str, Any], blobs: BlobStore) -> BundleInfo:
    """Write ``seed.json`` and ``blobs/``; blobs of an earlier bundle that are no longer
    needed are removed. A folder that holds anything else than a bundle is refused."""
    payload = _dumps(bundle).encode("utf-8")
    wanted = {b["sha256"]: int(b["size"]) for b in bundle["blobs"]}
    size = len(payload) + sum(wanted.values())
    if size > MAX_BUNDLE_BYTES:
        raise ValidationError(
            f"Das Startpaket wäre {size / 1024 / 1024:.1f} MB groß (höchstens "
            f"{MAX_BUNDLE_BYTES / 1024 / 1024:.0f} MB). Bitte weniger Akten oder Dokumente wählen."
        )
    _check_target(out)
    blob_dir = out / BLOB_DIR
    blob_dir.mkdir(parents=True, exist_ok=True)
    for sha in sorted(wanted):
        target = blob_dir / sha
        if target.is_file() and _sha256(target) == sha:
            continue
        _replace(target, blobs.read_bytes(sha))  # verified: never ship a corrupt file
    for stray in blob_dir.iterdir():
        if stray.is_file() and stray.name not in wanted:
            stray.unlink()
    _replace(out / SEED_FILE, payload)
    return BundleInfo(out, dict(bundle["counts"]), len(wanted), size)


def _dumps(bundle: dict[str, Any]) -> str:
    """JSON with one blob or mutation per line: readable, and a regenerated bundle diffs
    line by line."""
    parts = []
    for key, value in bundle.items():
        if key in ("blobs", "mutations"):
            items = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
            text = f"[\n{items}\n ]" if value else "[]"
        else:
            text = json.dumps(value, ensure_ascii=False)
        parts.append(f" {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _check_target(out: Path) -> None:
    if not out.exists() or (out / SEED_FILE).exists():
        return
    foreign = [p.name for p in out.iterdir() if p.name not in (BLOB_DIR, README)]
    if foreign:
        raise ValidationError(
            f"Der Ordner „{out}“ enthält andere Dateien ({', '.join(sorted(foreign)[:3])}) und "
            "wird nicht als Startpaket benutzt. Bitte einen leeren Ordner angeben."
        )


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _replace(target: Path, data: bytes) -> None:
    """Write via a temporary file and rename: a bundle is never left half-written."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).chmod(0o644)  # mkstemp makes it private; the bundle is for everyone
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_bundle(folder: Path) -> dict[str, Any]:
    """``seed.json`` of a bundle (for tests and tools; the server has its own reader)."""
    data: dict[str, Any] = json.loads((folder / SEED_FILE).read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValidationError(f"Unbekanntes Format des Startpakets: {data.get('format')!r}.")
    for blob in data["blobs"]:
        if not _SHA256.match(blob["sha256"]):
            raise ValidationError(f"Ungültiger Dateiname im Startpaket: {blob['sha256']!r}.")
    return data


__all__ = [
    "MAX_BUNDLE_BYTES",
    "BundleInfo",
    "build_bundle",
    "dependency_problems",
    "export_seed_bundle",
    "read_bundle",
    "write_bundle",
]
