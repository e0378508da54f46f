"""Long id lists in pieces: SQLite allows a limited number of parameters per statement."""

from __future__ import annotations

from collections.abc import Iterable


def chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
