"""Where each page of a document sits in the scrolling canvas, and how page points map to
canvas pixels under the view's zoom and rotation.

Page coordinates are points in the page's display space (``render_protocol``); the view's
own rotation turns a page clockwise by 90, 180 or 270 degrees, exactly as MuPDF does for
``Matrix.prerotate`` when it renders, so overlays (search hits, selection) line up with the
rendered pixels.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QPointF, QRectF

from desktop.viewer.render_protocol import Rect

#: Logical pixels per point at 100 %: a page is as large as on paper on a 96 dpi screen.
PIXELS_PER_POINT = 96 / 72
MARGIN = 12  # around the pages, logical pixels
GAP = 12  # between two pages
MIN_ZOOM = 0.1
MAX_ZOOM = 6.0
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 6.0)


class ZoomMode(Enum):
    FIT_WIDTH = "fit_width"
    FIT_PAGE = "fit_page"
    FIXED = "fixed"


@dataclass(frozen=True)
class Zoom:
    mode: ZoomMode = ZoomMode.FIT_WIDTH
    factor: float = 1.0  # only for FIXED: 1.0 is 100 %

    def step(self, current: float, direction: int) -> Zoom:
        """The next fixed zoom above (``direction`` 1) or below (-1) ``current``."""
        if direction > 0:
            bigger = [z for z in ZOOM_STEPS if z > current * 1.001]
            return Zoom(ZoomMode.FIXED, bigger[0] if bigger else ZOOM_STEPS[-1])
        smaller = [z for z in ZOOM_STEPS if z < current * 0.999]
        return Zoom(ZoomMode.FIXED, smaller[-1] if smaller else ZOOM_STEPS[0])


def rotated_size(width: float, height: float, rotation: int) -> tuple[float, float]:
    return (width, height) if rotation % 180 == 0 else (height, width)


def rotate_point(x: float, y: float, w: float, h: float, rotation: int) -> tuple[float, float]:
    """A point of a w x h page, turned clockwise with the page."""
    if rotation == 90:
        return h - y, x
    if rotation == 180:
        return w - x, h - y
    if rotation == 270:
        return y, w - x
    return x, y


def unrotate_point(u: float, v: float, w: float, h: float, rotation: int) -> tuple[float, float]:
    """The inverse of ``rotate_point``."""
    if rotation == 90:
        return v, h - u
    if rotation == 180:
        return w - u, h - v
    if rotation == 270:
        return w - v, u
    return u, v


class PageLayout:
    """Pages stacked top to bottom, each centred horizontally, at one scale."""

    def __init__(
        self,
        sizes: Sequence[tuple[float, float]],
        *,
        zoom: Zoom,
        rotation: int,
        viewport_width: int,
        viewport_height: int,
    ) -> None:
        self.sizes = list(sizes)
        self.rotation = rotation
        turned = [rotated_size(w, h, rotation) for w, h in self.sizes] or [(1.0, 1.0)]
        widest = max(w for w, _ in turned)
        tallest = max(h for _, h in turned)
        fit_width = max(1.0, viewport_width - 2 * MARGIN) / widest
        if zoom.mode is ZoomMode.FIT_WIDTH:
            scale = fit_width
        elif zoom.mode is ZoomMode.FIT_PAGE:
            scale = min(fit_width, max(1.0, viewport_height - 2 * MARGIN) / tallest)
        else:
            scale = zoom.factor * PIXELS_PER_POINT
        self.scale = min(max(scale, MIN_ZOOM * PIXELS_PER_POINT), MAX_ZOOM * PIXELS_PER_POINT)
        self.width = round(widest * self.scale) + 2 * MARGIN
        self.rects: list[QRectF] = []
        self._tops: list[float] = []
        # Whole pixels, so that a page image rendered to this size is painted 1:1.
        y = MARGIN
        for w, h in turned[: len(self.sizes)]:
            pw, ph = max(1, round(w * self.scale)), max(1, round(h * self.scale))
            self.rects.append(QRectF((self.width - pw) // 2, y, pw, ph))
            self._tops.append(float(y))
            y += ph + GAP
        self.height = y - GAP + MARGIN if self.sizes else 0

    @property
    def zoom_factor(self) -> float:
        """The effective zoom, 1.0 = 100 %."""
        return self.scale / PIXELS_PER_POINT

    def page_at(self, y: float) -> int:
        """The page at canvas height ``y`` (the one above it when ``y`` is in a gap)."""
        return max(0, bisect.bisect_right(self._tops, y) - 1)

    def visible(self, top: float, bottom: float) -> list[int]:
        if not self.rects:
            return []
        first = self.page_at(top)
        last = self.page_at(bottom)
        return [p for p in range(first, last + 1) if self.rects[p].bottom() >= top]

    def most_visible(self, top: float, bottom: float) -> int:
        """The page that fills most of the band from ``top`` to ``bottom`` (the upper one
        of equals)."""
        best, shown = 0, -1.0
        for page in self.visible(top, bottom):
            rect = self.rects[page]
            height = min(rect.bottom(), bottom) - max(rect.top(), top)
            if height > shown + 0.5:
                best, shown = page, height
        return best

    def anchor(self, top: float) -> tuple[int, float]:
        """The page at height ``top`` and how far down that page ``top`` is (0 to 1): kept
        across zooming and rotating, so the view stays on the same part of the page."""
        if not self.rects:
            return 0, 0.0
        page = self.page_at(top)
        rect = self.rects[page]
        return page, (top - rect.top()) / rect.height()

    def to_canvas(self, page: int, rect: Rect) -> QRectF:
        """A rectangle in page points (display space) as canvas pixels."""
        w, h = self.sizes[page]
        x0, y0 = rotate_point(rect[0], rect[1], w, h, self.rotation)
        x1, y1 = rotate_point(rect[2], rect[3], w, h, self.rotation)
        origin = self.rects[page].topLeft()
        return QRectF(
            QPointF(origin.x() + min(x0, x1) * self.scale, origin.y() + min(y0, y1) * self.scale),
            QPointF(origin.x() + max(x0, x1) * self.scale, origin.y() + max(y0, y1) * self.scale),
        )

    def to_page(self, page: int, canvas_rect: QRectF) -> Rect:
        """Canvas pixels as a rectangle in page points, clipped to the page."""
        w, h = self.sizes[page]
        area = canvas_rect.intersected(self.rects[page]).translated(-self.rects[page].topLeft())
        corners = [
            unrotate_point(x / self.scale, y / self.scale, w, h, self.rotation)
            for x, y in ((area.left(), area.top()), (area.right(), area.bottom()))
        ]
        (ax, ay), (bx, by) = corners
        return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
