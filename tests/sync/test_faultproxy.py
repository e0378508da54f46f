"""The fault proxy itself, in front of a small stdlib HTTP/1.1 server: pass-through with
keep-alive, scripted failures, cuts, corruption, throttling, counting (and once in front of
the real server)."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.server.live import LiveServer
from tests.sync.faultproxy import FaultProxy


def pattern(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


class Upstream:
    """What the upstream server saw."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.ports: set[int] = set()  # client ports = upstream connections
        self.bodies: list[int] = []  # lengths of the request bodies that arrived
        self.closed_idle = 0
        self.close_after_answer = False


@pytest.fixture
def upstream() -> Iterator[tuple[str, Upstream]]:
    seen = Upstream()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive

        def _body(self) -> bytes:
            if "chunked" in self.headers.get("Transfer-Encoding", ""):
                data = b""
                while (size := int(self.rfile.readline().split(b";")[0], 16)) > 0:
                    data += self.rfile.read(size)
                    self.rfile.readline()
                self.rfile.readline()
                return data
            return self.rfile.read(int(self.headers.get("Content-Length", "0")))

        def _answer(self, status: int, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client (or the proxy) is gone
                self.close_connection = True
                return
            if seen.close_after_answer:
                self.close_connection = True  # an idle keep-alive timeout, at once
                seen.closed_idle += 1

        def do_GET(self) -> None:
            seen.requests.append(("GET", self.path, dict(self.headers)))
            seen.ports.add(self.client_address[1])
            self._answer(200, pattern(int(self.path.rsplit("/", 1)[1])))

        def do_HEAD(self) -> None:  # a Content-Length, but no body follows
            seen.requests.append(("HEAD", self.path, dict(self.headers)))
            self.send_response(200)
            self.send_header("Content-Length", self.path.rsplit("/", 1)[1])
            self.end_headers()

        def do_POST(self) -> None:
            data = self._body()
            seen.bodies.append(len(data))
            seen.requests.append(("POST", self.path, dict(self.headers)))
            seen.ports.add(self.client_address[1])
            self._answer(200, f"{len(data)} {hashlib.sha256(data).hexdigest()}".encode())

        def log_message(self, *_args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def proxy(upstream: tuple[str, Upstream]) -> Iterator[FaultProxy]:
    with FaultProxy(upstream[0]) as p:
        yield p


def wait_for(condition: Callable[[], bool]) -> None:
    """Until another thread got there (the upstream server, the proxy), however long."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def echo(data: bytes) -> str:
    return f"{len(data)} {hashlib.sha256(data).hexdigest()}"


def test_passes_requests_through_on_one_kept_alive_connection(proxy, upstream) -> None:
    _, seen = upstream
    with requests.Session() as s:
        assert s.get(f"{proxy.url}/data/70000").content == pattern(70000)
        body = pattern(300_000)
        assert s.post(f"{proxy.url}/echo", data=body).text == echo(body)
        assert s.head(f"{proxy.url}/data/5").headers["Content-Length"] == "5"
        assert s.get(f"{proxy.url}/data/3").content == pattern(3)
    assert proxy.requests == 4
    assert [(r.method, r.path) for r in proxy.seen] == [
        ("GET", "/data/70000"),
        ("POST", "/echo"),
        ("HEAD", "/data/5"),
        ("GET", "/data/3"),
    ]
    assert proxy.connections == 1 and len(seen.ports) == 1
    assert proxy.body_bytes == {"request": 300_000, "response": 70000 + len(echo(body)) + 3}


def test_forwards_chunked_request_bodies(proxy) -> None:
    pieces = [pattern(1000), b"x" * 70_000, pattern(5)]
    response = requests.post(f"{proxy.url}/echo", data=iter(pieces))
    assert proxy.seen[0].headers.get("transfer-encoding") == "chunked"
    assert response.text == echo(b"".join(pieces))


def test_answers_the_next_requests_itself_with_a_non_protocol_body(proxy, upstream) -> None:
    _, seen = upstream
    proxy.fail_next(2, status=502)
    with requests.Session() as s:
        first = s.post(f"{proxy.url}/echo", data=b"dropped")
        second = s.get(f"{proxy.url}/data/10")
        third = s.get(f"{proxy.url}/data/10")
    assert [first.status_code, second.status_code, third.status_code] == [502, 502, 200]
    assert first.text.startswith("proxy: 502")
    assert third.content == pattern(10)
    assert proxy.requests == 3 and len(seen.requests) == 1
    assert proxy.connections == 1  # the failures kept the connection usable


def raw_get(url: str, path: str) -> bytes:
    """Everything the proxy sends back for one GET, up to the closed connection."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        data = b""
        while piece := sock.recv(65536):
            data += piece
    return data


def test_drops_the_connection_mid_answer(proxy) -> None:
    proxy.cut_response_after(1000)
    answer = raw_get(proxy.url, "/data/200000")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"Content-Length: 200000" in head
    assert body == pattern(1000)
    proxy.cut_response_after(1000)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):  # what a client sees
        requests.get(f"{proxy.url}/data/200000", stream=True).content  # noqa: B018
    assert requests.get(f"{proxy.url}/data/10").content == pattern(10)  # once per arming


def test_drops_the_connection_mid_request(proxy, upstream) -> None:
    _, seen = upstream
    assert requests.get(f"{proxy.url}/data/1").content == pattern(1)  # no body: passes
    proxy.cut_request_after(5000)
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/echo", data=pattern(100_000))
    assert proxy.body_bytes["request"] == 5000
    wait_for(lambda: bool(seen.bodies))
    assert seen.bodies == [5000]  # the server saw the line drop after 5000 of 100000 bytes


def test_cut_at_zero_sends_the_head_but_no_body_byte(proxy) -> None:
    proxy.cut_request_after(0)
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/echo", data=b"abc")
    assert proxy.body_bytes["request"] == 0 and proxy.requests == 1


def test_flips_the_chosen_bytes(proxy) -> None:
    proxy.corrupt_response_byte(10)
    got = requests.get(f"{proxy.url}/data/100").content
    want = bytearray(pattern(100))
    want[10] ^= 0xFF
    assert got == bytes(want)
    proxy.corrupt_request_byte(3)
    body = pattern(50)
    flipped = bytearray(body)
    flipped[3] ^= 0xFF
    assert requests.post(f"{proxy.url}/echo", data=body).text == echo(bytes(flipped))


def test_throttles_to_the_given_rate(proxy) -> None:
    proxy.throttle(40_000)
    started = time.monotonic()
    assert requests.get(f"{proxy.url}/data/20000").content == pattern(20000)
    assert time.monotonic() - started >= 0.4  # a lower bound: the proxy sleeps that long


def test_drops_a_request_header(proxy, upstream) -> None:
    _, seen = upstream
    proxy.drop_request_header("Range")
    requests.get(f"{proxy.url}/data/5", headers={"Range": "bytes=1-", "X-Other": "kept"})
    headers = {k.lower() for k in seen.requests[0][2]}
    assert "range" not in headers and "x-other" in headers
    assert proxy.seen[0].headers["range"] == "bytes=1-"  # recorded as the client sent it


def test_reset_forgets_faults_and_counters(proxy) -> None:
    proxy.fail_next(5)
    proxy.cut_response_after(1)
    proxy.throttle(10)
    requests.get(f"{proxy.url}/data/1")
    proxy.reset()
    assert proxy.requests == 0 and proxy.seen == []
    assert requests.get(f"{proxy.url}/data/100").content == pattern(100)
    assert proxy.requests == 1


def test_an_upstream_closing_an_idle_connection_is_reconnected(proxy, upstream) -> None:
    _, seen = upstream
    seen.close_after_answer = True
    with requests.Session() as s:
        assert s.get(f"{proxy.url}/data/5").content == pattern(5)
        wait_for(lambda: proxy.upstream_closes == 1)  # the proxy noticed the close
        assert s.get(f"{proxy.url}/data/6").content == pattern(6)
    assert proxy.connections == 1 and len(seen.ports) == 2


def test_counts_requests_to_the_real_server(live_server: LiveServer) -> None:
    with FaultProxy(live_server.base_url) as proxy:
        api = live_server.client()
        api.base_url = proxy.url
        assert api.get("/api/v1/health").json()["status"] == "ok"
        proxy.fail_next(1, status=503)
        assert api.get("/api/v1/health").status_code == 503
        assert api.get("/api/v1/health").status_code == 200
        assert proxy.requests == 3 and proxy.connections == 1
