from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.search.folding import _fold_unicode, fold, tokens


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("strasse", "Straße"),
        ("STRASSE", "straße"),
        ("mueller", "Müller"),
        ("muller", "Müller"),
        ("Mueller", "Müller"),
        ("Müller", "Mueller"),
        ("MÜLLER", "müller"),
        ("MUELLER", "Müller"),
        ("Groesse", "Größe"),
        ("aerztekammer", "Ärztekammer"),
        ("cafe", "Café"),
        ("Francois", "François"),
        ("finanz", "ﬁnanz"),  # NFKC: the ligature of PDF text extraction
        ("strasse", "STRAẞE"),  # capital sharp s
        ("muller", "Mu\u0308ller"),  # NFD input, as from macOS
    ],
)
def test_german_spellings_fold_alike(typed: str, stored: str) -> None:
    assert fold(typed) == fold(stored)


@pytest.mark.parametrize(
    ("word", "other"),
    [("Feuer", "Feier"), ("Quelle", "Qualle"), ("Bauer", "Bar"), ("Mauer", "Maurer")],
)
def test_digraph_rule_does_not_merge_different_words(word: str, other: str) -> None:
    # "Feuer" becomes "feur": odd, but only the same word typed any way folds to it.
    assert fold(word) == fold(word.upper()) == fold(word.lower())
    assert fold(word) != fold(other)


@pytest.mark.parametrize(
    ("word", "prefix"),
    [("Feuerwehr", "Feue"), ("Feuerwehr", "feu"), ("Quelle", "Que"), ("Mauer", "Mau")],
)
def test_folded_prefix_is_prefix_of_folded_word(word: str, prefix: str) -> None:
    assert fold(word).startswith(fold(prefix))


def test_typography_becomes_plain_separators() -> None:
    assert tokens(fold("„Müller“ – Straße…")) == ["muller", "strasse"]


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.characters(max_codepoint=0xFF, exclude_categories=("Cs",))))
def test_latin1_fast_path_matches_full_unicode_folding(text: str) -> None:
    assert fold(text) == re.sub("([aou])e+", r"\1", _fold_unicode(text.replace("ß", "ss")))


@given(
    st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßéAÄOÖUÜE", min_size=1, max_size=12),
        min_size=1,
        max_size=6,
    )
)
def test_folding_keeps_word_boundaries(words: list[str]) -> None:
    # Folding the whole text and folding each word give the same tokens: no rule works across
    # a space, so a word of the query meets the same word in the index.
    assert tokens(fold(" ".join(words))) == [t for w in words for t in tokens(fold(w))]
