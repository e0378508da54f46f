"""Rendered pages, least recently used first out, bounded by their size in bytes.

Images are kept as ``QImage`` in ``Format_RGB32``, converted once from what the render process
sends: the raster engine paints that format without converting it on every paint.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtGui import QImage

#: Default budget; configurable per viewer (``DocumentViewer(cache_bytes=...)``).
DEFAULT_CACHE_BYTES = 200 * 1024 * 1024

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class CachedImage:
    """A rendered page that owns its pixels."""

    image: QImage

    @property
    def nbytes(self) -> int:
        return int(self.image.sizeInBytes())


class ImageCache(Generic[K]):
    def __init__(self, limit_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.limit_bytes = limit_bytes
        self._entries: OrderedDict[K, CachedImage] = OrderedDict()
        self._bytes = 0

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: K) -> CachedImage | None:
        """The entry for ``key``, marked as just used."""
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def peek(self, key: K) -> CachedImage | None:
        """The entry for ``key`` without marking it used (thumbnail lists ask for many)."""
        return self._entries.get(key)

    def put(self, key: K, entry: CachedImage) -> None:
        """Insert, then evict the least recently used until the budget holds. The newest
        entry always stays, even if it alone is over budget: it is about to be painted."""
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old.nbytes
        self._entries[key] = entry
        self._bytes += entry.nbytes
        while self._bytes > self.limit_bytes and len(self._entries) > 1:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= evicted.nbytes

    def items(self) -> Iterator[tuple[K, CachedImage]]:
        return iter(list(self._entries.items()))

    def discard_where(self, predicate: Callable[[K], bool]) -> None:
        for key in [k for k in self._entries if predicate(k)]:
            self._bytes -= self._entries.pop(key).nbytes
