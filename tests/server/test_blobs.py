"""Blob transfers over HTTP: whole and resumable uploads, verification, ranges, tenant isolation
and access through version records (each test runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func, select

from server.blobs import uploads
from server.db.engine import lock_municipality
from server.db.tables import AuditEntry, BlobOwner, BlobRow, DossierAccess, RecordRow, Upload
from server.municipalities import municipality_id
from sync.protocol import PROTOCOL_HEADER
from tests.server.live import ApiClient, LiveServer

MEINHARD = municipality_id("meinhard")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def url(digest: str) -> str:
    return f"/api/v1/blobs/{digest}"


def content(size: int, seed: int = 1) -> bytes:
    return (hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1))[:size]


def patch(api: ApiClient, digest: str, offset: int, length: int, chunk: bytes) -> requests.Response:
    return api.patch(
        url(digest),
        data=chunk,
        headers={"Upload-Offset": str(offset), "Upload-Length": str(length)},
    )


def count(live: LiveServer, model: Any, *conditions: Any) -> int:
    with live.ctx.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*conditions)))


def staging(live: LiveServer) -> list[str]:
    return sorted(p.name for p in live.ctx.blobs.staging.iterdir())  # type: ignore[attr-defined]


def wait_until(condition: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.02)


def assert_nothing_stored(live: LiveServer, digest: str) -> None:
    assert count(live, BlobRow, BlobRow.sha256 == digest) == 0
    assert count(live, BlobOwner, BlobOwner.sha256 == digest) == 0
    assert count(live, Upload, Upload.sha256 == digest) == 0
    assert not live.ctx.blobs.exists(digest)
    assert staging(live) == []


def send_partial(
    live: LiveServer, api: ApiClient, method: str, path: str, headers: dict[str, str], body: bytes
) -> None:
    """Start a request that declares more bytes than it sends, then drop the connection."""
    parts = urlsplit(live.base_url)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}"]
    lines += [
        f"{k}: {v}" for k, v in api.headers.items() if k in (PROTOCOL_HEADER, "Authorization")
    ]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        time.sleep(0.3)  # let the server receive what was sent before the line drops


# --- whole uploads ------------------------------------------------------------------------


def test_put_then_head_and_get(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(300_000)
    digest = sha(data)
    assert api.head(url(digest)).status_code == 404

    response = api.put(url(digest), data=data)
    assert response.status_code == 201, response.text
    assert response.headers["ETag"] == f'"{digest}"'

    head = api.head(url(digest))
    assert head.status_code == 200
    assert head.headers["Content-Length"] == str(len(data))
    assert head.headers["ETag"] == f'"{digest}"'
    assert head.headers["Accept-Ranges"] == "bytes"

    got = api.get(url(digest))
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["ETag"] == f'"{digest}"'
    assert got.headers["Content-Type"] == "application/octet-stream"
    assert count(live_server, BlobOwner, BlobOwner.municipality_id == MEINHARD) == 1
    assert live_server.ctx.blobs.digest(digest) == digest
    assert staging(live_server) == []


def test_putting_the_same_blob_again_answers_200(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = b"Bauantrag Kindergarten"
    assert api.put(url(sha(data)), data=data).status_code == 201
    assert api.put(url(sha(data)), data=data).status_code == 200
    assert count(live_server, BlobRow) == 1
    assert count(live_server, BlobOwner) == 1
    assert staging(live_server) == []


def test_the_empty_blob_can_be_stored(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    assert api.put(url(sha(b"")), data=b"").status_code == 201
    got = api.get(url(sha(b"")))
    assert got.status_code == 200
    assert got.content == b""


def test_content_that_does_not_match_its_hash_is_not_stored(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(100_000)
    wrong = sha(b"something else")
    response = api.put(url(wrong), data=data)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "blob_hash_mismatch"
    assert body["message"]
    assert_nothing_stored(live_server, wrong)
    assert_nothing_stored(live_server, sha(data))
    assert api.head(url(wrong)).status_code == 404


def test_a_declared_size_that_does_not_match_is_refused(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(1000)
    digest = sha(data)
    response = api.put(url(digest), data=data, headers={"Upload-Length": "999"})
    assert response.status_code == 422
    assert response.json()["code"] == "blob_size_mismatch"
    # A chunk that would run past the announced total.
    response = patch(api, digest, 0, 999, data)
    assert response.status_code == 422
    assert response.json()["code"] == "blob_size_mismatch"
    assert_nothing_stored(live_server, digest)


def test_put_needs_a_content_length(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = b"chunked"
    response = api.put(url(sha(data)), data=iter([data]))  # Transfer-Encoding: chunked
    assert response.status_code == 411
    assert response.json()["code"] == "length_required"
    assert_nothing_stored(live_server, sha(data))


def held(live: LiveServer, digest: str) -> int:
    """Where the municipality's upload of ``digest`` stands (0: there is none)."""
    with live.ctx.db.read() as session:
        row = session.scalars(select(Upload).where(Upload.sha256 == digest)).one_or_none()
    return row.offset if row is not None else 0


