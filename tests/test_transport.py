"""HTTP to the server, against a real HTTP server on 127.0.0.1 that misbehaves on cue:
retries with back-off only where safe, German typed errors for refusals and non-protocol
answers. (Against the real E-Akte server: tests/server/test_transport_live.py.)"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.protocol.version import PROTOCOL_HEADER
from sync.transport import (
    Backoff,
    ServerAnswerError,
    ServerClient,
    ServerRefusedError,
    ServerUnreachableError,
)

HEALTH = {
    "status": "ok",
    "protocol_version": 1,
    "server_id": "test",
    "database": "sqlite",
    "server_time": "2026-11-26T12:00:00Z",
}


class Script:
    """What the server answers, one entry per request: (status, body or bytes)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, object]] = []
        self.seen: list[tuple[str, str, str | None]] = []
        self.bodies: list[bytes] = []
        self.cut_at: int | None = None  # the next answer breaks off after this many bytes
        self.stall: list[float] = []  # seconds to wait before each of the next answers


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            script.seen.append((self.command, self.path, self.headers.get(PROTOCOL_HEADER)))
            script.bodies.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            if script.stall:
                time.sleep(script.stall.pop(0))  # a server (or proxy) that hangs
            status, body = script.answers.pop(0) if script.answers else (200, HEALTH)
            # Taken before answering: once the answer is out, the test may already have set
            # cut_at for its next request.
            cut_at, script.cut_at = script.cut_at, None
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Upload-Offset", "7")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data[:cut_at])
            if cut_at is not None:
                self.close_connection = True  # the answer breaks off

        do_GET = do_POST = do_PUT = do_PATCH = do_HEAD = _answer  # noqa: N815

        def log_message(self, *_args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    httpd.shutdown()
    httpd.server_close()


def client(url: str, waits: list[float]) -> ServerClient:
    return ServerClient(url, backoff=Backoff(attempts=4, base=0.01, sleep=waits.append))


def test_every_request_carries_the_protocol_and_health_parses(server) -> None:
    url, script = server
    health = client(url, []).health()
    assert health.server_id == "test"
    assert script.seen == [("GET", "/api/v1/health", "1")]


def test_idempotent_requests_are_retried_on_5xx_with_growing_jittered_waits(server) -> None:
    url, script = server
    script.answers = [(503, b"busy"), (502, b"gateway"), (200, HEALTH)]
    waits: list[float] = []
    assert client(url, waits).health().status == "ok"
    assert len(script.seen) == 3 and len(waits) == 2
    assert 0 <= waits[0] <= 0.01 and 0 <= waits[1] <= 0.02  # full jitter under the cap


def test_a_non_idempotent_request_is_not_retried(server) -> None:
    url, script = server
    script.answers = [(503, {"code": "busy", "title": "Überlastet", "message": "Später."})]
    with pytest.raises(ServerRefusedError) as refused:
        client(url, []).request("POST", "/auth/login", json={})
    assert len(script.seen) == 1 and refused.value.status == 503


def test_retries_give_up_after_the_attempts(server) -> None:
    url, script = server
    script.answers = [(503, b"x")] * 10
    waits: list[float] = []
    with pytest.raises(ServerAnswerError) as bad:
        client(url, waits).health()
    assert len(script.seen) == 4 and len(waits) == 3
    assert "nicht im E-Akte-Protokoll" in bad.value.message


def test_a_refusal_carries_the_servers_german_message(server) -> None:
    url, script = server
    script.answers = [
        (409, {"code": "cursor_ahead", "title": "Server zurückgesetzt", "message": "Bitte …"})
    ]
    with pytest.raises(ServerRefusedError) as refused:
        client(url, []).request("GET", "/changes", idempotent=True)
    assert (refused.value.status, refused.value.code) == (409, "cursor_ahead")
    assert refused.value.title == "Server zurückgesetzt"


def test_an_unreachable_server_says_so_after_retrying() -> None:
    waits: list[float] = []
    # A port nothing listens on (bound, then closed).
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ServerUnreachableError) as unreachable:
        client(f"http://127.0.0.1:{port}", waits).health()
    assert len(waits) == 3
    assert "später übertragen" in unreachable.value.message


