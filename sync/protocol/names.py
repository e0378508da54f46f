"""What a file name may be on the wire: one that every client, Windows included, can save.

The client's filing cleans names into this shape (``sync.filing.names``); the server refuses
anything else, so no clerk on Windows ever receives a document it cannot write to disk.
"""

from __future__ import annotations

import re
import unicodedata

# Not allowed in a Windows file name (besides control characters).
INVALID_CHARS = re.compile(r'[<>:"/\\|?*]')
# Device names: Windows ignores everything after the first dot here ("CON.pdf" is the console).
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "123456789\u00b9\u00b2\u00b3"}
)
# Bidi overrides can disguise "rechnung\u202efdp.exe" as "rechnungexe.pdf"; the BOM and
# directional marks are invisible.
INVISIBLE = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def is_reserved(name: str) -> bool:
    return name.partition(".")[0].rstrip(" ").upper() in RESERVED


def file_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file name on Windows, or None if it can."""
    if INVALID_CHARS.search(name):
        return 'a file name must not contain a path, a drive or any of <>:"|?*'
    if any(unicodedata.category(ch) == "Cc" or ch in INVISIBLE for ch in name):
        return "a file name must not contain control or invisible characters"
    if name in (".", "..") or name.endswith((".", " ")):
        return "a file name must not end with a dot or a space"
    if is_reserved(name):
        return "a file name must not be a Windows device name"
    return None