def test_an_interrupted_put_is_kept_for_a_resume(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(2_000_000)
    digest = sha(data)
    sent = 1_000_000
    send_partial(
        live_server, api, "PUT", url(digest), {"Content-Length": str(len(data))}, data[:sent]
    )
    wait_until(lambda: held(live_server, digest) > 0)
    kept = held(live_server, digest)
    assert kept <= sent  # what arrived (uvicorn may drop its last unread piece)
    head = api.head(url(digest))
    assert head.status_code == 404
    assert head.headers["Upload-Offset"] == str(kept)
    assert head.headers["Upload-Length"] == str(len(data))
    wait_until(lambda: len(staging(live_server)) == 1)  # the kept bytes, nothing else
    assert patch(api, digest, kept, len(data), data[kept:]).status_code == 201
    assert api.get(url(digest)).content == data
    assert staging(live_server) == []


def test_an_interrupted_put_of_nothing_or_behind_an_upload_keeps_that(
    live_server: LiveServer,
) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(2_000_000, seed=2)
    digest = sha(data)
    send_partial(live_server, api, "PUT", url(digest), {"Content-Length": str(len(data))}, b"")
    time.sleep(0.2)
    assert_nothing_stored(live_server, digest)

    ahead = 1_500_000
    assert patch(api, digest, 0, len(data), data[:ahead]).status_code == 204
    send_partial(
        live_server, api, "PUT", url(digest), {"Content-Length": str(len(data))}, data[:500_000]
    )
    wait_until(lambda: len(staging(live_server)) == 1)  # the PUT's own file is gone
    assert held(live_server, digest) == ahead  # the upload further on stays
    assert patch(api, digest, ahead, len(data), data[ahead:]).status_code == 201
    assert api.get(url(digest)).content == data


def test_a_complete_put_supersedes_a_kept_one(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(2_000_000, seed=3)
    digest = sha(data)
    send_partial(
        live_server, api, "PUT", url(digest), {"Content-Length": str(len(data))}, data[:900_000]
    )
    wait_until(lambda: held(live_server, digest) > 0)
    assert api.put(url(digest), data=data).status_code == 201
    assert count(live_server, Upload, Upload.sha256 == digest) == 0
    assert staging(live_server) == []
    assert api.get(url(digest)).content == data


def test_a_streamed_put_does_not_hold_the_blob_in_memory(
    live_server: LiveServer, tmp_path: Path
) -> None:
    api = live_server.client("meinhard", "anna")
    source = tmp_path / "scan.bin"
    h = hashlib.sha256()
    with source.open("wb") as fh:
        for i in range(50):
            block = content(1024 * 1024, seed=i)
            h.update(block)
            fh.write(block)
    digest = h.hexdigest()
    tracemalloc.start()
    try:
        with source.open("rb") as fh:
            response = api.put(url(digest), data=fh)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 201, response.text
    # Server and client share this process: 50 MB must stream through a few MB of buffers.
    assert peak < 12 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert live_server.ctx.blobs.size(digest) == 50 * 1024 * 1024


# --- resumable uploads --------------------------------------------------------------------


def test_a_resumable_upload_in_three_chunks(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(3 * 100_000 + 7)
    digest, total = sha(data), len(data)
    a, b = 100_000, 200_000

    first = patch(api, digest, 0, total, data[:a])
    assert first.status_code == 204, first.text
    assert first.headers["Upload-Offset"] == str(a)
    assert first.headers["Upload-Length"] == str(total)

    head = api.head(url(digest))
    assert head.status_code == 404
    assert head.headers["Upload-Offset"] == str(a)
    assert head.headers["Upload-Length"] == str(total)

    wrong = patch(api, digest, b, total, data[b:])  # skips a chunk
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "upload_offset_mismatch"
    assert wrong.headers["Upload-Offset"] == str(a)
    again = patch(api, digest, 0, total, data[:a])  # repeats one
    assert again.status_code == 409
    assert again.headers["Upload-Offset"] == str(a)

    second = patch(api, digest, a, total, data[a:b])
    assert second.status_code == 204
    assert second.headers["Upload-Offset"] == str(b)
    last = patch(api, digest, b, total, data[b:])
    assert last.status_code == 201, last.text
    assert last.headers["ETag"] == f'"{digest}"'

    assert api.head(url(digest)).status_code == 200
    assert api.get(url(digest)).content == data
    assert count(live_server, Upload) == 0
    assert staging(live_server) == []
    # A late repeat of the last chunk is answered "already stored".
    assert patch(api, digest, b, total, data[b:]).status_code == 200


@pytest.mark.parametrize("percent", [0, 50, 99])
def test_an_interrupted_upload_resumes_where_the_server_stands(
    live_server: LiveServer, percent: int
) -> None:
    data = content(200_000, seed=percent)
    digest, total = sha(data), len(data)
    done = total * percent // 100
    first = live_server.client("meinhard", "anna")
    response = patch(first, digest, 0, total, data[:done])
    assert response.status_code == 204
    # The connection drops in the middle of the next chunk.
    send_partial(
        live_server,
        first,
        "PATCH",
        url(digest),
        {
            "Upload-Offset": str(done),
            "Upload-Length": str(total),
            "Content-Length": str(total - done),
        },
        data[done : done + (total - done) // 2],
    )
    wait_until(lambda: len(staging(live_server)) == 1)  # only the upload's own file

    # Later, after a restart of the program: ask the server, send the rest.
    resumed = live_server.client("meinhard", "anna")
    head = resumed.head(url(digest))
    assert head.status_code == 404
    assert head.headers["Upload-Offset"] == str(done)
    assert head.headers["Upload-Length"] == str(total)
    response = patch(resumed, digest, done, total, data[done:])
    assert response.status_code == 201, response.text
    assert resumed.get(url(digest)).content == data
    assert staging(live_server) == []


def test_an_upload_the_server_discarded_starts_again_at_zero(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(50_000)
    digest, total = sha(data), len(data)
    assert patch(api, digest, 0, total, data[:20_000]).status_code == 204

    assert uploads.discard_upload(live_server.ctx, MEINHARD, digest)
    head = api.head(url(digest))
    assert head.status_code == 404
    assert head.headers["Upload-Offset"] == "0"
    assert "Upload-Length" not in head.headers
    assert staging(live_server) == []

    stale = patch(api, digest, 20_000, total, data[20_000:])
    assert stale.status_code == 409
    assert stale.headers["Upload-Offset"] == "0"
    assert patch(api, digest, 0, total, data).status_code == 201
    assert api.get(url(digest)).content == data


def test_an_upload_whose_staged_bytes_were_lost_starts_again(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(50_000)
    digest, total = sha(data), len(data)
    assert patch(api, digest, 0, total, data[:20_000]).status_code == 204
    for name in staging(live_server):  # the row stays, its file is gone
        live_server.ctx.blobs.discard(name)

    response = patch(api, digest, 20_000, total, data[20_000:])
    assert response.status_code == 409
    assert response.json()["code"] == "upload_offset_mismatch"
    assert response.headers["Upload-Offset"] == "0"
    assert api.head(url(digest)).headers["Upload-Offset"] == "0"
    assert patch(api, digest, 0, total, data).status_code == 201
    assert api.get(url(digest)).content == data


def test_the_announced_length_cannot_change(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(10_000)
    digest = sha(data)
    assert patch(api, digest, 0, len(data), data[:4000]).status_code == 204
    response = patch(api, digest, 4000, len(data) + 1, data[4000:])
    assert response.status_code == 409
    assert response.json()["code"] == "upload_length_mismatch"
    assert response.headers["Upload-Length"] == str(len(data))
    assert response.headers["Upload-Offset"] == "4000"


def test_a_resumable_upload_with_wrong_content_is_discarded(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(30_000)
    digest = sha(b"the real content")
    assert patch(api, digest, 0, len(data), data[:10_000]).status_code == 204
    response = patch(api, digest, 10_000, len(data), data[10_000:])
    assert response.status_code == 422
    assert response.json()["code"] == "blob_hash_mismatch"
    assert_nothing_stored(live_server, digest)
    head = api.head(url(digest))
    assert head.headers["Upload-Offset"] == "0"
    assert "Upload-Length" not in head.headers


def test_two_chunks_racing_for_one_offset_do_not_corrupt(live_server: LiveServer) -> None:
    clients = [live_server.client("meinhard", "anna") for _ in range(2)]
    data = content(8 * 1024 * 1024)
    digest, total, half = sha(data), len(data), len(data) // 2
    assert patch(clients[0], digest, 0, total, b"").status_code == 204  # announce
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def send(api: ApiClient) -> None:
        barrier.wait()
        statuses.append(patch(api, digest, 0, total, data[:half]).status_code)

    threads = [threading.Thread(target=send, args=(api,)) for api in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [204, 409]
    assert clients[0].head(url(digest)).headers["Upload-Offset"] == str(half)
    assert patch(clients[1], digest, half, total, data[half:]).status_code == 201
    assert clients[0].get(url(digest)).content == data
    assert staging(live_server) == []


def test_too_large_or_no_space_is_refused(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(1000)
    digest = sha(data)
    response = patch(api, digest, 0, 5 * 1024**3, data)
    assert response.status_code == 413
    assert response.json()["code"] == "blob_too_large"

    monkeypatch.setattr(live_server.ctx.blobs, "free_bytes", lambda: 100 * 1024**2)
    for response in (api.put(url(digest), data=data), patch(api, digest, 0, len(data), data)):
        assert response.status_code == 507
        assert response.json()["code"] == "insufficient_storage"
    monkeypatch.undo()
    assert_nothing_stored(live_server, digest)
    assert api.put(url(digest), data=data).status_code == 201


# --- downloads ----------------------------------------------------------------------------


def test_range_requests(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = content(10_000)
    digest, size = sha(data), len(data)
    assert api.put(url(digest), data=data).status_code == 201

    cases = {
        "bytes=10-19": (10, 19),
        "bytes=9000-": (9000, size - 1),
        "bytes=-100": (size - 100, size - 1),
        "bytes=9990-20000": (9990, size - 1),
        "bytes=-20000": (0, size - 1),
    }
    for header, (first, last) in cases.items():
        response = api.get(url(digest), headers={"Range": header})
        assert response.status_code == 206, header
        assert response.headers["Content-Range"] == f"bytes {first}-{last}/{size}"
        assert response.headers["Content-Length"] == str(last - first + 1)
        assert response.content == data[first : last + 1]

    for header in (f"bytes={size}-", "bytes=20000-20010", "bytes=-0"):
        response = api.get(url(digest), headers={"Range": header})
        assert response.status_code == 416, header
        assert response.headers["Content-Range"] == f"bytes */{size}"
        assert response.json()["code"] == "range_not_satisfiable"

    # Several ranges, other units, nonsense: the whole blob.
    for header in ("bytes=0-1,5-6", "items=0-1", "bytes=5-2", "bytes=x-"):
        response = api.get(url(digest), headers={"Range": header})
        assert response.status_code == 200, header
        assert response.content == data

    # If-Range: the range only if the representation is still the one named.
    stale = api.get(url(digest), headers={"Range": "bytes=0-9", "If-Range": '"abc"'})
    assert stale.status_code == 200
    fresh = api.get(url(digest), headers={"Range": "bytes=0-9", "If-Range": f'"{digest}"'})
    assert fresh.status_code == 206
    assert fresh.content == data[:10]


def test_if_none_match_answers_304(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    data = b"Bescheid"
    digest = sha(data)
    assert api.put(url(digest), data=data).status_code == 201
    for tag in (f'"{digest}"', f'W/"{digest}"', f'"other", "{digest}"', "*"):
        response = api.get(url(digest), headers={"If-None-Match": tag})
        assert response.status_code == 304, tag
        assert response.headers["ETag"] == f'"{digest}"'
        assert response.content == b""
    assert api.get(url(digest), headers={"If-None-Match": '"other"'}).status_code == 200


# --- isolation and bad input --------------------------------------------------------------


def test_another_municipality_neither_sees_nor_reads_a_blob(live_server: LiveServer) -> None:
    meinhard = live_server.client("meinhard", "anna")
    sontra = live_server.client("sontra", "bert")
    data = content(5000)
    digest = sha(data)
    unknown = sha(b"never uploaded")
    assert meinhard.put(url(digest), data=data).status_code == 201

    def comparable(response: requests.Response) -> tuple[int, dict[str, str], bytes]:
        headers = {k.lower(): v for k, v in response.headers.items() if k.lower() != "date"}
        return response.status_code, headers, response.content

    assert comparable(sontra.head(url(digest))) == comparable(sontra.head(url(unknown)))
    assert sontra.head(url(digest)).status_code == 404
    foreign, missing = sontra.get(url(digest)), sontra.get(url(unknown))
    assert foreign.status_code == 404
    assert foreign.json()["code"] == "not_found"
    assert comparable(foreign) == comparable(missing)
    ranged = sontra.get(url(digest), headers={"Range": "bytes=0-9", "If-None-Match": "*"})
    assert ranged.status_code == 404

    # Sontra has the file too: it uploads it itself (stored once, owned twice).
    assert sontra.put(url(digest), data=data).status_code == 201
    assert sontra.get(url(digest)).content == data
    assert count(live_server, BlobRow) == 1
    assert count(live_server, BlobOwner, BlobOwner.sha256 == digest) == 2


def test_another_municipality_can_resume_only_its_own_upload(live_server: LiveServer) -> None:
    meinhard = live_server.client("meinhard", "anna")
    sontra = live_server.client("sontra", "bert")
    data = content(20_000)
    digest, total = sha(data), len(data)
    assert patch(meinhard, digest, 0, total, data[:10_000]).status_code == 204
    head = sontra.head(url(digest))
    assert head.headers["Upload-Offset"] == "0"
    assert "Upload-Length" not in head.headers
    assert patch(sontra, digest, 10_000, total, data[10_000:]).status_code == 409
    assert patch(sontra, digest, 0, total, data).status_code == 201
    assert patch(meinhard, digest, 10_000, total, data[10_000:]).status_code == 201


@pytest.mark.parametrize(
    "bad",
    ["abc", "A" * 64, "g" * 64, "0" * 63, "0" * 65, "%00" + "0" * 61, "..%2F" + "0" * 59],
)
def test_an_invalid_hash_in_the_path_is_a_4xx_with_a_code(
    live_server: LiveServer, bad: str
) -> None:
    api = live_server.client("meinhard", "anna")
    headers = {"Upload-Offset": "0", "Upload-Length": "1"}
    for method in ("GET", "PUT", "PATCH", "HEAD"):
        response = api.request(method, url(bad), data=b"x", headers=headers)
        assert 400 <= response.status_code < 500, (method, response.status_code)
        if method != "HEAD":
            assert response.json()["code"], method
    assert staging(live_server) == []


def test_bad_upload_headers_are_4xx(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    digest = sha(b"x")
    for headers, code in (
        ({"Upload-Length": "1"}, "missing_header"),
        ({"Upload-Offset": "0"}, "missing_header"),
        ({"Upload-Offset": "-1", "Upload-Length": "1"}, "invalid_header"),
        ({"Upload-Offset": "0", "Upload-Length": "1e3"}, "invalid_header"),
        ({"Upload-Offset": "0", "Upload-Length": "9" * 30}, "invalid_header"),
    ):
        response = api.patch(url(digest), data=b"x", headers=headers)
        assert response.status_code == 400, headers
        assert response.json()["code"] == code
    response = api.put(url(digest), data=b"x", headers={"Upload-Length": "²"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_header"


def test_blobs_need_a_login(live_server: LiveServer) -> None:
    anonymous = live_server.client()
    digest = sha(b"x")
    headers = {"Upload-Offset": "0", "Upload-Length": "1"}
    for method in ("GET", "PUT", "PATCH", "HEAD"):
        response = anonymous.request(method, url(digest), data=b"x", headers=headers)
        assert response.status_code == 401, method
        if method != "HEAD":
            assert response.json()["code"] == "unauthenticated"
    assert_nothing_stored(live_server, digest)
    stranger = ApiClient(live_server.base_url)
    stranger.headers["Authorization"] = "Bearer nonsense"
    assert stranger.get(url(digest)).status_code == 401


# --- access through version records -------------------------------------------------------


def add_record(
    live: LiveServer,
    slug: str,
    kind: str,
    *,
    dossier_id: str | None = None,
    restricted: bool = False,
    blob: bytes | None = None,
) -> str:
    """A record straight into the database (the mutations endpoint is tested elsewhere)."""
    record_id = str(uuid.uuid4())
    data: dict[str, Any] = {"title": "Akte"}
    if blob is not None:
        data = {"blob_sha256": sha(blob), "size": len(blob), "number": 1, "file_name": "a.pdf"}
    with live.ctx.db.write() as session:
        municipality = lock_municipality(session, municipality_id(slug))
        municipality.change_seq += 1
        session.add(
            RecordRow(
                id=record_id,
                municipality_id=municipality.id,
                kind=kind,
                version=1,
                seq=municipality.change_seq,
                dossier_id=record_id if kind == "dossier" else dossier_id,
                restricted=restricted,
                blob_sha256=sha(blob) if blob is not None else None,
                data=data,
                created_by="test",
                updated_by="test",
            )
        )
    return record_id


def grant(live: LiveServer, dossier_id: str, slug: str, login: str, mode: str) -> None:
    with live.ctx.db.write() as session:
        user_id = live.users[(slug, login)]
        session.add(DossierAccess(dossier_id=dossier_id, user_id=user_id, mode=mode))


def blob_reads(live: LiveServer) -> list[AuditEntry]:
    with live.ctx.db.read() as session:
        query = select(AuditEntry).where(AuditEntry.action == "read_blob")
        return list(session.scalars(query.order_by(AuditEntry.id)))


def test_a_version_in_an_open_dossier_makes_the_blob_readable(live_server: LiveServer) -> None:
    anna = live_server.client("meinhard", "anna")
    carl = live_server.client("meinhard", "carl")
    data = content(4000)
    assert anna.put(url(sha(data)), data=data).status_code == 201
    dossier = add_record(live_server, "meinhard", "dossier")
    add_record(live_server, "meinhard", "version", dossier_id=dossier, blob=data)
    assert anna.get(url(sha(data))).content == data
    assert carl.get(url(sha(data))).content == data
    assert blob_reads(live_server) == []


def test_a_restricted_version_is_read_by_members_only_and_audited(
    live_server: LiveServer,
) -> None:
    anna = live_server.client("meinhard", "anna")
    carl = live_server.client("meinhard", "carl")
    data = content(4000, seed=7)
    digest = sha(data)
    assert anna.put(url(digest), data=data).status_code == 201
    # Before a version refers to it, the uploading municipality may read it back.
    assert carl.get(url(digest)).status_code == 200

    personnel = add_record(live_server, "meinhard", "dossier", restricted=True)
    grant(live_server, personnel, "meinhard", "anna", "member")
    version = add_record(live_server, "meinhard", "version", dossier_id=personnel, blob=data)

    missing = carl.get(url(sha(b"unknown")))
    hidden = carl.get(url(digest))
    assert hidden.status_code == 404
    assert hidden.json() == missing.json()
    assert blob_reads(live_server) == []

    assert anna.get(url(digest), headers={"Range": "bytes=0-9"}).content == data[:10]
    assert anna.get(url(digest), headers={"If-None-Match": f'"{digest}"'}).status_code == 304
    entries = blob_reads(live_server)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.municipality_id == MEINHARD
    assert entry.actor == "meinhard/anna"
    assert entry.kind == "version"
    assert entry.record_id == version
    assert entry.details["sha256"] == digest
    assert entry.details["restricted"] is True
    assert entry.details["range"] == f"bytes 0-9/{len(data)}"


def test_a_shared_version_is_readable_by_the_neighbour_and_audited(
    live_server: LiveServer,
) -> None:
    anna = live_server.client("meinhard", "anna")
    bert = live_server.client("sontra", "bert")
    dora = live_server.client("sontra", "dora")
    data = content(4000, seed=9)
    digest = sha(data)
    assert anna.put(url(digest), data=data).status_code == 201
    dossier = add_record(live_server, "meinhard", "dossier")
    version = add_record(live_server, "meinhard", "version", dossier_id=dossier, blob=data)
    assert bert.get(url(digest)).status_code == 404

    grant(live_server, dossier, "sontra", "bert", "read")
    assert bert.get(url(digest)).content == data
    assert dora.get(url(digest)).status_code == 404  # the share names bert only
    assert bert.head(url(digest)).status_code == 404  # readable, but not owned by Sontra
    entries = blob_reads(live_server)
    assert [(e.municipality_id, e.actor, e.record_id) for e in entries] == [
        (MEINHARD, "sontra/bert", version)
    ]
    assert entries[0].details["via_share"] is True


def test_abandoned_uploads_are_swept(live_server: LiveServer) -> None:
    import os
    from datetime import timedelta

    from server.blobs.cleanup import purge_stale_uploads
    from server.db.tables import utcnow

    api = live_server.client("meinhard", "anna")
    old, fresh = content(3000, seed=5), content(3000, seed=6)
    assert patch(api, sha(old), 0, len(old), old[:1000]).status_code == 204
    assert patch(api, sha(fresh), 0, len(fresh), fresh[:1000]).status_code == 204
    storage = live_server.ctx.blobs
    loose = storage.staging_path("put-left-by-a-crash")
    loose.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    with live_server.ctx.db.write() as session:
        upload = session.scalars(select(Upload).where(Upload.sha256 == sha(old))).one()
        upload.updated_at = utcnow() - timedelta(days=2)
        os.utime(storage.staging_path(upload.id), (two_days_ago, two_days_ago))
    os.utime(loose, (two_days_ago, two_days_ago))

    assert purge_stale_uploads(live_server.ctx, timedelta(hours=24)) == 2
    assert not loose.exists()
    assert api.head(url(sha(old))).headers["Upload-Offset"] == "0"
    assert api.head(url(sha(fresh))).headers["Upload-Offset"] == "1000"
    # The client that comes back after all starts again, and that works.
    assert patch(api, sha(old), 0, len(old), old).status_code == 201
