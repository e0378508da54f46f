from __future__ import annotations

from sync.records.model import Blob
from sync.store import cache


def _put(store, content: bytes, *, synced: bool, pinned: bool = False, last_used: float) -> str:
    staged = store.blobs.stage_bytes(content)
    store.blobs.commit(staged)
    with store.write() as s:
        s.add(
            Blob(
                sha256=staged.sha256,
                size=staged.size,
                synced=synced,
                pinned=pinned,
                last_used=last_used,
            )
        )
    return staged.sha256


def test_lru_eviction_spares_pinned_and_unsynced_blobs(store):
    old = _put(store, b"a" * 1000, synced=True, last_used=1)
    pinned = _put(store, b"b" * 1000, synced=True, pinned=True, last_used=0)
    unsynced = _put(store, b"c" * 1000, synced=False, last_used=0)
    recent = _put(store, b"d" * 1000, synced=True, last_used=5)
    newer = _put(store, b"e" * 1000, synced=True, last_used=3)

    assert cache.cached_bytes(store) == 5000
    freed = cache.enforce_limit(store, 3500)
    assert freed == 2000  # the two least recently used evictable ones
    assert not store.blobs.contains(old) and not store.blobs.contains(newer)
    for kept in (pinned, unsynced, recent):
        assert store.blobs.contains(kept)
    # Nothing evictable left: the limit cannot be met, and nothing unsafe is touched.
    assert cache.enforce_limit(store, 0) == 1000
    assert store.blobs.contains(pinned) and store.blobs.contains(unsynced)
    with store.read() as s:
        assert s.get_one(Blob, old).present is False


def test_touch_protects_recently_opened_blob(store):
    first = _put(store, b"x" * 100, synced=True, last_used=1)
    second = _put(store, b"y" * 100, synced=True, last_used=2)
    cache.touch(store, first)
    cache.enforce_limit(store, 100)
    assert store.blobs.contains(first) and not store.blobs.contains(second)
