"""Blob transfers against the real server (SQLite and PostgreSQL), through the fault proxy:
resumed uploads and downloads, discarded and damaged transfers, changed local files, 5xx,
401, progress, and no transfer for a blob the server has."""

from __future__ import annotations

import hashlib
import itertools
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from server.db.tables import BlobRow, Upload
from sync.blobs.store import BlobStore
from sync.engine.transfers import BlobTransferError, BlobTransfers
from sync.errors import BlobCorruptError
from sync.transport import (
    Backoff,
    ServerAnswerError,
    ServerClient,
    ServerRefusedError,
    ServerUnreachableError,
)
from tests.server.live import LiveServer, start_server
from tests.sync.faultproxy import FaultProxy

CHUNK = 64 * 1024
SIZE = 16 * CHUNK + 123  # 17 chunks, the last one short


def content(size: int, seed: int = 1) -> bytes:
    return (hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1))[:size]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Login:
    """An Authorizer: renew() logs in again, as the real one refreshes its token."""

    def __init__(self, live: LiveServer, municipality: str = "meinhard", login: str = "anna"):
        self.live = live
        self.who = (municipality, login)
        self.access = live.client(*self.who).tokens["access_token"]
        self.renewals = 0

    def token(self) -> str:
        return self.access

    def renew(self) -> str:
        self.renewals += 1
        self.access = self.live.client(*self.who).tokens["access_token"]
        return self.access


class Crash(BaseException):
    """The process dies (not an Exception: nothing may catch it on the way)."""


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultProxy]:
    with FaultProxy(live_server.base_url) as p:
        yield p


@pytest.fixture
def auth(live_server: LiveServer) -> Login:
    return Login(live_server)


def transfers(
    proxy: FaultProxy, auth: Login, root: Path, *, attempts: int = 5, chunk: int = CHUNK
) -> tuple[BlobTransfers, list[float]]:
    """A client as a (re)started process has it; back-off waits are recorded, not slept."""
    waits: list[float] = []
    client = ServerClient(proxy.url, backoff=Backoff(attempts=attempts, sleep=waits.append))
    blobs = BlobStore(root)
    return BlobTransfers(client, blobs, auth, chunk_size=chunk, max_chunk_size=chunk), waits


def local_blob(t: BlobTransfers, data: bytes) -> str:
    return t.blobs.commit(t.blobs.stage_bytes(data)).name


def stored_on_server(live: LiveServer, digest: str) -> bool:
    with live.ctx.db.read() as session:
        registered = session.get(BlobRow, digest) is not None
    return registered and live.ctx.blobs.exists(digest) and live.ctx.blobs.digest(digest) == digest


def server_offset(live: LiveServer, digest: str) -> int:
    with live.ctx.db.read() as session:
        row = session.scalars(select(Upload).where(Upload.sha256 == digest)).one_or_none()
    return row.offset if row is not None else 0


def kept_offset(live: LiveServer, digest: str) -> int:
    """The offset of the upload the server kept of a broken PUT. The server notices the break
    a moment after the client does; a real client's back-off gives it that moment."""
    deadline = time.monotonic() + 10
    while (held := server_offset(live, digest)) == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    return held


def waiting_for_kept(t: BlobTransfers, live: LiveServer, digest: str) -> list[float]:
    """Back-off waits of ``t`` (recorded) that last until the server kept the broken PUT."""
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        kept_offset(live, digest)

    t.client.backoff.sleep = sleep
    return waits


def patch_offsets(proxy: FaultProxy) -> list[int]:
    return [int(r.headers["upload-offset"]) for r in proxy.seen if r.method == "PATCH"]


def flip(path: Path, at: int) -> None:
    with path.open("r+b") as f:
        f.seek(at)
        byte = f.read(1)
        f.seek(at)
        f.write(bytes([byte[0] ^ 0xFF]))


# --- uploads ------------------------------------------------------------------------------


def test_a_new_blob_goes_in_one_put_with_progress(live_server, proxy, auth, tmp_path) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    progress: list[tuple[int, int]] = []
    assert t.upload(digest, SIZE, lambda done, total: progress.append((done, total))) is True
    assert stored_on_server(live_server, digest)
    assert [r.method for r in proxy.seen] == ["HEAD", "PUT"]
    assert proxy.body_bytes["request"] == SIZE
    done = [d for d, _ in progress]
    assert done == sorted(done) and progress[-1] == (SIZE, SIZE)
    assert {total for _, total in progress} == {SIZE}
    assert len(set(done)) >= 3  # 0, a piece on the way, all