def test_a_raw_body_is_sent_and_sent_again_on_a_retry(server) -> None:
    url, script = server
    script.answers = [(503, b"busy"), (201, b"")]
    body = io.BytesIO(b"xxhello")
    body.seek(2)
    response = client(url, []).request("PUT", "/blobs/x", data=body, idempotent=True)
    assert response.status_code == 201
    assert script.bodies == [b"hello", b"hello"]  # rewound to where it started


def test_a_body_that_cannot_be_sent_twice_is_not_retried(server) -> None:
    url, script = server

    class Once:
        def __len__(self) -> int:
            return 5

        def __iter__(self):
            yield b"hello"

    script.answers = [(503, b"busy")]
    with pytest.raises(ServerAnswerError) as bad:
        client(url, []).request("PATCH", "/blobs/x", data=Once(), idempotent=True)
    assert bad.value.status == 503 and script.bodies == [b"hello"]


def test_accepted_statuses_are_answers_with_their_headers(server) -> None:
    url, script = server
    script.answers = [(404, b"")]
    response = client(url, []).request("HEAD", "/blobs/x", accept=(404,))
    assert response.status_code == 404 and response.headers["upload-offset"] == "7"


def test_a_refused_head_is_a_typed_refusal_although_it_has_no_body(server) -> None:
    url, script = server
    script.answers = [(401, b"")]
    with pytest.raises(ServerRefusedError) as refused:
        client(url, []).request("HEAD", "/blobs/x")
    assert (refused.value.status, refused.value.code) == (401, "unauthenticated")
    assert "anmelden" in refused.value.message


def test_a_refusal_carries_the_answers_headers(server) -> None:
    url, script = server
    script.answers = [(409, {"code": "upload_offset_mismatch", "title": "T", "message": "M"})]
    with pytest.raises(ServerRefusedError) as refused:
        client(url, []).request("PATCH", "/blobs/x", data=b"abc")
    assert refused.value.headers["Upload-Offset"] == "7"  # any spelling of the name


def test_a_streamed_answer_is_left_for_the_caller_to_read(server) -> None:
    url, script = server
    script.answers = [(206, b"0123456789")]
    with client(url, []).request("GET", "/blobs/x", stream=True) as response:
        assert response.status_code == 206
        assert b"".join(response.iter_content(3)) == b"0123456789"


def test_an_answer_that_breaks_off_is_a_lost_connection(server) -> None:
    url, script = server
    script.cut_at = 10
    waits: list[float] = []
    assert client(url, waits).health().status == "ok"  # idempotent: asked again
    assert len(script.seen) == 2 and len(waits) == 1
    script.cut_at = 10
    with pytest.raises(ServerUnreachableError):  # the reply to a POST is lost: not retried
        client(url, []).request("POST", "/mutations", json={})


def test_a_timeout_is_retried_for_reads_and_reported_for_the_rest(
    server: tuple[str, Script],
) -> None:
    url, script = server
    waits: list[float] = []
    api = ServerClient(
        url, timeout=(1.0, 0.3), backoff=Backoff(attempts=4, base=0.01, sleep=waits.append)
    )
    script.stall = [1.0]  # the first answer comes after the client stopped waiting
    assert api.health().status == "ok"
    assert len(waits) == 1 and [m for m, _p, _h in script.seen] == ["GET", "GET"]
    script.stall = [1.0]
    with pytest.raises(ServerUnreachableError, match="antwortet nicht"):
        api.request("POST", "/mutations", json={"x": 1})  # not marked idempotent: no retry
    assert len(waits) == 1
