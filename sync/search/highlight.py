"""Highlights and snippets on the ORIGINAL text.

The index only knows folded text, but clerks must see their own spelling. Mapping offsets
from folded back to original text would mean folding a lot of text per hit, so instead:

- the window of original text is *flattened* with one C-level byte translation that keeps
  every offset: lower case, Latin-1 accents dropped (ä → a), ß kept, every other non-ASCII
  character a ``?``;
- each folded query token becomes a plain regex over that: ``strasse`` → ``strae*[sß]{1,2}e``
  (the e's the digraph rule dropped after a/o/u, ß worth two s).

Spans found in the flattened text are spans of the original. Every alternative starts with a
literal letter, which lets the regex engine skip ahead in C; word boundaries are therefore
checked in Python on the few candidates instead of by lookbehind (5-10x slower). Queries with
non-Latin letters (ł, ø, Greek) fall back to plain lower-casing: still found, and marked
where the spelling matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from sync.search.folding import fold

Span = tuple[int, int]
Terms = tuple[tuple[tuple[str, ...], bool], ...]  # (folded tokens, is prefix) per term

SNIPPET_CHARS = 220  # length of a snippet before ellipses
LEAD_CHARS = 70  # context shown before the first match
_MAX_TOKEN = 64  # longer tokens are matched on their first 64 characters

_SEPARATOR = r"[\W_]+"
_WORD_TAIL = r"[^\W_]*"  # rest of a word after a prefix; "?" (foreign letters) ends it


def _flat_byte(b: int) -> int:
    ch = chr(b)
    if ch == "ß":
        return b
    folded = fold(ch) if b >= 0x80 else ch.lower()
    return ord(folded) if len(folded) == 1 and folded.isascii() else ord("?")


_FLAT = bytes(_flat_byte(b) for b in range(256))


def _flatten(text: str) -> str:
    """Offset-preserving lower-case ASCII(+ß) view of ``text``."""
    if "ẞ" in text:  # the capital sharp s is the one German letter outside Latin-1
        text = text.replace("ẞ", "ß")
    return text.encode("latin-1", "replace").translate(_FLAT).decode("latin-1")


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # only "İ" lower-cases to two characters
        low = text.replace("İ", "i").lower()
    return low


def _token_pattern(token: str) -> str:
    parts: list[str] = []
    i = 0
    token = token[:_MAX_TOKEN]
    while i < len(token):
        ch = token[i]
        if token.startswith("ss", i):
            # A run of n s's was spelled with s and ß (worth two) in any order; loose is fine.
            run = len(token[i:]) - len(token[i:].lstrip("s"))
            parts.append(f"[sß]{{{(run + 1) // 2},{run}}}")
            i += run
            continue
        parts.append(re.escape(ch))
        if ch in "aou":
            parts.append("e*")  # the e's the digraph rule dropped: "Mueller", "Poesie"
        i += 1
    return "".join(parts)


@dataclass(frozen=True)
class Matcher:
    pattern: re.Pattern[str]
    flat: bool  # match on the flattened text (all query letters are ASCII)

    def spans(self, text: str) -> Iterator[Span]:
        """Whole-word matches in ``text``, as (start, end) into ``text``."""
        view = _flatten(text) if self.flat else _lower(text)
        size = len(view)
        for match in self.pattern.finditer(view):
            start, end = match.span()
            # Prefix alternatives end with a greedy word tail, so this check is only
            # effective for whole-word ones.
            if (start > 0 and view[start - 1].isalnum()) or (end < size and view[end].isalnum()):
                continue
            yield start, end


@lru_cache(maxsize=256)
def matcher(terms: Terms) -> Matcher | None:
    """One regex for all terms of a query; None if there are none.

    The tokens of a phrase must follow each other, separated by anything but letters/digits.
    """
    alternatives: set[str] = set()
    for tokens, prefix in terms:
        if tokens:
            pattern = _SEPARATOR.join(_token_pattern(tok) for tok in tokens)
            if prefix or len(tokens[-1]) > _MAX_TOKEN:
                pattern += _WORD_TAIL
            alternatives.add(pattern)
    if not alternatives:
        return None
    flat = all(tok.isascii() for tokens, _ in terms for tok in tokens)
    # Longest first, so that "bauantrag" is tried before "bau" at the same position.
    ordered = sorted(alternatives, key=lambda p: (-len(p), p))
    return Matcher(re.compile("|".join(ordered)), flat)


def spans(found: Matcher | None, text: str) -> tuple[Span, ...]:
    if found is None or not text:
        return ()
    return tuple(found.spans(text))


def snippet(
    found: Matcher | None, window: str, *, cut_before: bool, cut_after: bool
) -> tuple[str, tuple[Span, ...]] | None:
    """A snippet around the first match in ``window`` (a slice of the original text).

    ``cut_before``/``cut_after`` say whether the window was cut out of a longer text, so that
    ellipses are honest. Returns None when nothing in the window matches.
    """
    first = next(found.spans(window), None) if found is not None else None
    if first is None:
        return None
    return excerpt(found, window, first[0], cut_before=cut_before, cut_after=cut_after)


def excerpt(
    found: Matcher | None,
    window: str,
    at: int,
    *,
    cut_before: bool,
    cut_after: bool,
) -> tuple[str, tuple[Span, ...]]:
    """Plain-text excerpt of ``window`` starting shortly before ``at``, with highlight spans."""
    start = max(0, at - LEAD_CHARS)
    if start > 0:
        # Begin at a word boundary, not in the middle of a word.
        space = window.find(" ", start, at)
        start = space + 1 if space != -1 else start
    end = min(len(window), start + SNIPPET_CHARS)
    if end < len(window):
        space = window.rfind(" ", max(at, start), end)
        end = space if space > at else end
    body = " ".join(window[start:end].split())  # newlines and runs of blanks: one space
    head = "… " if start > 0 or cut_before else ""
    tail = " …" if end < len(window) or cut_after else ""
    text = f"{head}{body}{tail}"
    # Spans are taken on the final string, so they are right by construction.
    return text, spans(found, text)


__all__ = ["Matcher", "Span", "Terms", "excerpt", "matcher", "snippet", "spans"]
