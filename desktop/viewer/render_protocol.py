"""Messages between the viewer and its render process (pickled over two one-way pipes).

Qt-free on purpose: the render process imports this module, not Qt. Rectangles are
``(x0, y0, x1, y1)`` in points in the page's *display* space: the page as a reader sees it
(its own /Rotate applied), origin top left, before the viewer's extra rotation.

Every reply carries the ``handle`` of the opened document and, where it answers a request,
the request's ``ticket``; the client drops replies whose handle or ticket it no longer waits
for (the page scrolled away, the document was switched, the process was restarted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Rect = tuple[float, float, float, float]

#: Why a document could not be opened; the viewer turns these into German messages.
OpenFailure = Literal["encrypted", "corrupt", "empty", "missing"]
#: How to open a file: as a PDF, or as an image (multi-page TIFF: one page per frame).
Kind = Literal["pdf", "image"]


# --- requests ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDocument:
    handle: int
    path: str
    kind: Kind


@dataclass(frozen=True)
class CloseDocument:
    handle: int


@dataclass(frozen=True)
class RenderPage:
    """Render ``page`` ``width`` device pixels wide (after ``rotation``, 0/90/180/270)."""

    handle: int
    ticket: int
    page: int
    width: int
    rotation: int


@dataclass(frozen=True)
class ExtractText:
    """The text of ``page``, or only of the part inside ``clip`` (display space)."""

    handle: int
    ticket: int
    page: int
    clip: Rect | None


@dataclass(frozen=True)
class SearchDocument:
    """Find ``query`` on every page; hits stream back page by page, then ``SearchDone``."""

    handle: int
    ticket: int
    query: str


@dataclass(frozen=True)
class CancelSearch:
    ticket: int


@dataclass(frozen=True)
class Quit:
    pass


Request = (
    OpenDocument | CloseDocument | RenderPage | ExtractText | SearchDocument | CancelSearch | Quit
)


# --- replies -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ready:
    """The process has imported what it needs and reads requests (start-up takes a while;
    the client's hang watchdog only counts from here)."""


@dataclass(frozen=True)
class Opened:
    """``first_page``: (width, height) in points, display space. The sizes of all pages
    follow in ``PageSizes`` (a 300-page scan takes tens of milliseconds to measure, which
    the first page should not wait for); until then, take every page to be as large as
    the first, as it is in nearly every document."""

    handle: int
    page_count: int
    first_page: tuple[float, float]
    has_text_layer: bool


@dataclass(frozen=True)
class PageSizes:
    handle: int
    sizes: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class OpenFailed:
    handle: int
    reason: OpenFailure


@dataclass(frozen=True)
class Rendered:
    """``data``: ``width`` x ``height`` pixels, 3 bytes each (R, G, B), rows packed."""

    handle: int
    ticket: int
    page: int
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class RenderFailed:
    handle: int
    ticket: int
    page: int


@dataclass(frozen=True)
class TextExtracted:
    handle: int
    ticket: int
    page: int
    text: str


@dataclass(frozen=True)
class SearchHits:
    handle: int
    ticket: int
    page: int
    rects: tuple[Rect, ...]


@dataclass(frozen=True)
class SearchDone:
    handle: int
    ticket: int


Reply = (
    Ready
    | Opened
    | PageSizes
    | OpenFailed
    | Rendered
    | RenderFailed
    | TextExtracted
    | SearchHits
    | SearchDone
)
