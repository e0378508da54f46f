"""The scrolling canvas that shows all pages of a document one below the other.

It paints what the render queue has, asks for what it lacks (the visible pages first, then
their neighbours) and never waits: a page not rendered yet is a blank sheet, or the nearest
size already rendered, scaled, until the right one arrives. Images are rendered at the
screen's device pixel ratio and painted 1:1, so text stays sharp on high-DPI screens.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal, Slot
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from desktop.viewer.page_layout import PageLayout, Zoom
from desktop.viewer.page_painting import paint_frame, paint_marks, paint_page
from desktop.viewer.render_protocol import Rect
from desktop.viewer.render_queue import ImageKey, RenderQueue, Wish

PREFETCH_PAGES = 2  # rendered ahead on either side of the visible ones
#: Largest page image in device pixels (about 64 MB): beyond it a page is rendered smaller
#: and scaled up, rather than one page filling the whole cache at extreme zoom.
MAX_RENDER_PIXELS = 16_000_000
SCROLL_STEP = 40
DRAG_THRESHOLD = 4


class PageCanvas(QAbstractScrollArea):
    """Signals: ``current_page_changed(int)``, ``layout_changed()`` (zoom or rotation),
    ``selection_changed()``."""

    current_page_changed = Signal(int)
    layout_changed = Signal()
    selection_changed = Signal()

    def __init__(self, images: RenderQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images = images
        self.setAccessibleName(self.tr("Dokumentseiten"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        # Always there: a scroll bar appearing after the first layout would narrow the view
        # and make the first page render twice, at two widths.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._handle: int | None = None
        self._sizes: list[tuple[float, float]] = []
        self._zoom = Zoom()
        self._rotation = 0
        self._layout: PageLayout | None = None
        self._current_page = 0
        self._selectable = False
        self._hits: dict[int, list[Rect]] = {}
        self._current_hit: tuple[int, Rect] | None = None
        self._selection: tuple[int, Rect] | None = None
        self._drag_from: tuple[int, QPointF] | None = None
        images.image_ready.connect(self._image_arrived)
        images.render_failed.connect(self._image_arrived)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)

    # -- document -----------------------------------------------------------------------

    def set_document(
        self, handle: int, sizes: Sequence[tuple[float, float]], *, selectable: bool
    ) -> None:
        self._handle = handle
        self._sizes = list(sizes)
        self._selectable = selectable
        self._hits = {}
        self._current_hit = None
        self._selection = None
        self._current_page = 0
        cursor = Qt.CursorShape.CrossCursor if selectable else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(cursor)
        self._relayout(anchor=(0, 0.0))
        self.verticalScrollBar().setValue(0)
        self.current_page_changed.emit(0)

    def set_sizes(self, sizes: Sequence[tuple[float, float]]) -> None:
        """The measured page sizes, once known; the view stays where it is."""
        if list(sizes) != self._sizes and len(sizes) == len(self._sizes):
            self._sizes = list(sizes)
            self._relayout()

    def clear(self) -> None:
        self._handle = None
        self._sizes = []
        self._layout = None
        self._hits = {}
        self._current_hit = None
        self._selection = None
        self._drag_from = None
        self.verticalScrollBar().setRange(0, 0)
        self.horizontalScrollBar().setRange(0, 0)
        self.viewport().update()

    @property
    def handle(self) -> int | None:
        return self._handle

    @property
    def page_count(self) -> int:
        return len(self._sizes)

    @property
    def layout_info(self) -> PageLayout | None:
        return self._layout

    # -- zoom, rotation, navigation -----------------------------------------------------

    @property
    def zoom(self) -> Zoom:
        return self._zoom

    def zoom_factor(self) -> float:
        return self._layout.zoom_factor if self._layout is not None else 1.0

    def set_zoom(self, zoom: Zoom) -> None:
        self._zoom = zoom
        self._relayout()

    def zoom_by(self, direction: int) -> None:
        self.set_zoom(self._zoom.step(self.zoom_factor(), direction))

    @property
    def rotation(self) -> int:
        return self._rotation

    def rotate(self, degrees: int) -> None:
        self._rotation = (self._rotation + degrees) % 360
        self._selection = None
        self._relayout()

    def reset_rotation(self) -> None:
        """Upright again, for the next document (takes effect when it is set)."""
        self._rotation = 0

    def current_page(self) -> int:
        return self._current_page

    def go_to_page(self, page: int) -> None:
        if self._layout is None or not 0 <= page < len(self._layout.rects):
            return
        self.verticalScrollBar().setValue(round(self._layout.rects[page].top()) - 6)
        # Asked for by number: that page is current even where it cannot reach the top.
        if page != self._current_page:
            self._current_page = page
            self.current_page_changed.emit(page)

    def show_rect(self, page: int, rect: Rect) -> None:
        """Scroll so that ``rect`` (page points) is in view, centred if it was not."""
        if self._layout is None:
            return
        target = self._layout.to_canvas(page, rect)
        seen = QRectF(self._offset(), self.viewport().size().toSizeF())
        if seen.contains(target):
            return
        bar = self.verticalScrollBar()
        bar.setValue(round(target.center().y() - self.viewport().height() / 2))
        hbar = self.horizontalScrollBar()
        if target.left() < seen.left() or target.right() > seen.right():
            hbar.setValue(round(target.center().x() - self.viewport().width() / 2))

    # -- overlays -----------------------------------------------------------------------

    def set_hits(self, hits: dict[int, list[Rect]], current: tuple[int, Rect] | None) -> None:
        self._hits = hits
        self._current_hit = current
        self.viewport().update()

    @property
    def selection(self) -> tuple[int, Rect] | None:
        """The dragged rectangle: (page, rectangle in page points)."""
        return self._selection

    @property
    def hits(self) -> dict[int, list[Rect]]:
        """Search hits shown, by page."""
        return self._hits

    @property
    def current_hit(self) -> tuple[int, Rect] | None:
        return self._current_hit

    def clear_selection(self) -> None:
        if self._selection is not None:
            self._selection = None
            self.viewport().update()
            self.selection_changed.emit()

    # -- layout and scrolling -----------------------------------------------------------

    def _offset(self) -> QPointF:
        """Canvas coordinates of the viewport's top left corner."""
        x = float(self.horizontalScrollBar().value())
        if self._layout is not None and self._layout.width < self.viewport().width():
            x = -(self.viewport().width() - self._layout.width) / 2
        return QPointF(x, float(self.verticalScrollBar().value()))

    def _anchor(self) -> tuple[int, float]:
        if self._layout is None:
            return 0, 0.0
        return self._layout.anchor(self.verticalScrollBar().value())

    def _relayout(self, anchor: tuple[int, float] | None = None) -> None:
        if not self._sizes:
            return
        page, fraction = anchor if anchor is not None else self._anchor()
        viewport = self.viewport().size()
        self._layout = PageLayout(
            self._sizes,
            zoom=self._zoom,
            rotation=self._rotation,
            viewport_width=viewport.width(),
            viewport_height=viewport.height(),
        )
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setRange(0, max(0, self._layout.height - viewport.height()))
        vbar.setPageStep(max(SCROLL_STEP, viewport.height() - SCROLL_STEP))
        vbar.setSingleStep(SCROLL_STEP)
        hbar.setRange(0, max(0, self._layout.width - viewport.width()))
        hbar.setPageStep(viewport.width())
        hbar.setSingleStep(SCROLL_STEP)
        rect = self._layout.rects[page]
        vbar.setValue(round(rect.top() + fraction * rect.height()))
        self._scrolled()
        self.layout_changed.emit()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange:  # moved to another screen
            self._scrolled()  # asks for images at the new ratio
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._relayout()

    @Slot()
    def _scrolled(self) -> None:
        if self._layout is None:
            return
        page = self._most_visible_page()
        if page != self._current_page:
            self._current_page = page
            self.current_page_changed.emit(page)
        self._request_images()
        self.viewport().update()

    def _most_visible_page(self) -> int:
        """At the very end of the document, the last page (it may never fill the view)."""
        assert self._layout is not None
        bar = self.verticalScrollBar()
        if bar.maximum() > 0 and bar.value() == bar.maximum():
            return len(self._layout.rects) - 1
        return self._layout.most_visible(bar.value(), bar.value() + self.viewport().height())

    def _visible_pages(self) -> list[int]:
        if self._layout is None:
            return []
        top = self.verticalScrollBar().value()
        return self._layout.visible(top, top + self.viewport().height())

    def _key(self, page: int) -> ImageKey:
        assert self._layout is not None and self._handle is not None
        rect = self._layout.rects[page]
        dpr = self.devicePixelRatioF()
        width, height = rect.width() * dpr, rect.height() * dpr
        if width * height > MAX_RENDER_PIXELS:
            width *= (MAX_RENDER_PIXELS / (width * height)) ** 0.5
        return ImageKey(self._handle, page, max(1, round(width)), self._rotation)

    def _request_images(self) -> None:
        visible = self._visible_pages()
        if not visible or self._handle is None:
            return
        middle = self.verticalScrollBar().value() + self.viewport().height() / 2
        assert self._layout is not None
        layout = self._layout
        visible.sort(key=lambda p: abs(layout.rects[p].center().y() - middle))
        self.images.want(Wish.VISIBLE, [self._key(p) for p in visible])
        first, last = min(visible), max(visible)
        ahead = [
            p
            for distance in range(1, PREFETCH_PAGES + 1)
            for p in (last + distance, first - distance)
            if 0 <= p < len(layout.rects)
        ]
        self.images.want(Wish.PREFETCH, [self._key(p) for p in ahead])

    @Slot(object)
    def _image_arrived(self, key: ImageKey) -> None:
        if key.handle == self._handle and key.page in self._visible_pages():
            self.viewport().update()

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self.viewport())
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Dark))
        if self._layout is not None:
            painter.translate(-self._offset())
            for page in self._visible_pages():
                self._paint_page(painter, page, palette)
        painter.end()

    def _paint_page(self, painter: QPainter, page: int, palette: QPalette) -> None:
        layout = self._layout
        assert layout is not None
        rect = layout.rects[page]
        key = self._key(page)
        exact = self.images.image(key)
        if exact is not None:
            exact.setDevicePixelRatio(key.width / rect.width())
        failed = self.images.failed(key)
        notice = (
            self.tr("Seite %1 konnte nicht dargestellt werden.")
            if failed
            else self.tr("Seite %1 wird geladen …")
        ).replace("%1", str(page + 1))
        painter.save()
        painter.setClipRect(rect)
        stand_in = self.images.nearest(key) if exact is None else None
        paint_page(painter, rect, palette, exact=exact, stand_in=stand_in, notice=notice)

        def area(mark: tuple[int, Rect] | None) -> QRectF | None:
            return layout.to_canvas(page, mark[1]) if mark and mark[0] == page else None

        paint_marks(
            painter,
            palette,
            hits=[layout.to_canvas(page, hit) for hit in self._hits.get(page, [])],
            current=area(self._current_hit),
            selection=area(self._selection),
        )
        painter.restore()
        paint_frame(painter, rect, palette)

    # -- mouse and keyboard -------------------------------------------------------------

    def _canvas_point(self, event: QMouseEvent) -> QPointF:
        return event.position() + self._offset()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._layout is None:
            super().mousePressEvent(event)
            return
        point = self._canvas_point(event)
        page = self._layout.page_at(point.y())
        self._drag_from = (page, point) if self._selectable else None
        self.clear_selection()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_from is None or self._layout is None:
            super().mouseMoveEvent(event)
            return
        page, start = self._drag_from
        point = self._canvas_point(event)
        if (point - start).manhattanLength() < DRAG_THRESHOLD:
            return
        self._selection = (page, self._layout.to_page(page, QRectF(start, point).normalized()))
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_from is not None and self._selection is not None:
            self.selection_changed.emit()
        self._drag_from = None
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        bar = self.verticalScrollBar()
        if event.key() == Qt.Key.Key_Home:
            bar.setValue(bar.minimum())
        elif event.key() == Qt.Key.Key_End:
            bar.setValue(bar.maximum())
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_by(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def is_rendered(self, page: int) -> bool:
        """The page is painted from an image of exactly its current size."""
        if self._layout is None or not 0 <= page < len(self._layout.rects):
            return False
        return self.images.peek(self._key(page)) is not None

    def page_rect_in_viewport(self, page: int) -> QRect:
        """Where ``page`` is on screen (for tests and accessibility)."""
        if self._layout is None:
            return QRect()
        return self._layout.rects[page].translated(-self._offset()).toRect()
