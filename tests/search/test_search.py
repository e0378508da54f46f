from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from sync.records.model import Case, Document, Dossier
from sync.search import SearchFilters, index, index_document, rebuild_index, remove_from_index
from tests.search.conftest import Corpus


@pytest.mark.parametrize(
    "query",
    ["strasse", "STRASSE", "Straße", "mueller", "muller", "Müller", "MÜLLER", "Mueller"],
)
def test_umlauts_and_sharp_s_as_clerks_type_them(corpus: Corpus, query: str) -> None:
    doc = corpus.add("Antrag Müller", "Die Straße am Markt wird gesperrt.")
    corpus.add("Unrelated", "Nichts davon hier.")
    assert corpus.ids(query) == [doc]


def test_digraph_spelling_in_the_text_is_found_with_umlauts(corpus: Corpus) -> None:
    doc = corpus.add("Schreiben", "Sehr geehrter Herr Mueller, die Groesse passt.")
    assert corpus.ids("Müller Größe") == [doc]


@pytest.mark.parametrize("query", ["Feuerwehr", "FEUERWEHR", "feue*", "quelle", "aktuell"])
def test_words_touched_by_the_digraph_rule_still_match(corpus: Corpus, query: str) -> None:
    doc = corpus.add("Einsatzbericht", "Die Feuerwehr nahm Wasser aus der Quelle, aktuell.")
    corpus.add("Anderes", "Mauer und Bauer")
    assert corpus.ids(query) == [doc]


def test_all_words_must_occur(corpus: Corpus) -> None:
    both = corpus.add("Bauantrag Garage", "Gemarkung Witzenhausen")
    corpus.add("Bauantrag Carport", "Gemarkung Sontra")
    assert corpus.ids("bauantrag witzenhausen") == [both]


def test_prefix_matches_word_starts_only(corpus: Corpus) -> None:
    bau = corpus.add("Bauantrag Garage")
    baum = corpus.add("Baumfällung")
    corpus.add("Abbau der Brücke")
    assert set(corpus.ids("bau*")) == {bau, baum}
    assert corpus.ids("BAUANTR*") == [bau]


def test_phrase_needs_adjacent_words(corpus: Corpus) -> None:
    phrase = corpus.add("Protokoll", "Sitzung des Gemeinderats vom Montag")
    corpus.add("Notiz", "Der Gemeinderats-Beschluss kam nach der Sitzung des Ausschusses")
    assert corpus.ids('"sitzung des gemeinderats"') == [phrase]
    assert len(corpus.ids("sitzung gemeinderats")) == 2


def test_metadata_is_searchable(corpus: Corpus) -> None:
    doc = corpus.add(
        "Schreiben",
        sender="Ingenieurbüro Schäfer",
        file_name="Statik_Nachweis.pdf",
        tags=("Eilt",),
        notes=("Rückruf bei Frau Özdemir",),
    )
    for query in ["schafer", "statik", "eilt", "ozdemir", "kindergarten", "nordstadt", "632.1"]:
        assert corpus.ids(query) == [doc], query


def test_hit_carries_metadata(corpus: Corpus) -> None:
    doc = corpus.add("Bescheid", "Gebühr", doc_type="email", received_on=date(2026, 5, 4))
    [hit] = corpus.search("gebuhr")
    assert hit.document_id == doc
    assert (hit.reference, hit.case_title, hit.doc_type) == (
        "632.1-0001/2026",
        "Neubau Kindergarten",
        "email",
    )
    assert hit.received_on == date(2026, 5, 4)
    assert hit.score > 0


def test_title_hit_ranks_above_body_hit(corpus: Corpus) -> None:
    body = corpus.add("Schreiben", "Kanalsanierung " * 3 + "und weitere Themen " * 20)
    title = corpus.add("Kanalsanierung Hauptstraße", "Anlagen siehe unten " * 20)
    assert corpus.ids("kanalsanierung") == [title, body]
    hits = corpus.search("kanalsanierung")
    assert hits[0].score > hits[1].score


def test_filter_by_dossier_and_case(corpus: Corpus) -> None:
    other_dossier = corpus.dossier("Friedhof")
    other_case = corpus.case("Turnhalle")
    in_default = corpus.add("Rechnung A")
    in_other_case = corpus.add("Rechnung B", case_id=other_case)
    in_other_dossier = corpus.add("Rechnung C", dossier_id=other_dossier, case_id=None)
    assert set(corpus.ids("rechnung", SearchFilters(dossier_id=corpus.dossier_id))) == {
        in_default,
        in_other_case,
    }
    assert corpus.ids("rechnung", SearchFilters(case_id=other_case)) == [in_other_case]
    assert corpus.ids("rechnung", SearchFilters(dossier_id=other_dossier)) == [in_other_dossier]


def test_filter_by_date_uses_received_on_else_document_date(corpus: Corpus) -> None:
    received = corpus.add("Brief 1", received_on=date(2026, 3, 1), document_date=date(2025, 1, 1))
    dated = corpus.add("Brief 2", document_date=date(2026, 3, 31))
    corpus.add("Brief 3", received_on=date(2026, 4, 1))
    corpus.add("Brief 4")  # no date at all: excluded by any date filter
    march = SearchFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert set(corpus.ids("brief", march)) == {received, dated}
    assert len(corpus.ids("brief", SearchFilters(date_to=date(2026, 3, 1)))) == 1
    assert len(corpus.ids("brief", SearchFilters(date_from=date(2026, 3, 2)))) == 2


