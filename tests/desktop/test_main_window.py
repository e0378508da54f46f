"""The main window: keyboard navigation, details of the selection, and ``--screenshot``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from desktop.cli import main
from desktop.main_window import MainWindow
from sync.store.database import Store


def test_keyboard_walks_the_tree_and_shows_details(
    qtbot: QtBot, demo_store: Store, demo_store_dir: Path
) -> None:
    window = MainWindow(demo_store, demo_store_dir)
    qtbot.addWidget(window)
    window.show()
    tree = window.tree
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down)  # the first unit becomes current
    assert window.details.kind.text() == "Aktenplaneinheit"
    first = tree.currentIndex()
    qtbot.keyClick(tree, Qt.Key.Key_Right)  # expands it; its children load in the background
    qtbot.waitUntil(lambda: window.model.rowCount(first) > 0, timeout=10_000)
    assert tree.isExpanded(first)
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentIndex().parent() == first
    assert window.details.title.text() == tree.currentIndex().data()
    assert window.statusBar().currentMessage().startswith("Offline")


def test_screenshot_renders_the_loaded_window(demo_store_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(demo_store_dir, store)
    png = tmp_path / "shot" / "main.png"
    assert main(["--screenshot", str(png), "--store", str(store)]) == 0
    image = QImage(str(png))
    assert image.width() >= 800 and image.height() >= 500
    # Not a blank window: the tree's text and icons make many distinct colours.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20


def test_other_commands_are_the_command_line(
    demo_store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", str(demo_store_dir), "ls"]) == 0
    assert "Allgemeine Verwaltung" in capsys.readouterr().out
