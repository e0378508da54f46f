"""Folding: how German clerks type, reduced to one spelling per word.

Python cannot register custom FTS5 tokenizers, so the index stores *folded* text and every
query term is folded by the same function. Matching is then exact on folded tokens:

    NFKC → casefold (ß → ss) → strip combining accents (ä → a, é → e) → digraphs ae/oe/ue → a/o/u

The digraph rule is what lets ``mueller`` find ``Müller``. It also rewrites words that never
had an umlaut (``Feuer`` → ``feur``, ``Quelle`` → ``qulle``, ``aktuell`` → ``aktull``,
``Mauer`` → ``maur``); that is harmless because the query side is rewritten identically, so
``feuer`` still meets ``feur`` and nothing else. The rule collapses *all* e's after a/o/u
(``uee`` → ``u``), not just one: otherwise ``fold(fold(x)) != fold(x)`` and a folded prefix
would stop being a prefix of the folded word. Prefix queries stay right because folding
never moves characters across a token boundary: ``feue*`` → ``feu*`` is a prefix of ``feur``.
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks of Latin/Greek/Cyrillic scripts (what NFD splits off ä, é, ç ...). Other
# scripts keep their marks; that is consistent on both sides, which is all that matters.
MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARKS_RE = re.compile(f"[{MARKS}]+")

# Typography that PDFs and Word are full of. All of it separates tokens anyway, so mapping it
# to ASCII separators changes no token, but keeps most German text on the fast path below.
_TYPOGRAPHY = (
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u201a", "'"),
    ("\u2026", "..."),
    ("\u20ac", " "),
    ("\u2022", " "),
)
# Latin-1 characters whose fold is not one Latin-1 character (ß is replaced beforehand).
_LATIN1_SLOW = "\u00b5\u00bc\u00bd\u00be"


def _fold_unicode(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _MARKS_RE.sub("", unicodedata.normalize("NFD", folded))
    # NFC again so that scripts composed without Latin marks (Hangul) round-trip stably.
    return _typography(unicodedata.normalize("NFC", folded))


def _typography(text: str) -> str:
    for old, new in _TYPOGRAPHY:
        if old in text:
            text = text.replace(old, new)
    return text


def _collapse_digraphs(text: str) -> str:
    # Same as re.sub("([aou])e+", r"\1", text), about twice as fast on long texts.
    while "ae" in text or "oe" in text or "ue" in text:
        text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return text


# Byte → its fold, for the Latin-1 fast path (one C-level translate instead of five passes).
_LATIN1_TABLE = bytes(
    ord(f) if len(f := _fold_unicode(chr(b))) == 1 and ord(f) < 256 else b for b in range(256)
)


def fold(text: str) -> str:
    """The search spelling of ``text``: lower case, no accents, no umlaut digraphs."""
    if text.isascii():
        return _collapse_digraphs(text.lower())
    text = _typography(text)
    if "ß" in text:
        text = text.replace("ß", "ss")
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return _collapse_digraphs(_fold_unicode(text))
    if any(ch in text for ch in _LATIN1_SLOW):
        return _collapse_digraphs(_fold_unicode(text))
    return _collapse_digraphs(raw.translate(_LATIN1_TABLE).decode("latin-1"))


def is_token_char(ch: str) -> bool:
    """Roughly FTS5 unicode61's notion of a token character (letters, digits, marks)."""
    return unicodedata.category(ch)[0] in "LNM" or ch.isalnum()


def tokens(folded: str) -> list[str]:
    """Split already folded text into tokens the way the FTS5 tokenizer would."""
    out: list[str] = []
    current: list[str] = []
    for ch in folded:
        if is_token_char(ch):
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


__all__ = ["MARKS", "fold", "is_token_char", "tokens"]