def test_a_blob_the_server_has_is_not_sent_again(live_server, proxy, auth, tmp_path) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    assert t.upload(digest, SIZE)
    proxy.reset()
    progress: list[tuple[int, int]] = []
    assert t.upload(digest, SIZE, lambda d, n: progress.append((d, n))) is False
    assert [r.method for r in proxy.seen] == ["HEAD"]
    assert proxy.body_bytes["request"] == 0 and progress[-1] == (SIZE, SIZE)


def test_after_a_break_the_rest_goes_in_chunks_that_grow_on_a_fast_line(
    live_server, proxy, auth, tmp_path
) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    t.max_chunk_size = 8 * CHUNK
    ticks = itertools.count(step=0.001)
    t.clock = lambda: next(ticks)  # every chunk "took" a millisecond: a fast line
    big = content(64 * CHUNK, seed=2)
    waits = waiting_for_kept(t, live_server, sha(big))
    proxy.cut_request_after(10 * CHUNK)
    assert t.upload(local_blob(t, big), len(big))
    assert stored_on_server(live_server, sha(big)) and len(waits) == 1
    methods = [r.method for r in proxy.seen]
    assert methods[:3] == ["HEAD", "PUT", "HEAD"] and set(methods[3:]) == {"PATCH"}
    kept = patch_offsets(proxy)[0]
    assert 0 < kept <= 10 * CHUNK  # what the server had received of the PUT
    sizes = [int(r.headers["content-length"]) for r in proxy.seen if r.method == "PATCH"]
    assert sizes[:4] == [CHUNK, 2 * CHUNK, 4 * CHUNK, 8 * CHUNK] and max(sizes) == 8 * CHUNK
    assert proxy.body_bytes["request"] == 10 * CHUNK + len(big) - kept  # nothing else twice


def test_a_proxy_body_limit_makes_requests_smaller_until_they_pass(
    live_server, proxy, auth, tmp_path
) -> None:
    t, waits = transfers(proxy, auth, tmp_path)
    t.max_chunk_size = 8 * CHUNK
    ticks = itertools.count(step=0.001)
    t.clock = lambda: next(ticks)  # a fast line: chunks grow beyond the limit
    proxy.limit_request_body(3 * CHUNK)  # nginx's client_max_body_size
    assert t.upload(local_blob(t, content(SIZE, seed=4)), SIZE)
    assert stored_on_server(live_server, sha(content(SIZE, seed=4))) and waits == []
    assert [r.method for r in proxy.seen][:3] == ["HEAD", "PUT", "HEAD"]
    sizes = [int(r.headers["content-length"]) for r in proxy.seen if r.method == "PATCH"]
    assert sizes[:3] == [CHUNK, 2 * CHUNK, 4 * CHUNK]  # the last one refused
    assert max(sizes[3:]) <= 2 * CHUNK and sum(sizes) == SIZE + 4 * CHUNK


