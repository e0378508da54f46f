"""German dictionary order for the document list, computed once per load.

Comparing strings with ``QCollator`` in a sort callback costs a Python call per comparison;
instead each text gets its rank in German order (Ä next to A, "Brief 9" before "Brief 10",
case ignored), computed in the loader's worker thread. Sorting a column is then a plain
integer sort on the GUI thread. ``QCollator`` is reentrant, so every call makes its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCollator, QLocale, Qt


def german_collator() -> QCollator:
    collator = QCollator(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    collator.setNumericMode(True)
    return collator


def collation_ranks(texts: Sequence[str | None]) -> list[int | None]:
    """The rank of each text in German order; texts the collator finds equal share a rank.
    None (no value) stays None, so that callers can put it last in either direction."""
    collator = german_collator()
    keys = {text: collator.sortKey(text) for text in set(texts) if text is not None}
    ranks: dict[str, int] = {}
    previous = None
    rank = -1
    for text in sorted(keys, key=keys.__getitem__):
        key = keys[text]
        if previous is None or previous.compare(key) != 0:
            rank += 1
        ranks[text] = rank
        previous = key
    return [None if text is None else ranks[text] for text in texts]
