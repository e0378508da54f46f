"""Process entry point for the concurrency test; kept apart so spawned children import little."""

from __future__ import annotations

from pathlib import Path

from sync.blobs.store import BlobStore


def stage_and_commit(root: str, data: bytes) -> str:
    store = BlobStore(Path(root))
    return str(store.commit(store.stage_bytes(data)))
