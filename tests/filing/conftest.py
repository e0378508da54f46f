"""Fixtures for the content stage: write sample bytes to a temp file and extract them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sync.filing.extract import extract
from sync.filing.extracted import Extracted


@pytest.fixture
def put(tmp_path: Path) -> Callable[[bytes, str], Path]:
    """Write ``data`` to a fresh file named ``name`` and return its path."""
    counter = [0]

    def write(data: bytes, name: str = "content.bin") -> Path:
        counter[0] += 1
        folder = tmp_path / f"f{counter[0]}"
        folder.mkdir()
        path = folder / name
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def run(put: Callable[[bytes, str], Path]) -> Callable[..., Extracted]:
    """Extract ``data`` as if filed under ``file_name`` (stored under a neutral name)."""

    def go(data: bytes, file_name: str, **kwargs: bool) -> Extracted:
        return extract(put(data, "upload.tmp"), file_name, **kwargs)

    return go
