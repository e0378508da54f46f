"""Tests of the content-addressed blob store (sync/blobs/store.py)."""

from __future__ import annotations

import errno
import hashlib
import io
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.blobs import _fs
from sync.blobs import store as store_mod
from sync.blobs.store import (
    BlobStore,
    BlobTooLargeError,
    SourceChangedError,
    StagedBlob,
)
from sync.errors import BlobCorruptError, BlobMissingError, EAkteError
from tests.blobs._worker import stage_and_commit


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def temp_files(blobs: BlobStore) -> list[str]:
    return sorted(os.listdir(blobs.root / "tmp"))


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


# -- round trip ----------------------------------------------------------------------------


def test_round_trip_bytes(blobs: BlobStore) -> None:
    data = b"%PDF-1.7 Bauantrag Flurstueck 12/3"
    staged = blobs.stage_bytes(data)
    assert (staged.sha256, staged.size) == (sha(data), len(data))
    assert staged.temp_path.parent == blobs.root / "tmp"
    assert not blobs.contains(staged.sha256), "staged content must not be visible yet"

    path = blobs.commit(staged)

    h = sha(data)
    assert path == blobs.root / h[:2] / h
    assert path.read_bytes() == data
    assert blobs.contains(h) and blobs.verify(h)
    assert blobs.read_bytes(h) == data
    assert blobs.open_verified(h) == path
    assert blobs.size(h) == len(data)
    assert list(blobs.iter_blobs()) == [(h, len(data))]
    assert blobs.total_size() == len(data)
    assert temp_files(blobs) == []


def test_round_trip_file_in_many_chunks(blobs: BlobStore, tmp_path: Path) -> None:
    data = os.urandom(10_000)
    source = tmp_path / "scan.pdf"
    source.write_bytes(data)
    seen: list[int] = []

    staged = blobs.stage_file(source, chunk_size=1024, progress=seen.append)

    assert staged.sha256 == sha(data) and staged.size == len(data)
    assert seen == [*range(1024, 10_000, 1024), 10_000]
    assert blobs.read_bytes(blobs.commit(staged).name) == data


