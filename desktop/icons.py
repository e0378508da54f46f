"""Icons drawn at run time: a sheet per document type and small state badges on top.

Drawn rather than shipped as files so that they follow the palette (light and dark) and stay
sharp at any device pixel ratio. Badge colours are semantic (conflict red, waiting blue,
available offline green) and chosen to read on both palettes; each badge also has a text in
the tooltip and accessible text, so colour is never the only signal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

ICON_SIZES = (16, 24, 32)

# Short type labels on the sheet; the tooltip names the type in full.
_TYPE_MARKS = {
    "pdf": "PDF",
    "image": "IMG",
    "email": "@",
    "office": "DOC",
    "text": "TXT",
    "other": "…",
}
_TYPE_COLOURS = {
    "pdf": "#c0392b",
    "image": "#8e44ad",
    "email": "#2471a3",
    "office": "#1e8449",
    "text": "#7f8c8d",
    "other": "#7f8c8d",
}


@dataclass(frozen=True)
class Badges:
    closed: bool = False
    conflict: bool = False
    unsynced: bool = False
    offline: bool = False

    def any(self) -> bool:
        return self.closed or self.conflict or self.unsynced or self.offline


def folder_icon() -> QIcon:
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DirIcon)


def icon_for(kind: str, doc_type: str | None, badges: Badges) -> QIcon:
    """The icon of a tree row or list row; cached per combination and palette."""
    palette_key = QApplication.palette().color(QPalette.ColorRole.Base).name()
    return _icon(kind, doc_type or "other", badges, palette_key)


@cache
def _icon(kind: str, doc_type: str, badges: Badges, _palette_key: str) -> QIcon:
    if kind != "document" and not badges.any():
        return folder_icon()
    icon = QIcon()
    ratio = max(1.0, QApplication.instance().devicePixelRatio())  # type: ignore[union-attr]
    for size in ICON_SIZES:
        pixmap = QPixmap(round(size * ratio), round(size * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if kind == "document":
            _paint_sheet(painter, size, doc_type)
        else:
            folder_icon().paint(painter, 0, 0, size, size)
        _paint_badges(painter, size, badges)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _paint_sheet(painter: QPainter, size: int, doc_type: str) -> None:
    palette = QApplication.palette()
    fold = size * 0.28
    left, top, right, bottom = size * 0.15, size * 0.04, size * 0.85, size * 0.96
    sheet = QPainterPath()
    sheet.moveTo(left, top)
    sheet.lineTo(right - fold, top)
    sheet.lineTo(right, top + fold)
    sheet.lineTo(right, bottom)
    sheet.lineTo(left, bottom)
    sheet.closeSubpath()
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), max(1.0, size / 24)))
    painter.setBrush(palette.color(QPalette.ColorRole.Base))
    painter.drawPath(sheet)
    band = QRectF(left - size * 0.08, size * 0.48, (right - left) + size * 0.16, size * 0.32)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(_TYPE_COLOURS.get(doc_type, _TYPE_COLOURS["other"])))
    painter.drawRoundedRect(band, size * 0.06, size * 0.06)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(5, round(size * 0.26)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, _TYPE_MARKS.get(doc_type, "…"))


def _paint_badges(painter: QPainter, size: int, badges: Badges) -> None:
    radius = size * 0.2
    # Bottom right first, then bottom left, top right: at most three are ever shown.
    spots = [
        QPointF(size - radius, size - radius),
        QPointF(radius, size - radius),
        QPointF(size - radius, radius),
    ]
    marks: list[tuple[str, str]] = []
    if badges.conflict:
        marks.append(("#d62828", "!"))
    if badges.unsynced:
        marks.append(("#1565c0", "↑"))
    if badges.closed:
        marks.append(("#616161", "✓"))
    elif badges.offline:
        marks.append(("#2e7d32", "●"))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(5, round(radius * 1.6)))
    painter.setFont(font)
    for centre, (colour, mark) in zip(spots, marks, strict=False):
        painter.setPen(QPen(QColor("white"), max(1.0, size / 32)))
        painter.setBrush(QColor(colour))
        painter.drawEllipse(centre, radius, radius)
        painter.setPen(QColor("white"))
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, mark)
