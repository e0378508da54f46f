"""A demo store shared by the desktop tests: generated once per session (that takes seconds),
opened read-mostly per module, copied for tests that change it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.demo.generator import generate_demo_store
from sync.store.database import Store


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
