"""Broad queries that cannot be ranked in time come back newest first, never not at all."""

from __future__ import annotations

import pytest

from sync.search import engine
from tests.search.conftest import Corpus


def test_ranked_when_cheap(corpus: Corpus) -> None:
    corpus.add("Bauantrag", "Bauantrag Bauantrag Bauantrag")
    corpus.add("Sonstiges", "Ein Bauantrag nebenbei erwähnt, sonst viel anderer Text hier.")
    hits = corpus.search("bauantrag")
    assert all(h.ranked for h in hits) and hits[0].score > hits[1].score > 0


def test_newest_first_when_ranking_runs_out_of_time(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [corpus.add(f"Bauantrag {i}", "Bauantrag " * (i + 1)) for i in range(30)]
    monkeypatch.setattr(engine, "RANK_BUDGET_S", -1.0)  # every ranked query is over budget
    monkeypatch.setattr(engine, "_PROGRESS_STEPS", 1)
    hits = corpus.search("bau*")
    assert [h.document_id for h in hits] == ids[::-1][:20]
    assert not any(h.ranked for h in hits) and {h.score for h in hits} == {0.0}
    # The connection is usable afterwards: the handler is gone and the transaction intact.
    monkeypatch.setattr(engine, "RANK_BUDGET_S", 10.0)
    assert corpus.search("bauantrag")[0].ranked
