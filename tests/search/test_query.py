from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.search.query import MAX_TERMS, parse

# A valid expression is nothing but double-quoted strings, each optionally followed by '*'.
SAFE_FTS = re.compile(r'^("([^"]|"")*"\*?)( "([^"]|"")*"\*?)*$')


def test_words_are_folded_and_anded() -> None:
    query = parse("Bauantrag  MÜLLER")
    assert query.fts() == '"bauantrag" "muller"'


def test_phrase_and_prefix() -> None:
    query = parse('"Sitzung des Gemeinderats" bau*')
    assert query.fts() == '"sitzung des gemeinderats" "bau"*'
    assert query.highlight_terms() == (
        (("sitzung", "des", "gemeinderats"), False),
        (("bau",), True),
    )


def test_prefix_inside_a_phrase_marks_its_last_word() -> None:
    assert parse('"neubau kinder*"').fts() == '"neubau kinder"*'


def test_punctuation_inside_a_word_makes_a_phrase_of_its_parts() -> None:
    query = parse("Müller-Lüdenscheidt col:x")
    assert [t.tokens for t in query.terms] == [("muller", "ludenscheidt"), ("col", "x")]


def test_unbalanced_quote_searches_the_words() -> None:
    assert parse('"Bauantrag Müller').fts() == '"bauantrag" "muller"'


def test_operators_are_words_not_syntax() -> None:
    assert parse("AND OR NOT NEAR(a b)").fts() == '"and" "or" "not" "near(a" "b)"'


@pytest.mark.parametrize("raw", ["", "   ", '"', '""', "*", "***", "-", ":", "()", "😀", "\x00"])
def test_nothing_searchable_gives_an_empty_query(raw: str) -> None:
    assert parse(raw).is_empty


def test_duplicates_and_overlong_input_are_trimmed() -> None:
    assert len(parse("amt amt AMT").terms) == 1
    assert len(parse(" ".join(f"w{i}" for i in range(1000))).terms) == MAX_TERMS
    assert len(parse("x" * 100_000).terms) == 1


@given(st.text())
def test_any_input_becomes_a_safe_expression(raw: str) -> None:
    query = parse(raw)
    if not query.is_empty:
        assert SAFE_FTS.match(query.fts())
        assert "\x00" not in query.fts()
