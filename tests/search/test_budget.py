"""Broad queries that cannot be ranked in time are ranked among the newest matches only."""

from __future__ import annotations

import pytest

from sync.search import engine
from tests.search.conftest import Corpus


def test_ranked_when_cheap(corpus: Corpus) -> None:
    corpus.add("Bauantrag", "Bauantrag Bauantrag Bauantrag")
    corpus.add("Sonstiges", "Ein Bauantrag nebenbei erwähnt, sonst viel anderer Text hier.")
    hits = corpus.search("bauantrag")
    assert all(h.ranked for h in hits) and hits[0].score > hits[1].score > 0


def test_only_the_newest_matches_are_ranked_when_ranking_runs_out_of_time(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    best_but_old = corpus.add("Bauantrag Bauantrag", "Bauantrag " * 50)
    ids = [corpus.add(f"Vermerk {i}", f"Bauantrag erwähnt, Nummer {i}") for i in range(30)]
    monkeypatch.setattr(engine, "RANK_BUDGET_S", -1.0)  # every ranked query is over budget
    monkeypatch.setattr(engine, "_PROGRESS_STEPS", 1)
    monkeypatch.setattr(engine, "_TOP_RECENT", engine._TOP_RECENT.replace("LIMIT 2000", "LIMIT 25"))
    hits = corpus.search("bau*")
    assert not any(h.ranked for h in hits)
    assert best_but_old not in [h.document_id for h in hits], "outside the newest 25"
    assert {h.document_id for h in hits} <= set(ids[-25:])
    # The connection is usable afterwards: the handler is gone and the transaction intact.
    monkeypatch.setattr(engine, "RANK_BUDGET_S", 10.0)
    assert corpus.search("bauantrag")[0].ranked
