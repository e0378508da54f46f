"""A municipality's records, made through the real API as clients would: blobs uploaded with
PUT, then mutation batches of 500 (``MAX_BATCH``).

The mix, per 50,000 records: 40 plan units, 1,000 dossiers, 4,000 cases, the documents with
one version each (2,000 + 2,000 in the issue's case), and notes on dossiers, cases and
documents for the rest. Records go in dossier by dossier (a dossier, its cases, documents,
versions and notes), as a registry works, so the changes feed interleaves the kinds.
Documents are random bytes, 10-30 KB (20 KB on average), deterministic for a seed.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sync.protocol.mutations import MAX_BATCH
from tests.server.live import ApiClient
from tests.server.records import create, new_id

TOPICS = [
    "Bauantrag", "Widerspruch", "Gewerbeanmeldung", "Baumfällung", "Straßenreinigung",
    "Friedhofsgebühren", "Kita-Platz", "Sondernutzung", "Hundesteuer", "Grundsteuer",
    "Wasseranschluss", "Feuerwehrhaus", "Dorferneuerung", "Spielplatz", "Wahlhelfer",
]  # fmt: skip
NAMES = [
    "Müller", "Schäfer", "Weiß", "Hoffmann", "Köhler", "Groß", "Schröder", "Krüger",
    "Böhm", "Jäger", "Fuß", "Lößner", "Becker", "Wagner", "Schmidt", "Fischer",
]  # fmt: skip
STREETS = [
    "Hauptstraße", "Kirchgasse", "Am Mühlgraben", "Werrastraße", "Schloßberg",
    "Bahnhofstraße", "Lindenweg", "Brückenstraße", "Marktplatz", "Am Sälzerhof",
]  # fmt: skip
NOTES = [
    "Rückfrage beim Antragsteller, Unterlagen fehlen noch.",
    "Frist bis Monatsende verlängert.",
    "Stellungnahme des Bauamts liegt vor.",
    "Telefonat am Vormittag, Termin vereinbart.",
    "Bitte Wiedervorlage in zwei Wochen.",
    "Gebührenbescheid ist raus, Zahlung abwarten.",
]


@dataclass(frozen=True)
class Mix:
    """How many records of each kind make ``records`` records with ``documents`` documents."""

    units: int
    dossiers: int
    cases: int
    documents: int
    notes: int

    @classmethod
    def of(cls, records: int, documents: int) -> Mix:
        units = max(2, records // 1250)
        dossiers = max(1, records // 50)
        cases = max(dossiers, records * 2 // 25)
        notes = records - units - dossiers - cases - 2 * documents
        if notes < 0:
            raise ValueError(f"{records} records cannot hold {documents} documents")
        return cls(units, dossiers, cases, documents, notes)

    @property
    def records(self) -> int:
        return self.units + self.dossiers + self.cases + 2 * self.documents + self.notes


@dataclass
class Seeded:
    records: int = 0
    blobs: dict[str, int] = field(default_factory=dict)  # sha256 -> size
    blob_s: float = 0.0  # seconds for the PUTs
    mutation_s: float = 0.0  # seconds for the batches


def seed(api: ApiClient, records: int, documents: int, seed: int, *, workers: int = 2) -> Seeded:
    """Make the records through ``api`` (a registrar); returns what was stored."""
    rng = random.Random(seed)
    mix = Mix.of(records, documents)
    contents = [rng.randbytes(rng.randint(10_240, 30_720)) for _ in range(documents)]
    out = Seeded()
    started = time.perf_counter()
    # Two connections: the server fsyncs every blob, so a second request overlaps that wait.
    with ThreadPoolExecutor(workers) as pool:
        shas = list(pool.map(_putter(api), contents))
    out.blob_s = time.perf_counter() - started
    out.blobs = {sha: len(data) for sha, data in zip(shas, contents, strict=True)}
    started = time.perf_counter()
    batch: list[dict[str, Any]] = []
    for mutation in _mutations(rng, mix, list(out.blobs.items())):
        batch.append(mutation)
        if len(batch) == MAX_BATCH:
            out.records += _send(api, batch)
            batch = []
    if batch:
        out.records += _send(api, batch)
    out.mutation_s = time.perf_counter() - started
    assert out.records == mix.records, (out.records, mix)
    return out


def _putter(api: ApiClient) -> Callable[[bytes], str]:
    """PUT one blob; a session of its own per thread (a Session is not thread-safe)."""
    local = threading.local()

    def put(data: bytes) -> str:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = ApiClient(api.base_url)
            session.headers.update(api.headers)
        sha = hashlib.sha256(data).hexdigest()
        response = session.put(f"/api/v1/blobs/{sha}", data=data)
        assert response.status_code in (200, 201), response.text
        return sha

    return put


def _send(api: ApiClient, batch: list[dict[str, Any]]) -> int:
    results = api.mutate(*batch)
    refused = [r for r in results if r["status"] != "applied"]
    assert not refused, refused[:3]
    return len(results)


def _mutations(
    rng: random.Random, mix: Mix, blobs: list[tuple[str, int]]
) -> Iterator[dict[str, Any]]:
    units = [new_id() for _ in range(mix.units)]
    for i, unit in enumerate(units):
        code = f"{100 + i // 10}.{i % 10}"
        fields = {"code": code, "title": f"{rng.choice(TOPICS)} ({code})"}
        yield create("plan_unit", {**fields, "retention_years": 10, "disposal": "B"}, unit)
    cases_left, docs_left, notes_left = mix.cases, mix.documents, mix.notes
    blob_at = 0
    for d in range(mix.dossiers):
        remaining = mix.dossiers - d
        n_cases = _share(cases_left, remaining)
        n_docs = _share(docs_left, remaining)
        n_notes = _share(notes_left, remaining)
        cases_left, docs_left, notes_left = (
            cases_left - n_cases,
            docs_left - n_docs,
            notes_left - n_notes,
        )
        dossier = new_id()
        name, street = rng.choice(NAMES), rng.choice(STREETS)
        yield create(
            "dossier",
            {
                "plan_unit_id": units[d % len(units)],
                "reference": f"{100 + d % 40}-{d + 1:04d}/2026",
                "title": f"{rng.choice(TOPICS)} {name}, {street} {rng.randint(1, 80)}",
                "description": f"Akte angelegt für {name}",
                "opened_on": "2026-03-02",
            },
            dossier,
        )
        targets: list[tuple[str, str]] = [("dossier", dossier)]
        cases = [new_id() for _ in range(n_cases)]
        for k, case in enumerate(cases):
            yield create(
                "case", {"dossier_id": dossier, "title": f"{rng.choice(TOPICS)} {k + 1}"}, case
            )
            targets.append(("case", case))
        for k in range(n_docs):
            doc, (sha, size) = new_id(), blobs[blob_at]
            blob_at += 1
            file_name = f"scan-{blob_at:05d}.pdf"
            yield create(
                "document",
                {
                    "dossier_id": dossier,
                    "case_id": cases[k % len(cases)] if cases else None,
                    "title": f"Schreiben {rng.choice(NAMES)} zum {rng.choice(TOPICS)}",
                    "doc_type": "pdf",
                    "mime_type": "application/pdf",
                    "file_name": file_name,
                    "sender": f"{rng.choice(NAMES)}, {rng.choice(STREETS)} {rng.randint(1, 80)}",
                    "received_on": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                },
                doc,
            )
            yield create(
                "version",
                {
                    "document_id": doc,
                    "number": 1,
                    "blob_sha256": sha,
                    "size": size,
                    "file_name": file_name,
                    "created_by": "registratur",
                },
            )
            targets.append(("document", doc))
        for _ in range(n_notes):
            kind, target = rng.choice(targets)
            yield create(
                "note",
                {"target_kind": kind, "target_id": target, "text": rng.choice(NOTES)},
            )


def _share(left: int, parts: int) -> int:
    """An even share of ``left`` over ``parts``, rounded so that the last part takes the rest."""
    return -(-left // parts) if parts else left
