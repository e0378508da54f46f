"""Large synthetic stores for BENCHMARKS ONLY (100,000 documents and more).

``bulk_load`` does NOT go through the filing pipeline and does not journal: after a small
``generate_demo_store`` skeleton (municipality, demo file plan, dossiers and cases, all through
the records API), it inserts documents and versions directly, in batches of one transaction
each. What it cuts and why that is acceptable for a benchmark store:

- no detection, extraction or thumbnails: every document points at one of a few small shared
  blobs (PDF or plain text) while its indexed text is a distinct synthetic German letter of
  50-300 words, so search sees 100,000 different documents;
- no events and no outbox rows: the documents are invisible to sync, which is measured with
  its own fixtures;
- the full-text index is built once at the end with ``sync.search.rebuild_index`` (the bulk
  path of the search module) instead of ``index_document`` per document.

Never use it for a clerk's data. Deterministic for a given seed, ids included.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, column, insert, select, table
from sqlalchemy.orm import Session

from sync.demo import samples
from sync.demo import vocabulary as vocab
from sync.demo.documents import LAST_DAY, Words, german
from sync.demo.generator import generate_demo_store
from sync.records.model import Base, Blob, Case, Dossier, Municipality
from sync.records.queries import the_municipality
from sync.search import rebuild_index
from sync.search.index import MAX_TEXT_CHARS
from sync.store.database import Store

log = logging.getLogger("eakte.demo")

ACTOR = "bulk"
FIRST_DAY = date(2024, 1, 2)
POOL_SENTENCES = 4000  # filled sentences to draw texts from; enough that texts rarely repeat
MIN_WORDS, MAX_WORDS = 50, 300
# Core tables: executemany without the ORM's per-row bookkeeping (5x faster here).
_DOCUMENTS: Table = Base.metadata.tables["documents"]
_VERSIONS: Table = Base.metadata.tables["versions"]
# Owned by the search module (migration 0002); it has no ORM model and no bulk setter.
_DOCUMENT_TEXTS = table("document_texts", column("document_id"), column("text"))


@dataclass(frozen=True)
class _Target:
    dossier_id: str
    case_id: str | None
    reference: str
    subject: str
    opened_on: date


@dataclass(frozen=True)
class _SharedBlob:
    sha256: str
    size: int
    doc_type: str
    mime_type: str
    extension: str
    page_count: int | None


def bulk_load(
    store: Store, *, documents: int, seed: int, batch: int = 5000, one_case: bool = False
) -> None:
    """Add ``documents`` synthetic documents to ``store`` (benchmarks only; see module doc).
    ``one_case`` puts them all into the first open case (the tree's worst case)."""
    if documents < 0 or batch < 1:
        raise ValueError("documents must be >= 0 and batch >= 1")
    started = time.perf_counter()
    # A few hundred documents per dossier: a busy municipality after some years.
    generate_demo_store(store, dossiers=min(max(documents // 400, 10), 250), documents=0, seed=seed)
    rng = random.Random(seed)
    targets, municipality = _targets(store)
    if one_case:
        targets = targets[:1]
    words = Words(rng, municipality)
    blobs = _shared_blobs(store)
    pool = _TextPool(words)
    now = datetime.now(UTC)  # bookkeeping only, like any created_at
    for first in range(0, documents, batch):
        rows = [
            _document(rng, pool, targets, blobs, now) for _ in range(min(batch, documents - first))
        ]
        with store.write() as session:
            _insert_batch(session, rows)
        log.info("bulk: %d of %d documents", first + len(rows), documents)
    with store.write() as session:
        rebuild_index(session)
    log.info("bulk: %d documents in %.1f s", documents, time.perf_counter() - started)


def _targets(store: Store) -> tuple[list[_Target], Municipality]:
    """Open cases, and the dossiers themselves for loose documents."""
    with store.read() as session:
        municipality = the_municipality(session)
        targets = [
            _Target(d.id, c.id, d.reference, f"{d.title}: {c.title}", c.opened_on or FIRST_DAY)
            for c, d in session.execute(
                select(Case, Dossier)
                .join(Dossier, Dossier.id == Case.dossier_id)
                .where(Case.closed_at.is_(None), Dossier.closed_at.is_(None))
                .order_by(Dossier.reference, Case.created_at)
            ).tuples()
        ]
        targets += [
            _Target(d.id, None, d.reference, d.title, d.opened_on or FIRST_DAY)
            for d in session.scalars(
                select(Dossier).where(Dossier.closed_at.is_(None)).order_by(Dossier.reference)
            )
        ]
    return targets, municipality


def _shared_blobs(store: Store) -> list[_SharedBlob]:
    """A few small real files that all bulk documents share, so the viewer has something to
    open. Stored like the pipeline stores blobs: staged, committed, then recorded."""
    note = (
        "Synthetisches Dokument für Lasttests. Der durchsuchbare Text ist gesondert "
        "gespeichert und stimmt mit dieser Datei nicht überein."
    )
    files: list[tuple[bytes, str, str, str, int | None]] = [
        (samples.text_pdf(f"Benchmark-Dokument {n}", [note]), "pdf", "application/pdf", ".pdf", 1)
        for n in range(1, 5)
    ]
    files.append((note.encode(), "text", "text/plain; charset=utf-8", ".txt", None))
    shared: list[_SharedBlob] = []
    with store.write() as session:
        for data, doc_type, mime, ext, pages in files:
            staged = store.blobs.stage_bytes(data)
            store.blobs.commit(staged)
            if session.get(Blob, staged.sha256) is None:
                session.add(Blob(sha256=staged.sha256, size=staged.size, last_used=time.time()))
            shared.append(_SharedBlob(staged.sha256, staged.size, doc_type, mime, ext, pages))
    return shared


class _TextPool:
    """Pre-filled sentences and senders: filling templates per document would dominate."""

    def __init__(self, words: Words) -> None:
        self.rng = words.rng
        templates = [*vocab.SENTENCES, *(t for _, _, body in vocab.LETTERS for t in body)]
        self.sentences: list[tuple[str, int]] = []
        for _ in range(POOL_SENTENCES):
            on = words.day_after(FIRST_DAY, (LAST_DAY - FIRST_DAY).days)
            text = words.fill(words.pick(tuple(templates)), year=on.year, on=on)
            self.sentences.append((text, len(text.split())))
        self.senders = [" ".join(words.person()) for _ in range(300)]
        self.senders += list(vocab.COMPANIES) + [name for name, _ in vocab.AUTHORITIES]
        self.kinds = [kind for kind, _, _ in vocab.LETTERS] + ["Aktenvermerk", "Protokoll"]
        self.districts = words.districts

    def letter(self, kind: str, sender: str, on: date, target: _Target) -> str:
        rng = self.rng
        parts = [
            f"{sender}\n{rng.choice(self.districts)}, den {german(on)}",
            f"Betreff: {kind}: {target.subject}\nAktenzeichen: {target.reference}",
            "Sehr geehrte Damen und Herren,",
        ]
        goal, count = rng.randint(MIN_WORDS, MAX_WORDS), 20
        while count < goal:
            for sentence, n in rng.choices(self.sentences, k=4):
                parts.append(sentence)
                count += n
        parts.append(f"Mit freundlichen Grüßen\n{sender}")
        return "\n".join(parts)


def _document(
    rng: random.Random,
    pool: _TextPool,
    targets: list[_Target],
    blobs: list[_SharedBlob],
    now: datetime,
) -> dict[str, Any]:
    target = targets[rng.randrange(len(targets))]
    blob = blobs[rng.randrange(len(blobs))]
    kind = pool.kinds[rng.randrange(len(pool.kinds))]
    sender = pool.senders[rng.randrange(len(pool.senders))]
    # Post comes in while the matter is open: between its opening and the last demo day.
    span = max((LAST_DAY - target.opened_on).days, 0)
    received = target.opened_on + timedelta(days=rng.randrange(span + 1))
    title = f"{kind} {sender}"
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "version_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "dossier_id": target.dossier_id,
        "case_id": target.case_id,
        "title": title,
        "sender": sender,
        "received_on": received,
        "document_date": received - timedelta(days=rng.randint(0, 5)),
        "file_name": f"{received:%Y-%m-%d} {title}"[:120] + blob.extension,
        "blob": blob,
        "text": pool.letter(kind, sender, received, target)[:MAX_TEXT_CHARS],
        "now": now,
    }


def _insert_batch(session: Session, rows: list[dict[str, Any]]) -> None:
    session.execute(
        insert(_DOCUMENTS),
        [
            {
                "id": r["id"],
                "dossier_id": r["dossier_id"],
                "case_id": r["case_id"],
                "parent_document_id": None,
                "title": r["title"],
                "doc_type": r["blob"].doc_type,
                "mime_type": r["blob"].mime_type,
                "file_name": r["file_name"],
                "sender": r["sender"],
                "recipient": None,
                "received_on": r["received_on"],
                "document_date": r["document_date"],
                "page_count": r["blob"].page_count,
                "problems": "",
                "current_version": 1,
                "created_at": r["now"],
                "updated_at": r["now"],
                "server_version": None,
                "deleted_at": None,
            }
            for r in rows
        ],
    )
    session.execute(
        insert(_VERSIONS),
        [
            {
                "id": r["version_id"],
                "document_id": r["id"],
                "number": 1,
                "blob_sha256": r["blob"].sha256,
                "size": r["blob"].size,
                "file_name": r["file_name"],
                "thumbnail_sha256": None,
                "created_at": r["now"],
                "created_by": ACTOR,
                "conflict": False,
                "server_version": None,
            }
            for r in rows
        ],
    )
    # One executemany instead of set_document_text per row: that costs 0.3 ms of SQLAlchemy
    # overhead each, half a minute for 100,000 documents. The texts are clean, short NFC.
    session.execute(
        insert(_DOCUMENT_TEXTS), [{"document_id": r["id"], "text": r["text"]} for r in rows]
    )