def test_a_body_limit_below_any_sensible_chunk_is_reported(
    live_server, proxy, auth, tmp_path
) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    proxy.limit_request_body(CHUNK // 2)
    with pytest.raises(BlobTransferError) as failed:
        t.upload(local_blob(t, content(SIZE, seed=6)), SIZE)
    assert "client_max_body_size" in failed.value.message


def test_a_server_with_a_lower_chunk_limit_gets_smaller_chunks(server_db_url, tmp_path) -> None:
    limited = start_server(server_db_url, tmp_path / "server", max_blob_chunk_bytes=2 * CHUNK)
    try:
        with FaultProxy(limited.base_url) as proxy:
            login = Login(limited)
            t, _ = transfers(proxy, login, tmp_path / "cache")
            t.max_chunk_size = 8 * CHUNK
            ticks = itertools.count(step=0.001)
            t.clock = lambda: next(ticks)  # a fast line: chunks grow beyond the limit
            data = content(SIZE, seed=5)
            proxy.cut_request_after(CHUNK)  # the PUT breaks: chunks from then on
            assert t.upload(local_blob(t, data), SIZE)
            sizes = [int(r.headers["content-length"]) for r in proxy.seen if r.method == "PATCH"]
            assert 4 * CHUNK in sizes  # refused (413, or the line dropped)
            assert max(sizes[sizes.index(4 * CHUNK) + 1 :]) <= 2 * CHUNK
            assert stored_on_server(limited, sha(data))
    finally:
        limited.stop()


@pytest.mark.parametrize("fraction", [0.0, 0.5, 0.99])
def test_upload_interrupted_resumes_after_a_restart(
    live_server, proxy, auth, tmp_path, fraction
) -> None:
    t, _ = transfers(proxy, auth, tmp_path, attempts=1)
    digest = local_blob(t, content(SIZE))
    cut = int(SIZE * fraction)
    proxy.cut_request_after(cut)
    with pytest.raises(ServerUnreachableError):
        t.upload(digest, SIZE)
    assert not stored_on_server(live_server, digest)
    held = kept_offset(live_server, digest) if cut else server_offset(live_server, digest)
    assert held <= cut and (held > 0) == (cut > 0)  # what arrived of the PUT, kept

    proxy.reset()
    restarted, _ = transfers(proxy, auth, tmp_path)  # a new process, the same cache
    assert restarted.upload(digest, SIZE) is True
    assert stored_on_server(live_server, digest)
    if held:
        assert patch_offsets(proxy)[0] == held  # where the server stood, not from 0
    else:
        assert [r.method for r in proxy.seen] == ["HEAD", "PUT"]
    assert proxy.body_bytes["request"] == SIZE - held  # nothing sent twice


def test_upload_interrupted_is_retried_within_the_call(live_server, proxy, auth, tmp_path) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    waits = waiting_for_kept(t, live_server, digest)
    proxy.cut_request_after(SIZE // 2)
    assert t.upload(digest, SIZE) is True
    assert stored_on_server(live_server, digest)
    assert len(waits) == 1
    methods = [r.method for r in proxy.seen]
    assert methods[:3] == ["HEAD", "PUT", "HEAD"] and methods[3] == "PATCH"
    resumed = int(proxy.seen[3].headers["upload-offset"])
    assert 0 < resumed <= SIZE // 2
    assert proxy.body_bytes["request"] == SIZE // 2 + SIZE - resumed


def test_server_discarded_the_partial_upload(live_server, proxy, auth, tmp_path) -> None:
    t, _ = transfers(proxy, auth, tmp_path, attempts=1)
    digest = local_blob(t, content(SIZE))
    proxy.cut_request_after(SIZE // 2)
    with pytest.raises(ServerUnreachableError):
        t.upload(digest, SIZE)
    held = kept_offset(live_server, digest)
    assert held > 0
    # Lost on the server (disk, cleanup). The server may still be removing the interrupted
    # chunk's own file meanwhile, so a file may vanish under our hands.
    for staged in live_server.ctx.blobs.staging.iterdir():
        staged.unlink(missing_ok=True)

    proxy.reset()
    again, _ = transfers(proxy, auth, tmp_path)
    assert again.upload(digest, SIZE) is True
    assert stored_on_server(live_server, digest)
    # Refused with 409 at 0, so from the start: in one PUT again.
    assert [r.method for r in proxy.seen] == ["HEAD", "PATCH", "PUT"]
    assert patch_offsets(proxy) == [held]


def test_server_rejects_bytes_damaged_in_transit_once_then_all_goes_again(
    live_server, proxy, auth, tmp_path
) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    proxy.corrupt_request_byte(100)
    assert t.upload(digest, SIZE) is True
    assert stored_on_server(live_server, digest)
    assert [r.method for r in proxy.seen] == ["HEAD", "PUT", "PUT"]  # 422, then all again
    assert proxy.body_bytes["request"] == 2 * SIZE


def test_an_upload_rejected_twice_is_given_up(live_server, proxy, auth, tmp_path) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    proxy.corrupt_request_byte(100, SIZE + 100)  # in the first and in the second pass
    with pytest.raises(BlobTransferError) as failed:
        t.upload(digest, SIZE)
    assert "IT-Betreuung" in failed.value.message and failed.value.code == "blob_transfer_failed"
    assert not stored_on_server(live_server, digest)


def test_a_corrupt_local_blob_is_never_committed_on_the_server(
    live_server, proxy, auth, tmp_path
) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    flip(t.blobs.path(digest), SIZE - 10)
    with pytest.raises(BlobCorruptError) as corrupt:
        t.upload(digest, SIZE)
    assert "nichts gespeichert" in corrupt.value.message
    assert not stored_on_server(live_server, digest)
    assert proxy.body_bytes["request"] < SIZE  # stopped before the last piece left


def test_a_local_blob_of_the_wrong_size_fails_before_any_request(
    live_server, proxy, auth, tmp_path
) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    with t.blobs.path(digest).open("ab") as f:
        f.write(b"appended")
    with pytest.raises(BlobCorruptError):
        t.upload(digest, SIZE)
    assert proxy.requests == 0


def test_a_local_blob_changed_during_the_upload(live_server, proxy, auth, tmp_path) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    path = t.blobs.path(digest)

    def edit_once(done: int, _total: int) -> None:
        if 0 < done < SIZE - 10 and not edited:
            edited.append(done)
            flip(path, SIZE - 10)  # a part not sent yet

    edited: list[int] = []
    with pytest.raises(BlobCorruptError):
        t.upload(digest, SIZE, edit_once)
    assert edited and not stored_on_server(live_server, digest)


def test_401_renews_the_token_once(live_server, proxy, auth, tmp_path) -> None:
    t, _ = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    auth.access = "expired"
    assert t.upload(digest, SIZE) is True
    assert auth.renewals == 1 and stored_on_server(live_server, digest)


def test_401_after_renewal_is_given_up(live_server, proxy, auth, tmp_path) -> None:
    class Refused(Login):
        def renew(self) -> str:
            self.renewals += 1
            return self.access  # still the refused token

    bad = Refused(live_server)
    bad.access = "revoked"
    t, _ = transfers(proxy, bad, tmp_path)
    digest = local_blob(t, content(SIZE))
    with pytest.raises(ServerRefusedError) as refused:
        t.upload(digest, SIZE)
    assert refused.value.status == 401 and bad.renewals == 1


def test_503s_then_success(live_server, proxy, auth, tmp_path) -> None:
    t, waits = transfers(proxy, auth, tmp_path)
    digest = local_blob(t, content(SIZE))
    proxy.fail_next(3, status=503)
    assert t.upload(digest, SIZE) is True
    assert len(waits) == 3 and stored_on_server(live_server, digest)

    fresh, waits = transfers(proxy, auth, tmp_path / "other")
    proxy.fail_next(2, status=502)
    fresh.download(digest, SIZE)
    assert len(waits) == 2 and fresh.blobs.verify(digest)


def test_5xx_without_end_gives_up_with_the_typed_error(live_server, proxy, auth, tmp_path) -> None:
    t, waits = transfers(proxy, auth, tmp_path, attempts=3)
    digest = local_blob(t, content(SIZE))
    proxy.fail_next(100, status=504)
    with pytest.raises(ServerAnswerError) as failed:
        t.upload(digest, SIZE)
    assert failed.value.status == 504 and len(waits) == 2


# --- downloads ----------------------------------------------------------------------------


@pytest.fixture
def on_server(live_server: LiveServer) -> tuple[str, bytes]:
    """A blob uploaded by the municipality (downloadable by it until a version uses it)."""
    data = content(SIZE, seed=7)
    api = live_server.client("meinhard", "anna")
    assert api.put(f"/api/v1/blobs/{sha(data)}", data=data).status_code == 201
    return sha(data), data


def test_download_verified_committed_with_progress(proxy, auth, tmp_path, on_server) -> None:
    digest, _ = on_server
    t, _ = transfers(proxy, auth, tmp_path)
    progress: list[tuple[int, int]] = []
    t.download(digest, SIZE, lambda d, n: progress.append((d, n)))
    assert t.blobs.verify(digest)
    assert not t.partial_path(digest).exists()
    assert progress[-1] == (SIZE, SIZE) and len(progress) >= SIZE // (64 * 1024)
    assert [(r.method, r.headers.get("range")) for r in proxy.seen] == [("GET", None)]


def test_download_damaged_in_transit(proxy, auth, tmp_path, on_server) -> None:
    digest, _ = on_server
    t, _ = transfers(proxy, auth, tmp_path)
    proxy.corrupt_response_byte(SIZE // 3)
    with pytest.raises(BlobCorruptError) as damaged:
        t.download(digest, SIZE)
    assert "nächsten Abgleich" in damaged.value.message
    assert not t.blobs.contains(digest) and not t.partial_path(digest).exists()
    t.download(digest, SIZE)  # the next sync
    assert t.blobs.verify(digest)


def test_download_interrupted_resumes_with_a_range(proxy, auth, tmp_path, on_server) -> None:
    digest, data = on_server
    t, _ = transfers(proxy, auth, tmp_path, attempts=1)
    proxy.cut_response_after(300_000)
    with pytest.raises(ServerUnreachableError):
        t.download(digest, SIZE)
    partial = t.partial_path(digest)
    have = partial.stat().st_size
    assert 0 < have <= 300_000 and partial.read_bytes() == data[:have]

    proxy.reset()
    restarted, _ = transfers(proxy, auth, tmp_path)
    restarted.download(digest, SIZE)
    assert restarted.blobs.verify(digest) and not partial.exists()
    (request,) = proxy.seen
    assert request.headers["range"] == f"bytes={have}-"
    assert request.headers["if-range"] == f'"{digest}"'
    assert proxy.body_bytes["response"] == SIZE - have


def test_download_interrupted_is_retried_within_the_call(proxy, auth, tmp_path, on_server) -> None:
    digest, _ = on_server
    t, waits = transfers(proxy, auth, tmp_path)
    proxy.cut_response_after(SIZE // 2)
    t.download(digest, SIZE)
    assert t.blobs.verify(digest) and len(waits) == 1
    first, second = proxy.seen
    assert "range" not in first.headers and second.headers["range"].startswith("bytes=")


def test_crash_during_download_keeps_the_old_copy_and_the_partial(
    proxy, auth, tmp_path, on_server
) -> None:
    digest, data = on_server
    t, _ = transfers(proxy, auth, tmp_path)
    old = local_blob(t, content(5000, seed=9))  # the document's previous version
    t.blobs.commit(t.blobs.stage_bytes(data))  # and a copy of this one, fetched long ago

    def crash(done: int, _total: int) -> None:
        if done >= SIZE // 2:
            raise Crash

    with pytest.raises(Crash):
        t.download(digest, SIZE, crash)
    assert t.blobs.verify(old) and t.blobs.verify(digest)
    have = t.partial_path(digest).stat().st_size
    assert SIZE // 2 <= have < SIZE

    proxy.reset()
    restarted, _ = transfers(proxy, auth, tmp_path)
    restarted.download(digest, SIZE)
    assert proxy.seen[0].headers["range"] == f"bytes={have}-"
    assert restarted.blobs.verify(digest) and restarted.blobs.verify(old)


def test_a_whole_answer_instead_of_a_range_restarts_the_file(
    proxy, auth, tmp_path, on_server
) -> None:
    digest, _ = on_server
    t, _ = transfers(proxy, auth, tmp_path)
    t.partial_path(digest).write_bytes(b"left over from something else")
    proxy.drop_request_header("Range")  # a proxy on the way that does not do ranges
    t.download(digest, SIZE)
    assert t.blobs.verify(digest)
    assert proxy.seen[0].headers["range"] == "bytes=29-"  # asked for, answered with 200


def test_a_complete_partial_from_before_a_restart_needs_no_request(
    proxy, auth, tmp_path, on_server
) -> None:
    digest, data = on_server
    t, _ = transfers(proxy, auth, tmp_path)
    t.partial_path(digest).write_bytes(data)
    t.download(digest, SIZE)
    assert t.blobs.verify(digest) and proxy.requests == 0


def test_a_wrong_size_is_damage(proxy, auth, tmp_path, on_server) -> None:
    digest, _ = on_server
    t, _ = transfers(proxy, auth, tmp_path)
    with pytest.raises(BlobCorruptError):
        t.download(digest, SIZE - 1)  # the server sends more than announced
    with pytest.raises(BlobCorruptError):
        t.download(digest, SIZE + 1)
    assert not t.blobs.contains(digest) and not t.partial_path(digest).exists()


# --- memory -------------------------------------------------------------------------------


def test_content_is_streamed_never_held_whole(live_server, proxy, auth, tmp_path) -> None:
    size = 24 * 1024 * 1024
    t, _ = transfers(proxy, auth, tmp_path / "a", chunk=8 * 1024 * 1024)
    digest = local_blob(t, content(size, seed=11))
    down, _ = transfers(proxy, auth, tmp_path / "b", chunk=8 * 1024 * 1024)
    tracemalloc.start()
    try:
        assert t.upload(digest, size)
        _, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        down.download(digest, size)
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert down.blobs.verify(digest)
    # The live server runs in this process too and is counted as well.
    assert upload_peak < size // 3 and download_peak < size // 3
