"""Helpers of the dialog tests: real tree nodes of the demo store (as the main window would
hand them over) and typing text as a keyboard would."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sync.records.tree import TreeNode, children
from sync.store.database import Store


def walk(store: Store, parent: TreeNode | None = None) -> Iterator[TreeNode]:
    """The whole tree, depth first, as the desktop sees it."""
    for node in children(store, parent):
        yield node
        yield from walk(store, node)


def first_node(store: Store, predicate: Callable[[TreeNode], bool]) -> TreeNode:
    return next(node for node in walk(store) if predicate(node))


def unit_with_dossiers(store: Store) -> TreeNode:
    def has_dossiers(node: TreeNode) -> bool:
        return node.kind == "unit" and any(c.kind == "dossier" for c in children(store, node))

    return first_node(store, has_dossiers)


def open_dossier(store: Store) -> TreeNode:
    return first_node(store, lambda n: n.kind == "dossier" and not n.closed)


def open_case(store: Store) -> TreeNode:
    return first_node(store, lambda n: n.kind == "case" and not n.closed)


def closed_case(store: Store) -> TreeNode:
    return first_node(store, lambda n: n.kind == "case" and n.closed)


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying each character (QTest.keyClicks handles ASCII only)."""
    for char in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier
        )


def press_alt(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> None:
    """Alt+key, as for a mnemonic: shortcuts reach only the active window, and a button
    clicks itself a moment later (animateClick)."""
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.AltModifier)


def document_in(store: Store, container: TreeNode) -> TreeNode:
    return next(n for n in children(store, container) if n.kind == "document")


def visible_boxes(parent: QWidget, *, not_titled: str = "") -> list[QMessageBox]:
    """Message boxes the parent shows (but not the one titled ``not_titled``)."""
    return [
        box
        for box in parent.findChildren(QMessageBox)
        if box.isVisible() and box.windowTitle() != not_titled
    ]


def show_active(qtbot: QtBot, widget: QWidget) -> None:
    """Show ``widget`` as the active window: only there does keyboard focus land."""
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