def test_filter_by_doc_types(corpus: Corpus) -> None:
    pdf = corpus.add("Antrag", doc_type="pdf")
    mail = corpus.add("Antrag", doc_type="email")
    corpus.add("Antrag", doc_type="image")
    assert corpus.ids("antrag", SearchFilters(doc_types=frozenset({"pdf"}))) == [pdf]
    both = SearchFilters(doc_types=frozenset({"pdf", "email"}))
    assert set(corpus.ids("antrag", both)) == {pdf, mail}


@pytest.mark.parametrize("container", ["document", "case", "dossier"])
def test_papierkorb_never_appears_and_comes_back_on_restore(corpus: Corpus, container: str) -> None:
    doc = corpus.add("Vertrag Pacht")
    model, entity_id = {
        "document": (Document, doc),
        "case": (Case, corpus.case_id),
        "dossier": (Dossier, corpus.dossier_id),
    }[container]
    corpus.delete(model, entity_id)  # no reindex: the triggers and live checks must cover it
    assert corpus.ids("pacht") == []
    assert corpus.ids("pacht", SearchFilters(case_id=corpus.case_id)) == []
    corpus.update(model, entity_id, deleted_at=None)
    assert corpus.ids("pacht") == [doc]


def test_deleted_documents_do_not_shorten_pages(corpus: Corpus) -> None:
    # The best hits are all in the Papierkorb: the page must still be filled from the rest.
    top = [corpus.add(f"Zuschuss Zuschuss {i}", "Zuschuss") for i in range(15)]
    rest = [corpus.add(f"Schreiben {i}", "Zuschuss") for i in range(25)]
    for doc in top:
        corpus.delete(Document, doc)
    page = corpus.ids("zuschuss", limit=20)
    assert len(page) == 20 and set(page) <= set(rest)
    assert len(corpus.ids("zuschuss", limit=20, offset=20)) == 5


def test_pages_do_not_overlap(corpus: Corpus) -> None:
    docs = {corpus.add(f"Mahnung {i}", "Mahnung " * (i % 4 + 1)) for i in range(12)}
    pages = [corpus.ids("mahnung", limit=5, offset=o) for o in (0, 5, 10, 15)]
    assert [len(p) for p in pages] == [5, 5, 2, 0]
    assert set().union(*pages) == docs


def test_reindex_after_title_change(corpus: Corpus) -> None:
    doc = corpus.add("Entwurf Satzung")
    corpus.update(Document, doc, title="Beschluss Hundesteuer")
    with corpus.store.write() as s:
        index_document(s, doc)
    assert corpus.ids("entwurf") == []
    assert corpus.ids("hundesteuer") == [doc]


def test_case_title_change_is_picked_up_by_reindex(corpus: Corpus) -> None:
    doc = corpus.add("Schreiben")
    corpus.update(Case, corpus.case_id, title="Sanierung Freibad")
    with corpus.store.write() as s:
        assert rebuild_index(s) == 1
    assert corpus.ids("freibad") == [doc]


def test_remove_from_index(corpus: Corpus) -> None:
    doc = corpus.add("Gutachten Lärmschutz")
    with corpus.store.write() as s:
        remove_from_index(s, doc)
    assert corpus.ids("larmschutz") == []


def test_rebuild_gives_the_same_results(corpus: Corpus) -> None:
    docs = [corpus.add(f"Akte {i}", f"Straße {i} Müller") for i in range(5)]
    before = corpus.ids("strasse muller")
    with corpus.store.write() as s:
        assert rebuild_index(s) == len(docs)
    assert corpus.ids("strasse muller") == before
    assert set(before) == set(docs)


def test_indexing_inside_the_callers_transaction_rolls_back_with_it(corpus: Corpus) -> None:
    doc = corpus.add("Altes Thema")
    with pytest.raises(RuntimeError), corpus.store.write() as s:
        s.get_one(Document, doc).title = "Neues Thema"
        index_document(s, doc)
        raise RuntimeError("abort")
    assert corpus.ids("altes") == [doc]
    assert corpus.ids("neues") == []


def test_purged_document_leaves_no_index_rows(corpus: Corpus) -> None:
    doc = corpus.add("Entwurf", "Text des Entwurfs")
    with corpus.store.write() as s:
        s.execute(text("DELETE FROM documents WHERE id = :id"), {"id": doc})
        counts = [
            s.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("search_docs", "search_fts", "document_texts")
        ]
        index_document(s, doc)  # a stale call for a purged document is harmless
    assert counts == [0, 0, 0]
    assert corpus.ids("entwurf") == []


def test_stored_text_is_cleaned_and_capped(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "MAX_TEXT_CHARS", 1000)
    doc = corpus.add("Scan", "Mu\u0308ller\x00Anlage " + "x " * 600)
    with corpus.store.read() as s:
        stored = s.execute(
            text("SELECT text FROM document_texts WHERE document_id = :id"), {"id": doc}
        ).scalar_one()
    assert stored.startswith("Müller Anlage ")  # NFC, NUL gone
    assert 990 < len(stored) <= 1000
    [hit] = corpus.search("mueller")
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["Müller"]
