"""How one page is painted in the canvas: its image (or a stand-in until it arrives), the
search hits and the selection. Colours come from the palette, so dark themes work too."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPen


def paint_page(
    painter: QPainter,
    rect: QRectF,
    palette: QPalette,
    *,
    exact: QImage | None,
    stand_in: QImage | None,
    notice: str,
) -> None:
    """``exact`` is painted 1:1 (its device pixel ratio makes it ``rect``'s size);
    otherwise ``stand_in`` scaled, otherwise a blank sheet with ``notice``."""
    if exact is not None:
        painter.drawImage(rect.topLeft(), exact)
        return
    painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
    if stand_in is not None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(rect, stand_in)
        painter.restore()
        return
    painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, notice)


def paint_marks(
    painter: QPainter,
    palette: QPalette,
    *,
    hits: list[QRectF],
    current: QRectF | None,
    selection: QRectF | None,
) -> None:
    """Search hits lightly, the current hit strongly and framed, the selection dashed."""
    accent = palette.color(QPalette.ColorRole.Highlight)
    tint = QColor(accent)
    tint.setAlpha(80)
    for area in hits:
        painter.fillRect(area, tint)
    if current is not None:
        tint.setAlpha(150)
        painter.fillRect(current, tint)
        painter.setPen(QPen(accent, 2))
        painter.drawRect(current)
    if selection is not None:
        tint.setAlpha(60)
        painter.fillRect(selection, tint)
        painter.setPen(QPen(accent, 1, Qt.PenStyle.DashLine))
        painter.drawRect(selection)


def paint_frame(painter: QPainter, rect: QRectF, palette: QPalette) -> None:
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Shadow), 1))
    painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
