"""Quick local timing check of the search (not a test; no thresholds).

    uv run python -m tests.search.timing_check --docs 20000 [--root /tmp/eakte-search-bench]

Builds a store with synthetic German-ish documents (Zipf-distributed vocabulary, umlauts,
some long texts), then times ``search()`` against the raw FTS5 query for the same terms.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from sync.search import SearchFilters, index_document, rebuild_index, search
from sync.search.query import parse
from sync.store.database import Store

FUNCTION_WORDS = [
    "und",
    "der",
    "die",
    "das",
    "mit",
    "für",
    "von",
    "auf",
    "im",
    "zu",
    "den",
    "ist",
    "nicht",
    "ein",
    "eine",
    "wird",
    "werden",
    "bitte",
]
TOPIC_WORDS = [
    "Bauantrag",
    "Baugenehmigung",
    "Straße",
    "Hauptstraße",
    "Müller",
    "Meier",
    "Schäfer",
    "Gebühr",
    "Bescheid",
    "Widerspruch",
    "Feuerwehr",
    "Quelle",
    "Wasserversorgung",
    "Abwasser",
    "Grundsteuer",
    "Gewerbesteuer",
    "Friedhof",
    "Kindergarten",
    "Gemeinderat",
    "Sitzung",
    "Niederschrift",
    "Bürgermeister",
    "Haushalt",
    "Förderung",
    "Zuschuss",
    "Straßenbeleuchtung",
    "Brücke",
    "Mauer",
    "aktuell",
    "Bürger",
    "Anhörung",
    "Frist",
    "Verlängerung",
    "Zustimmung",
    "Ablehnung",
    "Grundstück",
    "Flurstück",
    "Gemarkung",
    "Eigentümer",
    "Pacht",
    "Vertrag",
    "Kündigung",
    "Rechnung",
    "Mahnung",
    "Zahlung",
    "Überweisung",
    "Schule",
    "Turnhalle",
    "Sportplatz",
]
SYLLABLES = [a + b for a in "bklmnrst" for b in ("a", "e", "o", "u", "ei", "au")]
SYLLABLES += ["ber", "stein", "feld", "haus", "bach", "burg", "dorf"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    """Zipf ranks: function words on top, topic words spread over ranks 40..2000."""
    words = list(FUNCTION_WORDS)
    topics = iter(TOPIC_WORDS)
    while len(words) < size:
        if len(words) >= 40 and len(words) % 40 == 0:
            word = next(topics, None)
            if word is not None:
                words.append(word)
                continue
        words.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return words


def build(root: Path, docs: int, seed: int = 7) -> Store:
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 30_000)
    cum: list[float] = []
    total = 0.0
    for i in range(len(vocab)):
        total += 1.0 / (i + 1)
        cum.append(total)
    store = Store.open(root)
    now = "2026-01-01 00:00:00"
    with store.write() as s:
        s.execute(
            text("INSERT INTO municipalities VALUES ('m', 'bench', 'Bench', '{plan}-{number}')")
        )
        s.execute(
            text("INSERT INTO file_plans VALUES ('m', 'Plan', 0, 'fp', :t, :t, NULL, NULL)"),
            {"t": now},
        )
        s.execute(
            text(
                "INSERT INTO plan_units (file_plan_id, code, title, id, created_at, updated_at)"
                " VALUES ('fp', '1', 'Unit', 'pu', :t, :t)"
            ),
            {"t": now},
        )
        dossiers = [str(uuid.uuid4()) for _ in range(max(docs // 200, 1))]
        cases: list[tuple[str, str]] = []
        for n, dossier in enumerate(dossiers):
            s.execute(
                text(
                    "INSERT INTO dossiers (municipality_id, plan_unit_id, reference, title,"
                    " description, restricted, id, created_at, updated_at) VALUES"
                    " ('m', 'pu', :ref, :title, '', 0, :id, :t, :t)"
                ),
                {
                    "ref": f"1-{n:04d}/2026",
                    "title": " ".join(rng.choices(TOPIC_WORDS, k=3)),
                    "id": dossier,
                    "t": now,
                },
            )
            for _ in range(10):
                case = str(uuid.uuid4())
                cases.append((case, dossier))
                s.execute(
                    text(
                        "INSERT INTO cases (dossier_id, title, description, id, created_at,"
                        " updated_at) VALUES (:d, :title, '', :id, :t, :t)"
                    ),
                    {
                        "d": dossier,
                        "title": " ".join(rng.choices(TOPIC_WORDS, k=3)),
                        "id": case,
                        "t": now,
                    },
                )
        first_ids: list[str] = []
        for chunk in range(0, docs, 2000):
            doc_rows, text_rows = [], []
            for _ in range(min(2000, docs - chunk)):
                case, dossier = rng.choice(cases)
                doc_id = str(uuid.uuid4())
                long_text = rng.random() >= 0.98
                words = rng.randint(5000, 40000) if long_text else rng.randint(50, 800)
                body = " ".join(rng.choices(vocab, cum_weights=cum, k=words))
                day = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2500))
                doc_rows.append(
                    {
                        "id": doc_id,
                        "d": dossier,
                        "c": case,
                        "t": now,
                        "title": " ".join(rng.choices(vocab[20:5000], k=rng.randint(2, 6))),
                        "type": rng.choice(["pdf", "email", "image", "office"]),
                        "rec": day.isoformat(),
                        "sender": rng.choice(["Müller", "Meier", "Schäfer", "Straßenbauamt"]),
                        # About 1 % in the Papierkorb, as in a real store.
                        "del": now if rng.random() < 0.01 else None,
                    }
                )
                text_rows.append({"id": doc_id, "text": body})
            first_ids = first_ids or [row["id"] for row in doc_rows[:200]]
            s.execute(
                text(
                    "INSERT INTO documents (dossier_id, case_id, title, doc_type, mime_type,"
                    " file_name, sender, received_on, problems, current_version, id,"
                    " created_at, updated_at, deleted_at) VALUES (:d, :c, :title, :type, 'x',"
                    " 'f.pdf', :sender, :rec, '', 1, :id, :t, :t, :del)"
                ),
                doc_rows,
            )
            s.execute(text("INSERT INTO document_texts VALUES (:id, :text)"), text_rows)
        started = time.perf_counter()
        count = rebuild_index(s)
        print(f"rebuild_index: {count} documents in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        for doc_id in first_ids:
            index_document(s, doc_id)
        per_doc = (time.perf_counter() - started) / len(first_ids) * 1000
        print(f"index_document: {per_doc:.2f} ms per document (mixed lengths)")
    return store


QUERIES = [
    "Bauantrag",
    "mueller",
    "strasse",
    "Feuerwehr Quelle",
    '"Gemeinderat Sitzung"',
    "bau*",
    "Grundst*",
    "Bürgermeister Haushalt",
    "aktuell",
    "Überweisung Mahnung",
    "und",
    "ku*",
    "Flurstück Gemarkung Eigentümer",
    "kabeso",
    "lulatu",
    "Widerspruch Frist",
]


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def measure(store: Store, rounds: int) -> None:
    """Per query: raw FTS5 top 20, search() without and with filters, interleaved."""
    raw_all: list[float] = []
    ours_all: list[float] = []
    filtered_all: list[float] = []
    filters = [
        SearchFilters(doc_types=frozenset({"pdf", "email"})),
        SearchFilters(date_from=date(2022, 1, 1), date_to=date(2023, 12, 31)),
    ]
    print(f"{'query':34} {'matches':>7} {'raw':>8} {'search':>8} {'ratio':>5} {'filtered':>8}")
    with store.read() as s:
        dbapi = s.connection().connection.driver_connection
        assert dbapi is not None
        for q in QUERIES:
            fts = parse(q).fts()
            raw, ours, filtered = [], [], []
            for i in range(rounds):
                started = time.perf_counter()
                dbapi.execute(
                    "SELECT rowid, bm25(search_fts, 10.0, 4.0, 1.0) AS r FROM search_fts"
                    " WHERE search_fts MATCH ? ORDER BY r LIMIT 20",
                    (fts,),
                ).fetchall()
                raw.append(time.perf_counter() - started)
                started = time.perf_counter()
                search(s, q)
                ours.append(time.perf_counter() - started)
                started = time.perf_counter()
                search(s, q, filters[i % len(filters)])
                filtered.append(time.perf_counter() - started)
            matches = dbapi.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (fts,)
            ).fetchone()[0]
            r, o, f = (statistics.median(v) * 1e3 for v in (raw, ours, filtered))
            print(f"{q!r:34} {matches:7d} {r:6.2f}ms {o:6.2f}ms {o / r:5.2f} {f:6.2f}ms")
            raw_all += raw
            ours_all += ours
            filtered_all += filtered
    for name, values in (
        ("raw FTS5", raw_all),
        ("search()", ours_all),
        ("filtered", filtered_all),
    ):
        p50, p95 = _pct(values, 0.5) * 1e3, _pct(values, 0.95) * 1e3
        print(f"{name:9} p50={p50:6.2f} ms  p95={p95:6.2f} ms  max={max(values) * 1e3:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--root", type=Path, default=None)
    args = parser.parse_args()
    root = args.root or Path(tempfile.mkdtemp(prefix="eakte-search-"))
    if (root / "records.sqlite3").exists():
        store = Store.open(root)
    else:
        started = time.perf_counter()
        store = build(root, args.docs)
        print(f"built {args.docs} documents in {time.perf_counter() - started:.0f} s at {root}")
    try:
        measure(store, args.rounds)
    finally:
        store.close()
        if args.root is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
