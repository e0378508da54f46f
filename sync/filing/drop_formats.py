"""Drag formats of Thunderbird and of raw mail data, parsed without Qt.

Thunderbird (Gecko) drags a message as ``text/x-moz-url`` -- UTF-16 text with the URL on one
line and its title on the next -- and, on Windows, as a file URL to an ``.eml`` copy in its
temp folder; ``application/x-moz-file`` carries a plain path. Mail data dragged as
``message/rfc822`` has no file name, so one is made from its subject.
"""

from __future__ import annotations

from email.parser import BytesHeaderParser
from email.policy import compat32

from sync.filing.mail import decode_words
from sync.filing.names import FALLBACK_NAME, clean_file_name, truncate_graphemes

MAIL_FALLBACK_NAME = "E-Mail"
_HEADER_BYTES = 64 * 1024  # a subject is near the top; huge headers are not worth parsing
_SUBJECT_CHARS = 120  # what fits a file name with room to spare


def decode_text(data: bytes) -> str:
    """Text that Gecko hands over as UTF-16 (with or without BOM) or another program as UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif len(data) >= 2 and data.count(0) * 3 >= len(data):
        # Mostly NUL bytes: UTF-16LE of ASCII-heavy text, which is what URLs and paths are.
        text = data[: len(data) // 2 * 2].decode("utf-16-le", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").strip("\x00")


def parse_moz_url(data: bytes) -> list[tuple[str, str]]:
    """``(url, title)`` pairs of a ``text/x-moz-url`` payload (several for several items)."""
    lines = [line.strip() for line in decode_text(data).split("\n")]
    pairs: list[tuple[str, str]] = []
    for number in range(0, len(lines), 2):
        url = lines[number].strip("\x00")
        title = lines[number + 1] if number + 1 < len(lines) else ""
        if url:
            pairs.append((url, title))
    return pairs


def parse_moz_file(data: bytes) -> list[str]:
    """Paths or file URLs in an ``application/x-moz-file`` payload, one per line."""
    return [line.strip() for line in decode_text(data).split("\n") if line.strip("\x00 ")]


def mail_file_name(data: bytes) -> str:
    """A Windows-safe ``.eml`` name for raw mail data, from its subject."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(data[:_HEADER_BYTES])
    raw = headers.get("Subject")
    return name_from_subject(decode_words(raw) if raw is not None else "", ".eml")


def name_from_subject(subject: str, extension: str) -> str:
    """A Windows-safe file name for a mail with ``subject``: a slash in a subject is text
    ("Frage/Antwort"), not a folder, so it is replaced like any other invalid character."""
    text = truncate_graphemes(" ".join(subject.split()), _SUBJECT_CHARS)
    text = text.replace("/", "_").replace("\\", "_")
    name, _ = clean_file_name(f"{text or MAIL_FALLBACK_NAME}{extension}")
    return name if name != FALLBACK_NAME else f"{MAIL_FALLBACK_NAME}{extension}"
