"""An application context on the shared demo store, or on a private writable copy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.context import AppContext
from sync.store.database import Store

TIMEOUT = 10_000


def _context(qtbot, store: Store) -> Iterator[AppContext]:
    context = AppContext(store, store.root)
    yield context
    # Deliver whatever still runs before the store closes.
    qtbot.waitUntil(lambda: context.loader.pending() == 0, timeout=TIMEOUT)


@pytest.fixture
def context(qtbot, demo_store: Store) -> Iterator[AppContext]:
    yield from _context(qtbot, demo_store)


@pytest.fixture
def copy_context(qtbot, demo_copy: Store) -> Iterator[AppContext]:
    yield from _context(qtbot, demo_copy)
