"""bulk_load: large synthetic stores for benchmarks, built without the filing pipeline."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from sync.demo.bulk import bulk_load
from sync.records.model import Case, Document, Dossier, Version
from sync.search import search
from sync.store.database import Store


def _documents(store: Store) -> list[tuple[str, str, str | None, str | None, str]]:
    """(id, title, case id, case title, blob) of every document, by id."""
    with store.read() as s:
        return list(
            s.execute(
                select(Document.id, Document.title, Case.id, Case.title, Version.blob_sha256)
                .join(Version, Version.document_id == Document.id)
                .outerjoin(Case, Case.id == Document.case_id)
                .order_by(Document.id)
            ).tuples()
        )


def test_bulk_load_count_text_and_search(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store") as store:
        bulk_load(store, documents=300, seed=5, batch=128)
        docs = _documents(store)
        assert len(docs) == 300
        assert all(store.blobs.contains(sha) for sha in {sha for *_, sha in docs})
        with store.read() as s:
            texts = dict(
                s.execute(text("SELECT document_id, text FROM document_texts")).tuples().all()
            )
            assert texts.keys() == {doc_id for doc_id, *_ in docs}
            words = [len(t.split()) for t in texts.values()]
            assert min(words) >= 50 and max(words) <= 400 and len(set(texts.values())) == 300
            closed = set(s.scalars(select(Case.id).where(Case.closed_at.is_not(None))))
            assert closed and not closed & {case for _, _, case, _, _ in docs}
            assert s.scalar(select(func.count()).select_from(Dossier)) >= 10
            # Each document is found by words of its own text.
            doc_id, title, *_ = docs[0]
            sender = title.split(maxsplit=1)[1]
            hits = search(s, f'"{sender}"', limit=500)
            assert doc_id in {h.document_id for h in hits}
            assert search(s, "Aktenzeichen Betreff", limit=5)


def test_bulk_load_is_deterministic(tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        with Store.open(tmp_path / name) as store:
            bulk_load(store, documents=50, seed=9)
            runs.append(_documents(store))
    # Case ids come from the skeleton's UUIDs; everything else, document ids included, repeats.
    assert [(i, t, c, sha) for i, t, _, c, sha in runs[0]] == [
        (i, t, c, sha) for i, t, _, c, sha in runs[1]
    ]
