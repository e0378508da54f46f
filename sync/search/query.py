"""The clerks' query syntax, translated into a safe FTS5 expression.

Supported: plain words (all must occur), ``"exact phrases"`` and prefixes ``bau*``. Everything
else is text, never syntax: FTS5 operators (AND, OR, NOT, NEAR), ``-``, ``:``, ``^``,
parentheses and unbalanced quotes are searched for as words or dropped as punctuation. Each
term is folded (see ``folding``) and emitted as a double-quoted FTS5 string, which FTS5 never
parses as an operator; inside the string its own tokenizer splits ``Müller-Lüdenscheidt`` or
``col:x`` into a phrase. So no user input can produce an FTS5 syntax error.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

from sync.search.folding import fold, tokens

log = logging.getLogger("eakte.search")

MAX_QUERY_CHARS = 1000
MAX_TERMS = 16
MAX_TERM_CHARS = 200

# A phrase in balanced quotes, or a run of anything but white space and quotes. A lone quote
# matches neither and is skipped, so `"foo bar` searches for foo and bar.
_PART_RE = re.compile(r'"([^"]*)"|([^\s"]+)')


@dataclass(frozen=True)
class Term:
    """One AND-ed term: a word or phrase, already folded."""

    text: str  # folded; FTS5 tokenizes it inside quotes
    tokens: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + "*" if self.prefix else quoted


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def fts(self) -> str:
        """The FTS5 MATCH expression (implicit AND of quoted strings)."""
        return " ".join(term.fts() for term in self.terms)

    def highlight_terms(self) -> tuple[tuple[tuple[str, ...], bool], ...]:
        """(folded tokens, is prefix) per term, for highlighting."""
        return tuple((term.tokens, term.prefix) for term in self.terms)


def _sanitize(raw: str) -> str:
    # Control characters and lone surrogates (which SQLite cannot even bind) become spaces.
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in raw)


def _term(raw: str) -> Term | None:
    raw = raw[:MAX_TERM_CHARS]
    stripped = raw.rstrip("*")
    folded = fold(stripped)
    toks = tuple(tokens(folded))
    if not toks:
        return None
    return Term(text=folded, tokens=toks, prefix=len(stripped) < len(raw))


def parse(raw: str) -> Query:
    """Parse anything a clerk can type; never raises."""
    if len(raw) > MAX_QUERY_CHARS:
        log.info("search query cut from %d to %d characters", len(raw), MAX_QUERY_CHARS)
        raw = raw[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    seen: set[tuple[str, bool]] = set()
    for match in _PART_RE.finditer(_sanitize(raw)):
        phrase, word = match.groups()
        term = _term(phrase if phrase is not None else word)
        if term is None or (term.text, term.prefix) in seen:
            continue
        seen.add((term.text, term.prefix))
        terms.append(term)
        if len(terms) == MAX_TERMS:
            log.info("search query cut to its first %d terms", MAX_TERMS)
            break
    return Query(tuple(terms))


__all__ = ["MAX_QUERY_CHARS", "MAX_TERMS", "Query", "Term", "parse"]
