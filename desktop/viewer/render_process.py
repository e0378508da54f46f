# PyMuPDF ships partial type hints: many of its functions are untyped.
# mypy: disable-error-code="no-untyped-call"
"""The render process: opens documents by path with PyMuPDF and answers render, text and
search requests (see ``render_protocol``).

It runs apart from the GUI because MuPDF holds the GIL while it renders, so a render in a
thread of the GUI process would still freeze the window; and because a malformed file that
crashes MuPDF then only takes this process down, which the client restarts. No Qt here: the
process is started with "spawn" (Windows has no fork) and should start quickly.

Requests are read as soon as they arrive, between every two pieces of work, so a render
asked for while a search runs is answered before the search's next page.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections import OrderedDict, deque
from collections.abc import Iterator
from multiprocessing.connection import Connection

import pymupdf
from PIL import Image, ImageSequence

from desktop.viewer.render_protocol import (
    CancelSearch,
    CloseDocument,
    ExtractText,
    Kind,
    OpenDocument,
    Opened,
    OpenFailed,
    PageSizes,
    Quit,
    Ready,
    Rect,
    Rendered,
    RenderFailed,
    RenderPage,
    Reply,
    Request,
    SearchDocument,
    SearchDone,
    SearchHits,
    TextExtracted,
)
from sync.filing.pdf import quiet_mupdf

log = logging.getLogger("eakte.desktop.viewer.render")

#: Documents kept open at once; the client closes the ones it no longer shows, this is a
#: safety net against a client that forgets.
MAX_OPEN = 4
# Pages measured between two looks at the request pipe. Measuring loads the page (about
# 1.2 ms for a scanned page): with 25 a first render waited up to 30 ms behind it.
SIZE_CHUNK = 2


def serve(requests: Connection, replies: Connection) -> None:
    """Entry point of the process: answer requests until ``Quit`` or the pipe closes."""
    quiet_mupdf()
    # The GUI going away (pipe closed) ends the process quietly: nothing left to answer.
    with contextlib.suppress(EOFError, BrokenPipeError, ConnectionResetError):
        replies.send(Ready())
        _Server(requests, replies).run()


def open_document(path: str, kind: Kind) -> pymupdf.Document:
    """Open a PDF, or an image as a document of one page per frame. Images MuPDF cannot
    read itself (WebP, some TIFF variants) are converted by Pillow to a TIFF first."""
    if kind == "pdf":
        return pymupdf.open(path, filetype="pdf")
    try:
        return pymupdf.open(path)
    except (pymupdf.FileDataError, RuntimeError):
        log.debug("MuPDF cannot read image %s; converting with Pillow", path)
    with Image.open(path) as image:
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return pymupdf.open(stream=buffer.getvalue(), filetype="tiff")


def render(
    doc: pymupdf.Document, page_no: int, width: int, rotation: int
) -> tuple[int, int, bytes]:
    """The page ``width`` device pixels wide: (width, height, packed RGB888 bytes)."""
    page = doc.load_page(page_no)
    rect = page.rect
    rotated_width = rect.width if rotation % 180 == 0 else rect.height
    scale = width / rotated_width
    matrix = pymupdf.Matrix(scale, scale).prerotate(rotation)
    pix = page.get_pixmap(matrix=matrix, alpha=False, colorspace=pymupdf.csRGB)
    # Sent as MuPDF makes it. The GUI turns it into Qt's RGB32 (SIMD, about 5 ms a page);
    # Pillow did the same here in 16 ms, and the pipe carried a third more bytes.
    return pix.width, pix.height, pix.samples


def page_text(doc: pymupdf.Document, page_no: int, clip: Rect | None) -> str:
    page = doc.load_page(page_no)
    if clip is None:
        return str(page.get_text("text", sort=True))
    # Text extraction works in unrotated page space; ``clip`` is in display space.
    area = pymupdf.Rect(clip) * page.derotation_matrix
    return str(page.get_text("text", clip=area, sort=True))


def search_pages(doc: pymupdf.Document, query: str) -> Iterator[tuple[int, tuple[Rect, ...]]]:
    """(page, hit rectangles in display space) for every page, one page per step; a page
    that cannot be read has no hits rather than ending the search."""
    for page_no in range(doc.page_count):
        try:
            page = doc.load_page(page_no)
            hits = [hit * page.rotation_matrix for hit in page.search_for(query)]
        except Exception:
            log.info("page %d cannot be searched", page_no, exc_info=True)
            hits = []
        yield page_no, tuple((h.x0, h.y0, h.x1, h.y1) for h in hits)


def _page_size(doc: pymupdf.Document, page_no: int) -> tuple[float, float]:
    rect = doc.load_page(page_no).rect
    return float(rect.width), float(rect.height)


def _measure(
    doc: pymupdf.Document, first: tuple[float, float]
) -> Iterator[tuple[tuple[float, float], ...] | None]:
    """Every page's size, a chunk of pages per step (None until the last step), so that
    renders asked for meanwhile wait at most one chunk. A page that cannot be read is
    taken to be as large as the first."""
    sizes = [first]
    for page_no in range(1, doc.page_count):
        try:
            sizes.append(_page_size(doc, page_no))
        except Exception:
            log.info("page %d cannot be measured", page_no, exc_info=True)
            sizes.append(first)
        if page_no % SIZE_CHUNK == 0:
            yield None
    yield tuple(sizes)


class _Server:
    def __init__(self, requests: Connection, replies: Connection) -> None:
        self._requests = requests
        self._replies = replies
        self._docs: OrderedDict[int, pymupdf.Document] = OrderedDict()
        self._tasks: deque[RenderPage | ExtractText] = deque()
        self._sizing: OrderedDict[int, Iterator[tuple[tuple[float, float], ...] | None]] = (
            OrderedDict()
        )
        self._searches: OrderedDict[int, tuple[int, Iterator[tuple[int, tuple[Rect, ...]]]]] = (
            OrderedDict()
        )

    def run(self) -> None:
        while True:
            idle = not self._tasks and not self._sizing and not self._searches
            if idle or self._requests.poll(0):
                # Block only when there is nothing to do; otherwise take what has arrived.
                if not self._take(self._requests.recv()):
                    return
                while self._requests.poll(0):
                    if not self._take(self._requests.recv()):
                        return
            if self._tasks:
                self._do(self._tasks.popleft())
            elif self._sizing:
                self._measure_step()
            elif self._searches:
                self._search_step()

    def _send(self, reply: Reply) -> None:
        self._replies.send(reply)

    def _take(self, request: Request) -> bool:
        """Handle a cheap request at once, queue a costly one; False on ``Quit``."""
        if isinstance(request, Quit):
            return False
        if isinstance(request, OpenDocument):
            self._open(request)
        elif isinstance(request, CloseDocument):
            self._close(request.handle)
        elif isinstance(request, RenderPage | ExtractText):
            self._tasks.append(request)
        elif isinstance(request, SearchDocument):
            doc = self._docs.get(request.handle)
            if doc is None:
                self._send(SearchDone(request.handle, request.ticket))
            else:
                steps = search_pages(doc, request.query)
                self._searches[request.ticket] = (request.handle, steps)
        elif isinstance(request, CancelSearch):
            self._searches.pop(request.ticket, None)
        return True

    def _open(self, request: OpenDocument) -> None:
        try:
            doc = open_document(request.path, request.kind)
        except FileNotFoundError:
            self._send(OpenFailed(request.handle, "missing"))
            return
        except Exception:
            log.info("cannot open %s", request.path, exc_info=True)
            self._send(OpenFailed(request.handle, "corrupt"))
            return
        if doc.needs_pass:
            doc.close()
            self._send(OpenFailed(request.handle, "encrypted"))
            return
        try:
            first = _page_size(doc, 0) if doc.page_count else None
        except Exception:
            log.info("cannot read the first page of %s", request.path, exc_info=True)
            first = None
        if first is None:
            doc.close()
            self._send(OpenFailed(request.handle, "empty"))
            return
        self._docs[request.handle] = doc
        while len(self._docs) > MAX_OPEN:
            self._close(next(iter(self._docs)))
        count = doc.page_count
        self._send(Opened(request.handle, count, first, has_text_layer=bool(doc.is_pdf)))
        self._sizing[request.handle] = _measure(doc, first)

    def _close(self, handle: int) -> None:
        for ticket, (owner, _steps) in list(self._searches.items()):
            if owner == handle:
                del self._searches[ticket]
        self._tasks = deque(t for t in self._tasks if t.handle != handle)
        self._sizing.pop(handle, None)
        doc = self._docs.pop(handle, None)
        if doc is not None:
            doc.close()
            if not self._docs:
                # MuPDF keeps decoded images in its store (up to 256 MB) after a document
                # is closed; nobody will ask for them again.
                pymupdf.TOOLS.store_shrink(100)

    def _do(self, task: RenderPage | ExtractText) -> None:
        doc = self._docs.get(task.handle)
        try:
            if doc is None:
                raise LookupError(f"document {task.handle} is not open")
            if isinstance(task, RenderPage):
                width, height, data = render(doc, task.page, task.width, task.rotation)
                reply: Reply = Rendered(task.handle, task.ticket, task.page, width, height, data)
            else:
                reply = TextExtracted(
                    task.handle, task.ticket, task.page, page_text(doc, task.page, task.clip)
                )
        except Exception:
            log.info("page %d of document %d failed", task.page, task.handle, exc_info=True)
            if isinstance(task, RenderPage):
                reply = RenderFailed(task.handle, task.ticket, task.page)
            else:
                reply = TextExtracted(task.handle, task.ticket, task.page, "")
        self._send(reply)

    def _measure_step(self) -> None:
        handle, steps = next(iter(self._sizing.items()))
        sizes = next(steps)
        if sizes is not None:
            del self._sizing[handle]
            self._send(PageSizes(handle, sizes))

    def _search_step(self) -> None:
        ticket, (handle, steps) = next(iter(self._searches.items()))
        try:
            page_no, rects = next(steps)
        except StopIteration:
            del self._searches[ticket]
            self._send(SearchDone(handle, ticket))
            return
        if rects:
            self._send(SearchHits(handle, ticket, page_no, rects))
