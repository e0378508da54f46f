"""Which page images to render next, and the cache they land in.

The canvas and the thumbnail strip say what they would like to have (``want``), most
important first; the queue keeps only ``in_flight`` renders at the render process at a time
and picks the next one when a result arrives. So when the clerk scrolls on, pages that went
out of sight are simply never asked for, and the pipe to the process stays short. A result
whose ticket is not in flight any more (document switched, process restarted) is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from desktop.viewer.pixmap_cache import CachedImage, ImageCache
from desktop.viewer.render_client import RenderClient
from desktop.viewer.render_protocol import Rendered, RenderFailed

IN_FLIGHT = 2  # one rendering, one waiting: the process never idles between pages


@dataclass(frozen=True)
class ImageKey:
    """A page of an opened document, rendered ``width`` device pixels wide."""

    handle: int
    page: int
    width: int
    rotation: int


class Wish(IntEnum):
    """Who wants an image; lower values are served first."""

    VISIBLE = 0
    THUMBNAILS = 1
    PREFETCH = 2


class RenderQueue(QObject):
    """Signals ``image_ready(ImageKey)`` and ``render_failed(ImageKey)``."""

    image_ready = Signal(object)
    render_failed = Signal(object)

    def __init__(
        self,
        client: RenderClient,
        cache: ImageCache[ImageKey],
        parent: QObject | None = None,
        *,
        in_flight: int = IN_FLIGHT,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.cache = cache
        self._max_in_flight = in_flight
        self._handle: int | None = None
        self._wishes: dict[Wish, list[ImageKey]] = {}
        self._in_flight: dict[int, ImageKey] = {}
        self._failed: set[ImageKey] = set()
        client.replied.connect(self._on_reply)
        client.restarted.connect(self._in_flight.clear)

    def set_handle(self, handle: int | None) -> None:
        """Serve only ``handle`` from now on; images of other documents leave the cache."""
        self._handle = handle
        self._wishes.clear()
        self._in_flight.clear()
        self._failed.clear()
        self.cache.discard_where(lambda key: key.handle != handle)

    def want(self, wish: Wish, keys: Sequence[ImageKey]) -> None:
        """Replace what ``wish`` asks for, most wanted first."""
        self._wishes[wish] = [k for k in keys if k.handle == self._handle]
        self._pump()

    def image(self, key: ImageKey) -> QImage | None:
        entry = self.cache.get(key)
        return entry.image if entry is not None else None

    def peek(self, key: ImageKey) -> QImage | None:
        entry = self.cache.peek(key)
        return entry.image if entry is not None else None

    def nearest(self, key: ImageKey) -> QImage | None:
        """The largest cached image of the same page and rotation: shown scaled while the
        right size is rendered (after zooming, or a thumbnail before the page)."""
        best: CachedImage | None = None
        for other, entry in self.cache.items():
            if (other.handle, other.page, other.rotation) != (key.handle, key.page, key.rotation):
                continue
            if best is None or entry.image.width() > best.image.width():
                best = entry
        return best.image if best is not None else None

    def failed(self, key: ImageKey) -> bool:
        return key in self._failed

    def idle(self) -> bool:
        return not self._in_flight

    def _pump(self) -> None:
        if self._handle is None:
            return
        busy = set(self._in_flight.values())
        for wish in sorted(self._wishes):
            for key in self._wishes[wish]:
                if len(self._in_flight) >= self._max_in_flight:
                    return
                if key in busy or key in self._failed or key in self.cache:
                    continue
                ticket = self.client.render(key.handle, key.page, key.width, key.rotation)
                self._in_flight[ticket] = key
                busy.add(key)

    @Slot(object)
    def _on_reply(self, reply: object) -> None:
        if not isinstance(reply, Rendered | RenderFailed):
            return
        key = self._in_flight.pop(reply.ticket, None)
        if key is None or key.handle != self._handle:
            return  # stale: asked for before a switch or a restart
        if isinstance(reply, Rendered):
            packed = QImage(
                reply.data, reply.width, reply.height, 3 * reply.width, QImage.Format.Format_RGB888
            )
            # Converted once, to the format the raster engine paints without converting; the
            # copy owns its pixels, so the reply's bytes can go.
            image = packed.convertToFormat(QImage.Format.Format_RGB32)
            self.cache.put(key, CachedImage(image))
            self.image_ready.emit(key)
        else:
            self._failed.add(key)
            self.render_failed.emit(key)
        self._pump()