def test_empty_content(blobs: BlobStore, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.touch()
    path = blobs.commit(blobs.stage_file(empty))
    assert blobs.read_bytes(path.name) == b""
    assert path.name == sha(b"")


def test_identical_content_committed_twice_is_one_file(blobs: BlobStore) -> None:
    first = blobs.commit(blobs.stage_bytes(b"same"))
    second_staged = blobs.stage_bytes(b"same")
    second = blobs.commit(second_staged)

    assert first == second
    assert not second_staged.temp_path.exists()
    assert list(blobs.iter_blobs()) == [(sha(b"same"), 4)]
    assert temp_files(blobs) == []


def test_commit_replaces_a_truncated_blob(blobs: BlobStore) -> None:
    data = b"vollstaendiger Inhalt"
    path = blobs.commit(blobs.stage_bytes(data))
    path.write_bytes(data[:5])  # e.g. a copy tool or a disk error left a short file

    blobs.commit(blobs.stage_bytes(data))

    assert blobs.read_bytes(sha(data)) == data


def test_sibling_stores_share_nothing(tmp_path: Path) -> None:
    a, b = BlobStore(tmp_path / "a"), BlobStore(tmp_path / "b")
    staged = a.stage_bytes(b"x")
    with pytest.raises(ValueError, match="not a temp file"):
        b.commit(staged)
    with pytest.raises(ValueError, match="not a temp file"):
        b.discard(StagedBlob(staged.sha256, 1, tmp_path / "important.docx"))


# -- failures while staging ----------------------------------------------------------------


class _FailingFile(io.RawIOBase):
    """A real file that fails with EIO after ``ok_bytes`` bytes, like a source on a network
    share (SMB) whose server goes away mid-copy. On POSIX a file deleted after open still
    reads to the end, so deleting it would not exercise the failure path at all."""

    def __init__(self, path: Path, ok_bytes: int) -> None:
        self._f = path.open("rb", buffering=0)
        self._left = ok_bytes

    def fileno(self) -> int:
        return self._f.fileno()

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        if self._left <= 0:
            raise OSError(errno.EIO, "Input/output error")
        n = self._f.readinto(memoryview(buf)[: self._left]) or 0
        self._left -= n
        return n

    def close(self) -> None:
        self._f.close()
        super().close()


def test_source_failing_mid_read_propagates_and_leaves_no_temp(
    blobs: BlobStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "share.pdf"
    source.write_bytes(os.urandom(5000))
    monkeypatch.setattr(store_mod, "open", lambda p, *a, **k: _FailingFile(p, 2048), raising=False)

    with pytest.raises(OSError) as err:
        blobs.stage_file(source, chunk_size=1024)

    assert err.value.errno == errno.EIO
    assert temp_files(blobs) == []


@pytest.mark.parametrize("change", ["truncate", "append"])
def test_source_changed_during_copy(blobs: BlobStore, tmp_path: Path, change: str) -> None:
    # The progress callback runs between chunks: the file really shrinks or grows mid-copy,
    # as when a scanner is still writing the file in the hot folder.
    source = tmp_path / "scan.pdf"
    source.write_bytes(os.urandom(8192))

    def meddle(done: int) -> None:
        if done == 1024:
            if change == "truncate":
                os.truncate(source, 3000)
            else:
                with source.open("ab") as f:
                    f.write(b"more pages")

    with pytest.raises(SourceChangedError) as err:
        blobs.stage_file(source, chunk_size=1024, progress=meddle)

    assert isinstance(err.value, OSError)
    assert temp_files(blobs) == []


def test_missing_source_raises_file_not_found(blobs: BlobStore, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        blobs.stage_file(tmp_path / "weg.pdf")
    assert temp_files(blobs) == []


def test_progress_callback_can_cancel(blobs: BlobStore, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(4096))

    def cancel(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        blobs.stage_file(source, chunk_size=1024, progress=cancel)
    assert temp_files(blobs) == []


def test_max_size_checked_before_reading_a_file(blobs: BlobStore, tmp_path: Path) -> None:
    source = tmp_path / "huge.tif"
    source.write_bytes(b"\0" * 1_500_001)

    with pytest.raises(BlobTooLargeError) as err:
        blobs.stage_file(source, max_size=1_000_000)

    assert err.value.code == "too_large" and isinstance(err.value, EAkteError)
    assert "1,0 MB" in err.value.message and "1,5 MB" in err.value.message
    assert temp_files(blobs) == []


class _CountingStream(io.RawIOBase):
    """An endless stream (like a server that never stops sending) that counts the reads."""

    def __init__(self) -> None:
        self.reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        if self.reads > 100:  # fail instead of hanging if the store never stops reading
            raise AssertionError("the store kept reading an endless stream")
        return b"x" * (size if size and size > 0 else 1024)


def test_max_size_stops_a_stream_without_reading_the_rest(blobs: BlobStore) -> None:
    stream = _CountingStream()
    with pytest.raises(BlobTooLargeError):
        blobs.stage_stream(stream, max_size=2500, chunk_size=1000)  # type: ignore[arg-type]
    assert stream.reads == 3
    assert temp_files(blobs) == []


def test_expected_size_above_max_size_is_refused_up_front(blobs: BlobStore) -> None:
    stream = _CountingStream()
    with pytest.raises(BlobTooLargeError):
        blobs.stage_stream(stream, max_size=10, expected_size=11)  # type: ignore[arg-type]
    assert stream.reads == 0


# -- verified downloads --------------------------------------------------------------------


def test_stage_stream_with_matching_announcement(blobs: BlobStore) -> None:
    data = os.urandom(3000)
    staged = blobs.stage_stream(
        io.BytesIO(data), expected_sha256=sha(data), expected_size=len(data), chunk_size=512
    )
    assert blobs.read_bytes(blobs.commit(staged).name) == data


@pytest.mark.parametrize(
    ("payload", "expected_sha", "expected_size"),
    [
        (b"tampered", sha(b"original"), None),  # hash differs
        (b"short", None, 10),  # connection dropped
        (b"longer than announced", None, 4),
        (b"original", sha(b"original"), 7),  # hash right, size wrong
    ],
)
def test_stage_stream_mismatch_is_corrupt_and_leaves_no_temp(
    blobs: BlobStore, payload: bytes, expected_sha: str | None, expected_size: int | None
) -> None:
    with pytest.raises(BlobCorruptError) as err:
        blobs.stage_stream(
            io.BytesIO(payload), expected_sha256=expected_sha, expected_size=expected_size
        )
    assert "Synchronisierung" in err.value.message
    assert temp_files(blobs) == []
    assert list(blobs.iter_blobs()) == []


def test_stream_longer_than_announced_is_not_read_to_the_end(blobs: BlobStore) -> None:
    stream = _CountingStream()  # endless: the test would hang if the store read it all
    with pytest.raises(BlobCorruptError):
        blobs.stage_stream(stream, expected_size=5000, chunk_size=1000)  # type: ignore[arg-type]
    assert stream.reads == 6


def test_invalid_expected_sha_is_refused(blobs: BlobStore) -> None:
    with pytest.raises(ValueError):
        blobs.stage_stream(io.BytesIO(b"x"), expected_sha256="ABC")


# -- corruption, quarantine, invalid hashes -------------------------------------------------


def test_corrupt_blob_is_reported_not_served_and_can_be_quarantined(blobs: BlobStore) -> None:
    data = b"Bescheid ueber die Erteilung einer Baugenehmigung"
    path = blobs.commit(blobs.stage_bytes(data))
    h = path.name
    raw = bytearray(path.read_bytes())
    raw[7] ^= 0x01  # one flipped bit on disk, same size
    path.write_bytes(bytes(raw))

    with pytest.raises(BlobCorruptError) as err:
        blobs.read_bytes(h)
    assert err.value.code == "blob_corrupt" and "beschädigt" in err.value.message
    with pytest.raises(BlobCorruptError):
        blobs.open_verified(h)
    assert not blobs.verify(h)

    moved = blobs.quarantine(h)

    assert moved.parent == blobs.root / "corrupt" and moved.read_bytes() == bytes(raw)
    assert not blobs.contains(h)
    assert list(blobs.iter_blobs()) == []
    with pytest.raises(BlobMissingError):
        blobs.read_bytes(h)
    # Fetched again: a fresh copy is served, the quarantined one is kept for inspection.
    assert blobs.read_bytes(blobs.commit(blobs.stage_bytes(data)).name) == data
    assert moved.exists()


def test_missing_blob(blobs: BlobStore) -> None:
    h = sha(b"nie gespeichert")
    assert not blobs.contains(h) and not blobs.verify(h)
    for call in (blobs.read_bytes, blobs.open_verified, blobs.size, blobs.quarantine):
        with pytest.raises(BlobMissingError) as err:
            call(h)
        assert err.value.code == "blob_missing"
    blobs.delete(h)  # idempotent


@pytest.mark.parametrize(
    "bad",
    [
        "../../etc/passwd",
        "../" + "a" * 61,
        "A" * 64,
        sha(b"x").upper(),
        "a" * 63,
        "a" * 65,
        "g" * 64,
        sha(b"x") + "\n",
        "",
    ],
)
def test_invalid_sha_is_refused(blobs: BlobStore, bad: str) -> None:
    for call in (
        blobs.path,
        blobs.contains,
        blobs.read_bytes,
        blobs.open_verified,
        blobs.verify,
        blobs.delete,
        blobs.quarantine,
    ):
        with pytest.raises(ValueError):
            call(bad)


def test_delete_is_idempotent(blobs: BlobStore) -> None:
    h = blobs.commit(blobs.stage_bytes(b"weg damit")).name
    blobs.delete(h)
    blobs.delete(h)
    assert not blobs.contains(h)


def test_iter_blobs_skips_temp_quarantine_and_strays(blobs: BlobStore) -> None:
    h = blobs.commit(blobs.stage_bytes(b"echt")).name
    blobs.stage_bytes(b"staged only")
    (blobs.root / "desktop.ini").write_text("stray")
    (blobs.root / h[:2] / "Thumbs.db").write_text("stray")
    other = sha(b"other")
    (blobs.root / h[:2] / other).write_text("in the wrong shard")
    (blobs.root / "corrupt").mkdir()
    (blobs.root / "corrupt" / other).write_text("quarantined")

    assert list(blobs.iter_blobs()) == [(h, 4)]


def test_discard_is_quiet_when_already_gone(blobs: BlobStore) -> None:
    staged = blobs.stage_bytes(b"x")
    blobs.discard(staged)
    blobs.discard(staged)
    assert temp_files(blobs) == []


# -- crash leftovers -----------------------------------------------------------------------


def test_clean_temp_removes_only_old_leftovers(blobs: BlobStore) -> None:
    old = blobs.stage_bytes(b"crash leftover")
    fresh = blobs.stage_bytes(b"being filed right now")
    two_hours_ago = time.time() - 7200
    os.utime(old.temp_path, (two_hours_ago, two_hours_ago))

    assert blobs.clean_temp(older_than_seconds=3600) == 1

    assert not old.temp_path.exists() and fresh.temp_path.exists()
    with pytest.raises(BlobMissingError):
        blobs.commit(old)  # its temp is gone and the content was never committed
    blobs.commit(fresh)
    assert blobs.clean_temp(older_than_seconds=0) == 0


# -- concurrency and Windows locks ---------------------------------------------------------


def test_concurrent_commits_of_same_content_from_threads(blobs: BlobStore) -> None:
    data = os.urandom(200_000)
    barrier = threading.Barrier(16)

    def work(_: int) -> Path:
        staged = blobs.stage_bytes(data)
        barrier.wait()
        return blobs.commit(staged)

    with ThreadPoolExecutor(16) as pool:
        paths = set(pool.map(work, range(16)))

    assert paths == {blobs.path(sha(data))}
    assert blobs.read_bytes(sha(data)) == data
    assert list(blobs.iter_blobs()) == [(sha(data), len(data))]
    assert temp_files(blobs) == []


def test_concurrent_commits_of_same_content_from_processes(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    data = os.urandom(50_000)
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
        paths = set(pool.map(stage_and_commit, [str(root)] * 8, [data] * 8))
    blobs = BlobStore(root)
    assert paths == {str(blobs.path(sha(data)))}
    assert blobs.read_bytes(sha(data)) == data
    assert temp_files(blobs) == []


@pytest.fixture
def windows_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fs, "RETRIES", 4)
    monkeypatch.setattr(_fs, "RETRY_DELAY", 0.0)


def test_commit_retries_a_locked_rename(
    blobs: BlobStore, monkeypatch: pytest.MonkeyPatch, windows_retries: None
) -> None:
    real_replace = Path.replace
    calls = 0

    def flaky(self: Path, target: Any) -> Path:
        nonlocal calls
        calls += 1
        if calls <= 2:  # a virus scanner holds the fresh temp file for a moment
            raise PermissionError(errno.EACCES, "Zugriff verweigert")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", flaky)
    path = blobs.commit(blobs.stage_bytes(b"gescannt"))
    assert calls == 3 and path.read_bytes() == b"gescannt"


def test_commit_succeeds_when_target_appears_locked(
    blobs: BlobStore, monkeypatch: pytest.MonkeyPatch, windows_retries: None
) -> None:
    data = b"gleichzeitig"
    other = blobs.stage_bytes(data)
    real_replace = Path.replace

    def racing(self: Path, target: Any) -> Path:
        # Another process commits the same content first and a viewer then holds it open:
        # on Windows our rename onto the open file fails for good.
        if other.temp_path.exists():
            real_replace(other.temp_path, target)
        raise PermissionError(errno.EACCES, "Zugriff verweigert")

    monkeypatch.setattr(Path, "replace", racing)
    mine = blobs.stage_bytes(data)
    assert blobs.commit(mine) == blobs.path(sha(data))
    assert not mine.temp_path.exists()
    assert blobs.read_bytes(sha(data)) == data


def test_persistent_lock_without_target_is_raised(
    blobs: BlobStore, monkeypatch: pytest.MonkeyPatch, windows_retries: None
) -> None:
    def locked(self: Path, target: Any) -> Path:
        raise PermissionError(errno.EACCES, "Zugriff verweigert")

    monkeypatch.setattr(Path, "replace", locked)
    staged = blobs.stage_bytes(b"x")
    with pytest.raises(PermissionError):
        blobs.commit(staged)
    assert staged.temp_path.exists(), "kept for a retry or discard"


# -- properties ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BlobStore]:
    yield BlobStore(tmp_path_factory.mktemp("prop") / "blobs")


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=5000), chunk=st.integers(min_value=1, max_value=4096))
def test_any_bytes_round_trip(shared_store: BlobStore, data: bytes, chunk: int) -> None:
    streamed = shared_store.stage_stream(
        io.BytesIO(data), chunk_size=chunk, expected_sha256=sha(data), expected_size=len(data)
    )
    direct = shared_store.stage_bytes(data)
    assert (
        (streamed.sha256, streamed.size) == (direct.sha256, direct.size) == (sha(data), len(data))
    )
    assert shared_store.commit(streamed) == shared_store.commit(direct)
    assert shared_store.read_bytes(sha(data)) == data
    assert shared_store.size(sha(data)) == len(data)
    assert temp_files(shared_store) == []
