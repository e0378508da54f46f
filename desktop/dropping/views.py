"""Drag and drop wired into views: the file plan tree, and any view of one container.

``DropTreeView`` is the tree of the main window with drops onto case and dossier rows (a
document row stands for the case or dossier it lies in) and drags of document rows. It needs
no drag or drop flags from the model: it judges rows by their ``TreeNode`` itself.

``install_drop_target(view, controller, current_container)`` makes a view (the document
list) accept drops into the container it shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QTreeView,
    QWidget,
)

from desktop.dropping.controller import TARGET_KINDS, DropController
from desktop.tree_model import NODE_ROLE
from sync.records.tree import TreeNode

AUTO_EXPAND_MS = 700  # hovering this long over a closed branch opens it


def _node(index: QModelIndex) -> TreeNode | None:
    node = index.data(NODE_ROLE) if index.isValid() else None
    return node if isinstance(node, TreeNode) else None


class DropTreeView(QTreeView):
    """A ``QTreeView`` over ``PlanTreeModel`` that takes drops and starts document drags."""

    def __init__(self, controller: DropController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAcceptDrops(True)
        self.setAutoExpandDelay(AUTO_EXPAND_MS)
        self._press: QPoint | None = None

    def target_at(self, pos: QPoint) -> TreeNode | None:
        """The case or dossier a drop at ``pos`` (viewport coordinates) goes to; for any
        other row, that row (which refuses)."""
        index = self.indexAt(pos)
        first = _node(index)
        while index.isValid():
            node = _node(index)
            if node is not None and node.kind in TARGET_KINDS:
                return node
            if node is None or node.kind != "document":
                break
            index = index.parent()
        return first

    # -- drops -------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        super().dragEnterEvent(event)
        if self.controller.wants(event.mimeData()):
            event.acceptProposedAction()
            self.setState(QAbstractItemView.State.DraggingState)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        super().dragMoveEvent(event)  # auto-scroll and auto-expand
        self._judge(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        super().dragLeaveEvent(event)
        self.controller.drag_left()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        target = self.target_at(event.position().toPoint())
        if self.controller.drop(event.mimeData(), target):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def _judge(self, event: QDragMoveEvent) -> None:
        target = self.target_at(event.position().toPoint())
        if self.controller.hover(event.mimeData(), target):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    # -- drags -------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mousePressEvent(event)
        node = _node(self.indexAt(event.position().toPoint()))
        pressed_document = node is not None and node.kind == "document"
        left = event.button() == Qt.MouseButton.LeftButton
        self._press = event.position().toPoint() if left and pressed_document else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            moved = (event.position().toPoint() - self._press).manhattanLength()
            if moved >= QApplication.startDragDistance():
                self._press = None
                ids = self._dragged_documents()
                if ids:
                    self.controller.start_drag(ids, self)
                return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press = None
        super().mouseReleaseEvent(event)

    def _dragged_documents(self) -> list[str]:
        nodes = [_node(index) for index in self.selectionModel().selectedRows()]
        return [node.id for node in nodes if node is not None and node.kind == "document"]


class _ContainerDropFilter(QObject):
    def __init__(
        self,
        widget: QWidget,
        controller: DropController,
        current: Callable[[], TreeNode | None],
    ) -> None:
        super().__init__(widget)
        self._controller = controller
        self._current = current

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.DragEnter:
            assert isinstance(event, QDragEnterEvent)
            # Judged by the data only: a refused enter would stop all drag-move events.
            event.setAccepted(self._controller.wants(event.mimeData()))
            return True
        if kind == QEvent.Type.DragMove:
            assert isinstance(event, QDragMoveEvent)
            if self._controller.hover(event.mimeData(), self._current()):
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.DragLeave:
            self._controller.drag_left()
            return True
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            if self._controller.drop(event.mimeData(), self._current()):
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
            else:
                event.ignore()
            return True
        return False


def install_drop_target(
    view: QWidget, controller: DropController, current: Callable[[], TreeNode | None]
) -> QObject:
    """Let ``view`` take drops into the container ``current()`` returns (None: refuse).
    For a scroll area (any item view) the drops land on its viewport. Returns the filter."""
    widget = view.viewport() if isinstance(view, QAbstractScrollArea) else view
    view.setAcceptDrops(True)
    widget.setAcceptDrops(True)
    drop_filter = _ContainerDropFilter(widget, controller, current)
    widget.installEventFilter(drop_filter)
    return drop_filter
