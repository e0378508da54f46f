"""Fixtures of the dialog tests: a context on a private copy of the demo store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.context import AppContext, Change
from sync.store.database import Store

TIMEOUT = 10_000


@pytest.fixture
def context(qtbot: QtBot, demo_copy: Store) -> Iterator[AppContext]:
    ctx = AppContext(demo_copy, demo_copy.root)
    yield ctx
    # No worker may still use the store when the fixture closes it.
    ctx.loader.wait(TIMEOUT)
    qtbot.waitUntil(lambda: ctx.loader.pending() == 0, timeout=TIMEOUT)


@pytest.fixture
def announced(context: AppContext) -> list[Change]:
    """Every change announced on ``context.events``."""
    changes: list[Change] = []
    context.events.changed.connect(changes.append)
    return changes


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    """The main window's stand-in. Held by the test: qtbot keeps only a weak reference, and a
    parent collected while its message box is open would take the box with it."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget
