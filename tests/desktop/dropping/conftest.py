"""A writable demo store behind a window, a DropController on it, and places to drop on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from desktop.context import AppContext
from desktop.dropping import DropController
from sync.store.database import Store
from tests.desktop.dropping.support import Places, find_places


@pytest.fixture
def places(demo_copy: Store) -> Places:
    return find_places(demo_copy)


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    window.resize(900, 600)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def context(demo_copy: Store, window: QMainWindow) -> Iterator[AppContext]:
    context = AppContext(demo_copy, demo_copy.root, window)
    yield context
    assert context.loader.wait(30_000)


@pytest.fixture
def controller(context: AppContext, window: QMainWindow) -> Iterator[DropController]:
    controller = DropController(context, window, outlook_com_fallback=False)
    yield controller
    assert controller.shutdown(30_000)
