"""File names that are safe on Windows, and document titles derived from names.

Names come from drag and drop, e-mail attachments and scanners: anything goes, including
path components, control characters, NFD umlauts from macOS and Windows device names.
"""

from __future__ import annotations

import re
import unicodedata

from sync.protocol.names import INVALID_CHARS, INVISIBLE, is_reserved

FALLBACK_NAME = "Dokument"
MAX_TITLE_LEN = 200

# What a name may be is the wire protocol's rule; this module makes names fit it.
_INVALID_CHARS = INVALID_CHARS
# Invisible characters go, like control characters.
_INVISIBLE = INVISIBLE
_MAX_EXT_LEN = 16
# Characters a cut must not separate from the character before them.
_ZWJ = "\u200d"


def _strip_invisible(text: str) -> str:
    return "".join(ch for ch in text if ch not in _INVISIBLE and unicodedata.category(ch) != "Cc")


def _base_name(name: str) -> str:
    """The last non-empty path component of ``name`` (both separators count)."""
    parts = [p for p in re.split(r"[\\/]", name) if p.strip()]
    return parts[-1] if parts else ""


def _split_ext(name: str) -> tuple[str, str]:
    """``("stem", ".ext")``; an implausible extension (long, with spaces) counts as stem."""
    dot = name.rfind(".")
    if dot <= 0:
        return name, ""
    ext = name[dot:]
    if len(ext) > _MAX_EXT_LEN or len(ext) < 2 or not ext[1:].isalnum():
        return name, ""
    return name[:dot], ext


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _glued_to_previous(ch: str) -> bool:
    """Whether ``ch`` belongs to the grapheme before it (combining marks, ZWJ, selectors)."""
    cp = ord(ch)
    return (
        unicodedata.category(ch).startswith("M")
        or ch == _ZWJ
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF
    )


def truncate_graphemes(text: str, max_units: int) -> str:
    """``text`` cut to at most ``max_units`` UTF-16 code units at a grapheme boundary.

    Windows counts names in UTF-16 units, so an emoji costs two. The boundary test is an
    approximation of UAX #29 that is good enough for names: it never splits a surrogate
    pair, a base letter from its combining marks, or a ZWJ emoji sequence.
    """
    if _utf16_len(text) <= max_units:
        return text
    units = 0
    end = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > max_units:
            break
        end = i + 1
    while 0 < end < len(text) and (_glued_to_previous(text[end]) or text[end - 1] == _ZWJ):
        end -= 1
    return text[:end]


def _fix_reserved(name: str) -> str:
    """``CON.pdf`` → ``CON_.pdf``: Windows ignores everything after the first dot here."""
    first, dot, rest = name.partition(".")
    if is_reserved(name):
        return f"{first.rstrip(' ')}_{dot}{rest}"
    return name


def _cap(name: str, max_len: int) -> str:
    stem, ext = _split_ext(name)
    if _utf16_len(ext) >= max_len // 2:
        stem, ext = name, ""
    stem = truncate_graphemes(stem, max_len - _utf16_len(ext))
    return stem.rstrip(". ") + ext


def clean_file_name(name: str, max_len: int = 150) -> tuple[str, bool]:
    """A Windows-safe, NFC-normalised version of ``name`` and whether it differs from it.

    ``max_len`` counts UTF-16 code units, as NTFS does.
    """
    if max_len < 8:
        raise ValueError("max_len must be at least 8")
    result = unicodedata.normalize("NFC", name)
    result = _base_name(_strip_invisible(result))
    result = _INVALID_CHARS.sub("_", result)
    result = result.strip(" ").rstrip(". ")
    result = _cap(result, max_len)
    result = _fix_reserved(result)
    if _utf16_len(result) > max_len:
        result = _cap(result, max_len)
    if not result.strip(" ."):
        result = FALLBACK_NAME
    return result, result != name


_SLUG_DASH = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def title_from_file_name(name: str) -> str:
    """A readable title from a file name: ``"Antrag_Bauvorhaben-Mueller.pdf"`` → text.

    Underscores become spaces. Dashes between letters become spaces only in "slug" names
    (no spaces, at least two such dashes), so "Müller-Lüdenscheidt" and dates stay as
    they are.
    """
    base = _base_name(_strip_invisible(unicodedata.normalize("NFC", name)))
    stem, _ext = _split_ext(base)
    has_space = bool(re.search(r"[\s_]", stem))
    text = stem.replace("_", " ")
    if not has_space and len(_SLUG_DASH.findall(text)) >= 2:
        text = _SLUG_DASH.sub(" ", text)
    text = " ".join(text.split())
    text = truncate_graphemes(text, MAX_TITLE_LEN).strip()
    return text or FALLBACK_NAME


_GENERIC_TITLES = frozenset(
    {
        "untitled",
        "unbenannt",
        "ohne titel",
        "kein titel",
        "titel",
        "title",
        "document",
        "dokument",
        "scan",
        "microsoft word",
        "präsentation",
        "powerpoint-präsentation",
        "powerpoint presentation",
    }
)
_FILE_NAME_LIKE = re.compile(r"\.[A-Za-z0-9]{2,5}$")
_GENERATOR_PREFIX = re.compile(r"^Microsoft (Word|Excel|PowerPoint) - ", re.IGNORECASE)


def meaningful_title(candidate: str | None) -> str | None:
    """``candidate`` (a metadata title or subject) cleaned, or ``None`` if it says nothing.

    Producers fill the title with junk: "Microsoft Word - Dokument1.docx", "untitled",
    "Scan0001.pdf", "Document1". Those fall back to the file name.
    """
    if not candidate:
        return None
    text = " ".join(_strip_invisible(unicodedata.normalize("NFC", candidate)).split())
    text = _GENERATOR_PREFIX.sub("", text)
    if not any(ch.isalpha() for ch in text) or _FILE_NAME_LIKE.search(text):
        return None
    if re.sub(r"[\s\d_-]+$", "", text).casefold() in _GENERIC_TITLES:
        return None
    return truncate_graphemes(text, MAX_TITLE_LEN).strip() or None
