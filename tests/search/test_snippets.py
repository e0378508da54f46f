from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from sync.records.model import Document
from sync.search import SearchHit, index_document, search
from sync.search.engine import HEAD_CHARS
from tests.search.conftest import Corpus


def marked(text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_highlights_point_at_the_original_spelling(corpus: Corpus) -> None:
    corpus.add("Sperrung Straße", "Ab Montag ist die Straße am Markt für Müllers Laden gesperrt.")
    [hit] = corpus.search("strasse")
    assert marked(hit.snippet, hit.highlights) == ["Straße"]
    assert marked(hit.title, hit.title_highlights) == ["Straße"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mueller", ["Müller", "MUELLER"]),
        ("MÜLLER", ["Müller", "MUELLER"]),
        ("bau*", ["Bauantrag", "Baugenehmigung"]),
        ('"herr müller"', ["Herr Müller"]),
        ("feuerwehr", ["FEUERWEHR"]),
    ],
)
def test_highlight_spans_by_spelling(corpus: Corpus, query: str, expected: list[str]) -> None:
    corpus.add(
        "Brief",
        "Sehr geehrter Herr Müller, Ihr Bauantrag (Az. MUELLER) braucht eine Baugenehmigung; "
        "die FEUERWEHR hat keine Einwände. Abbau und Neubau folgen.",
    )
    [hit] = corpus.search(query)
    assert marked(hit.snippet, hit.highlights) == expected


def test_snippet_is_a_short_window_around_the_first_match(corpus: Corpus) -> None:
    text = "Vorrede. " * 100 + "Hier steht der Widerspruch gegen den Bescheid. " + "Rest. " * 100
    corpus.add("Eingang", text)
    [hit] = corpus.search("widerspruch")
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert len(hit.snippet) < 300
    assert marked(hit.snippet, hit.highlights) == ["Widerspruch"]


def test_match_far_down_a_long_text_is_found_without_reading_it_all(corpus: Corpus) -> None:
    filler = "Füllwort Straße Lärm " * (3 * HEAD_CHARS // 10)
    corpus.add(
        "Langes Gutachten", filler + " Das Ergebnis: Schallschutzwand erforderlich. " + filler
    )
    [hit] = corpus.search("schallschutzwand")
    assert marked(hit.snippet, hit.highlights) == ["Schallschutzwand"]
    assert hit.snippet.startswith("… ")


def test_title_only_hit_shows_the_start_of_the_text(corpus: Corpus) -> None:
    corpus.add("Haushaltsplan 2027", "Entwurf der Kämmerei.\nSeite 1 von 80")
    [hit] = corpus.search("haushaltsplan")
    assert hit.snippet == "Entwurf der Kämmerei. Seite 1 von 80"
    assert hit.highlights == ()
    assert marked(hit.title, hit.title_highlights) == ["Haushaltsplan"]


def test_document_without_text_has_an_empty_snippet(corpus: Corpus) -> None:
    corpus.add("Foto Ortstermin")
    [hit] = corpus.search("ortstermin")
    assert (hit.snippet, hit.highlights) == ("", ())


HOSTILE = [
    '"',
    '"""',
    "AND OR NOT",
    "NOT",
    "*",
    "**bau",
    "col:x",
    "title:Straße",
    "(",
    ")",
    "NEAR(a b, 2)",
    "-",
    "-müller",
    "^straße",
    "a" * 5000,
    "wort " * 2000,
    "😀",
    "Straße 😀",
    "\x00",
    "Stra\x00ße",
    "\ud800",
    "'; DROP TABLE documents; --",
    "{}[]\\/",
    "\u200b\ufeff",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(corpus: Corpus, query: str) -> None:
    corpus.add("Straße und Müller", "AND OR NOT NEAR col x title")
    hits = corpus.search(query)
    assert isinstance(hits, list)
    assert all(isinstance(hit, SearchHit) for hit in hits)


@pytest.mark.parametrize("query", ["col:x", "(col x)", "-müller", "NOT"])
def test_syntax_characters_are_searched_as_text(corpus: Corpus, query: str) -> None:
    doc = corpus.add("Straße und Müller", "AND OR NOT NEAR col x title")
    assert corpus.ids(query) == [doc]


GERMAN = "abcdefghijklmnopqrstuvwxyzäöüßéèABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜẞ0123456789"
GERMAN_WORD = st.text(alphabet=GERMAN, min_size=1, max_size=20)
# Letters and digits of many scripts (Latin, Greek, Cyrillic, Hebrew, Arabic, Indic ...).
ANY_WORD = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Lo", "Nd"), max_codepoint=0xFFF),
    min_size=1,
    max_size=20,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.one_of(GERMAN_WORD, ANY_WORD), min_size=1, max_size=6),
    pick=st.integers(min_value=0),
)
def test_any_word_of_a_title_finds_the_document(
    corpus: Corpus, words: list[str], pick: int
) -> None:
    word = words[pick % len(words)]
    with Session(corpus.store.engine) as s, s.begin():
        doc = Document(
            dossier_id=corpus.dossier_id,
            title=" ".join(words),
            doc_type="pdf",
            mime_type="application/pdf",
            file_name="x.pdf",
        )
        s.add(doc)
        s.flush()
        index_document(s, doc.id)
        hits = [hit for hit in search(s, word, limit=500) if hit.document_id == doc.id]
        assert len(hits) == 1, (word, doc.title)
        if set(word) <= set(GERMAN):
            assert hits[0].title_highlights, (word, doc.title)
        s.rollback()
