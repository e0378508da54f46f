"""A demo store shared by the desktop tests: generated once per session (that takes seconds),
opened read-mostly per module, copied for tests that change it. For the sync tests: the real
server on 127.0.0.1 (SQLite) and an empty desktop store with its sync controller."""

from __future__ import annotations

import faulthandler
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.demo.generator import generate_demo_store
from sync.logging_setup import teardown_logging
from sync.store.database import Store
from tests.desktop.sync_support import Desk, make_desk
from tests.server.conftest import sqlite_template  # noqa: F401 - a fixture, used by name
from tests.server.live import LiveServer, start_server


@pytest.fixture
def restores_process_hooks() -> Iterator[None]:
    """``eakte`` installs crash handlers and logging for the whole process: undo that."""
    hooks = sys.excepthook, threading.excepthook
    faults = faulthandler.is_enabled()
    yield
    sys.excepthook, threading.excepthook = hooks
    teardown_logging()
    faulthandler.disable()
    if faults:
        faulthandler.enable(file=sys.__stderr__)


@pytest.fixture(scope="session")
def demo_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("desktop-demo") / "store"
    # Closing checkpoints the WAL, so the folder can be copied as it is.
    with Store.open(root) as store:
        generate_demo_store(store, dossiers=6, documents=20, seed=1)
    return root


@pytest.fixture(scope="module")
def demo_store(demo_store_dir: Path) -> Iterator[Store]:
    """Do not write to it: other tests of the module share it."""
    with Store.open(demo_store_dir, create=False) as store:
        yield store


@pytest.fixture
def demo_copy(demo_store_dir: Path, tmp_path: Path) -> Iterator[Store]:
    """A private copy for tests that change records."""
    root = tmp_path / "store"
    shutil.copytree(demo_store_dir, root)
    with Store.open(root, create=False) as store:
        yield store


# -- sync: the real server on 127.0.0.1 (SQLite) and a desktop store that talks to it --------


@pytest.fixture
def live_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    """The real server over HTTP on loopback, on SQLite (enough for the desktop's tests)."""
    template: Path = request.getfixturevalue("sqlite_template")
    path = tmp_path / "server.sqlite3"
    shutil.copyfile(template, path)
    server = start_server(f"sqlite:///{path}", tmp_path / "server-blobs")
    yield server
    server.stop()


@pytest.fixture
def desk(qapp: object, tmp_path: Path) -> Iterator[Desk]:
    """An empty desktop store with its sync controller (not logged in yet)."""
    made = make_desk(tmp_path / "desk")
    yield made
    made.close()
