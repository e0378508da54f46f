"""The strip of page thumbnails beside the pages: one row per page, rendered on demand.

Only the rows in sight are asked for (after the visible pages, before the prefetched ones),
so a 300-page scan costs a handful of small renders, not 300.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QImage, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from desktop.viewer.render_queue import ImageKey, RenderQueue, Wish

THUMB_WIDTH = 96  # logical pixels
THUMB_HEIGHT = 136  # room for a portrait A4 page

Index = QModelIndex | QPersistentModelIndex


class ThumbnailModel(QAbstractListModel):
    """Row n is page n; its decoration is the thumbnail once rendered."""

    def __init__(self, images: RenderQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.images = images
        self.device_pixel_ratio = 1.0
        self.item_size = QSize(THUMB_WIDTH, THUMB_HEIGHT)  # set by the strip for its font
        self._handle: int | None = None
        self._pages = 0
        self._rotation = 0
        images.image_ready.connect(self._image_arrived)

    def set_document(self, handle: int | None, pages: int, rotation: int) -> None:
        self.beginResetModel()
        self._handle = handle
        self._pages = pages
        self._rotation = rotation
        self.endResetModel()

    def set_rotation(self, rotation: int) -> None:
        self._rotation = rotation
        if self._pages:
            self.dataChanged.emit(
                self.index(0), self.index(self._pages - 1), [Qt.ItemDataRole.DecorationRole]
            )

    def key(self, page: int) -> ImageKey | None:
        if self._handle is None:
            return None
        width = round(THUMB_WIDTH * self.device_pixel_ratio)
        return ImageKey(self._handle, page, width, self._rotation)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._pages

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._pages:
            return None
        page = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(page + 1)
        if role == Qt.ItemDataRole.SizeHintRole:
            return self.item_size  # the same before and after the thumbnail arrives
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return QCoreApplication.translate("ThumbnailModel", "Seite %1").replace(
                "%1", str(page + 1)
            )
        if role == Qt.ItemDataRole.DecorationRole:
            key = self.key(page)
            image = self.images.peek(key) if key is not None else None
            if image is None:
                return None
            thumb = QImage(image)  # shares the pixels; only the ratio differs
            thumb.setDevicePixelRatio(image.width() / THUMB_WIDTH)
            return thumb
        return None

    @Slot(object)
    def _image_arrived(self, key: ImageKey) -> None:
        if key == self.key(key.page) and key.page < self._pages:
            index = self.index(key.page)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class ThumbnailStrip(QListView):
    """Signal ``page_chosen(int)`` when the clerk picks a thumbnail (click or keyboard)."""

    page_chosen = Signal(int)

    def __init__(self, images: RenderQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbnails = ThumbnailModel(images, self)
        self.setModel(self.thumbnails)
        self.setAccessibleName(self.tr("Seitenvorschau"))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(THUMB_WIDTH, THUMB_HEIGHT))
        # Rows keep their size while thumbnails arrive, whatever the pages' shape.
        self.thumbnails.item_size = QSize(
            THUMB_WIDTH + 8, THUMB_HEIGHT + self.fontMetrics().height() + 8
        )
        self.setSpacing(4)
        # White pages need a backdrop to be seen, as in the canvas beside the strip.
        self.viewport().setBackgroundRole(QPalette.ColorRole.Dark)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedWidth(THUMB_WIDTH + 44)
        self._following = False  # True while the selection follows the canvas
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.verticalScrollBar().valueChanged.connect(self._request)

    def set_document(self, handle: int | None, pages: int, rotation: int) -> None:
        self.thumbnails.device_pixel_ratio = self.devicePixelRatioF()
        self.thumbnails.set_document(handle, pages, rotation)
        self._request()

    def set_rotation(self, rotation: int) -> None:
        self.thumbnails.set_rotation(rotation)
        self._request()

    def follow_page(self, page: int) -> None:
        """Mark ``page`` as current without jumping the canvas there again."""
        index = self.thumbnails.index(page)
        if not index.isValid():
            return
        self._following = True
        try:
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.scrollTo(index)
        finally:
            self._following = False

    def visible_pages(self) -> Sequence[int]:
        rows = self.thumbnails.rowCount()
        if not rows or not self.isVisible():
            return []
        area = self.viewport().rect()
        first = self.indexAt(area.topLeft() + QPoint(8, 8))
        last = self.indexAt(area.bottomLeft() + QPoint(8, -8))
        start = first.row() if first.isValid() else 0
        end = last.row() if last.isValid() else rows - 1
        return range(start, end + 1)

    @Slot()
    def _request(self) -> None:
        keys = [self.thumbnails.key(p) for p in self.visible_pages()]
        self.thumbnails.images.want(Wish.THUMBNAILS, [k for k in keys if k is not None])

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._following:
            self.page_chosen.emit(current.row())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange:  # moved to another screen
            self.thumbnails.device_pixel_ratio = self.devicePixelRatioF()
            self._request()
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._request()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._request()
