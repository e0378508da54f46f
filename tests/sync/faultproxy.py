"""A fault-injecting HTTP/1.1 proxy on 127.0.0.1 for tests of the sync engine (stdlib only).

A real TCP proxy with a thread per client connection and its own upstream connection, so
keep-alive works through it. It parses only what it must: request and status lines, headers,
and the body framing (Content-Length, chunked, or until close). Faults are scripted from the
test and counted in body bytes from the moment they are armed, across requests:

    proxy.fail_next(3, status=503)      # answer the next 3 requests itself, small text body
    proxy.cut_request_after(n)          # forward n more request body bytes, then drop the line
    proxy.cut_response_after(n)         # the same for response bodies (mid-answer)
    proxy.corrupt_response_byte(n)      # flip the n-th response body byte from now (also request)
    proxy.throttle(bytes_per_s)         # crawl, both directions; None: full speed
    proxy.drop_request_header("Range")  # like a proxy that strips a header
    proxy.requests, proxy.seen          # counted / recorded requests; proxy.reset()

Cut and corruption offsets of chunked bodies count the chunk data only, not the framing.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

Direction = Literal["request", "response"]
_READ = 64 * 1024
_MAX_HEAD = 64 * 1024


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case, as the client sent them


class _CutError(Exception):
    """A scripted drop of the connection."""


class _ClosedError(Exception):
    """The peer closed the connection in the middle of a message."""


class _Reader:
    """Buffered reads from a socket: heads, lines and counted bodies."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = bytearray()

    def _fill(self) -> bool:
        data = self.sock.recv(_READ)
        self.buf += data
        return bool(data)

    def head(self) -> bytes | None:
        """The next message head up to the blank line; None at a clean end of the stream."""
        while (end := self.buf.find(b"\r\n\r\n")) < 0:
            if len(self.buf) > _MAX_HEAD:
                raise _ClosedError("head too long")
            if not self._fill():
                if self.buf:
                    raise _ClosedError("end of stream inside a head")
                return None
        head = bytes(self.buf[: end + 4])
        del self.buf[: end + 4]
        return head

    def line(self) -> bytes:
        while (end := self.buf.find(b"\r\n")) < 0:
            if not self._fill():
                raise _ClosedError("end of stream inside a line")
        line = bytes(self.buf[: end + 2])
        del self.buf[: end + 2]
        return line

    def read(self, limit: int) -> bytes:
        """Up to ``limit`` bytes; b"" at the end of the stream."""
        if not self.buf and not self._fill():
            return b""
        data = bytes(self.buf[:limit])
        del self.buf[:limit]
        return data


def _parse(head: bytes) -> tuple[str, list[str], dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")[:-2]
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], lines[1:], headers


def _framing(headers: dict[str, str]) -> int | Literal["chunked"] | None:
    """Content-Length, "chunked", or None (the body lasts until the connection closes)."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return "chunked"
    if "content-length" in headers:
        return int(headers["content-length"])
    return None


class FaultProxy:
    def __init__(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        assert parts.hostname is not None and parts.port is not None
        self.upstream = (parts.hostname, parts.port)
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.connections = 0  # client connections accepted (keep-alive reuses them)
        self.upstream_closes = 0  # idle upstream connections closed by the server
        self.reset()
        self._thread = threading.Thread(target=self._accept, name="faultproxy", daemon=True)
        self._thread.start()

    # --- script ------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget faults, counters and the request log (connections stay open)."""
        with self._lock:
            self.requests = 0
            self.seen: list[SeenRequest] = []
            self.body_bytes: dict[Direction, int] = {"request": 0, "response": 0}
            self._fail = (0, 503)
            self._cut: dict[Direction, int | None] = {"request": None, "response": None}
            self._corrupt: dict[Direction, list[int]] = {"request": [], "response": []}
            self._rate: float | None = None
            self._dropped: set[str] = set()
            self._body_limit: int | None = None

    def fail_next(self, count: int, *, status: int = 503) -> None:
        with self._lock:
            self._fail = (count, status)

    def cut_request_after(self, n: int) -> None:
        with self._lock:
            self._cut["request"] = self.body_bytes["request"] + n

    def cut_response_after(self, n: int) -> None:
        with self._lock:
            self._cut["response"] = self.body_bytes["response"] + n

    def corrupt_request_byte(self, *offsets: int) -> None:
        with self._lock:
            self._corrupt["request"] += [self.body_bytes["request"] + n for n in offsets]

    def corrupt_response_byte(self, *offsets: int) -> None:
        with self._lock:
            self._corrupt["response"] += [self.body_bytes["response"] + n for n in offsets]

    def throttle(self, bytes_per_s: float | None) -> None:
        with self._lock:
            self._rate = bytes_per_s

    def limit_request_body(self, n: int | None) -> None:
        """Answer 413 in HTML, as nginx does over ``client_max_body_size``, to any request
        that declares a body larger than ``n`` bytes (the body is read and dropped)."""
        with self._lock:
            self._body_limit = n

    def drop_request_header(self, name: str) -> None:
        with self._lock:
            self._dropped.add(name.lower())

    def close(self) -> None:
        _close(self._listener)  # shutdown() wakes the blocked accept(); close() alone does not
        with self._lock:
            open_sockets = list(self._sockets)
        for sock in open_sockets:
            _close(sock)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- connections -------------------------------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self.connections += 1
                self._sockets.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self.upstream)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._sockets.add(sock)
        return sock

    def _serve(self, client: socket.socket) -> None:
        downstream = _Reader(client)
        upstream: _Reader | None = None
        try:
            while True:
                if upstream is not None and not downstream.buf:
                    upstream = self._wait_for_request(client, upstream)
                head = downstream.head()
                if head is None:
                    return
                if upstream is None:
                    upstream = _Reader(self._connect())
                if not self._exchange(head, downstream, upstream):
                    return
        except (_CutError, _ClosedError, OSError, ValueError):  # ValueError: closed by close()
            pass  # a scripted drop, or a peer that went away: drop both sides
        finally:
            _close(client)
            if upstream is not None:
                _close(upstream.sock)
            with self._lock:
                self._sockets.discard(client)
                if upstream is not None:
                    self._sockets.discard(upstream.sock)

    def _wait_for_request(self, client: socket.socket, upstream: _Reader) -> _Reader | None:
        """Wait for the client's next request. An upstream that closes its idle keep-alive
        connection meanwhile is dropped and reconnected for the next request, as a real proxy
        would, instead of failing that request."""
        readable, _, _ = select.select([client, upstream.sock], [], [])
        if upstream.sock in readable and client not in readable:
            with contextlib.suppress(OSError):
                if upstream.sock.recv(1, socket.MSG_PEEK):
                    return upstream  # unsolicited bytes: left to the next exchange
            _close(upstream.sock)
            with self._lock:
                self._sockets.discard(upstream.sock)
                self.upstream_closes += 1
            return None
        return upstream

    def _exchange(self, head: bytes, downstream: _Reader, upstream: _Reader) -> bool:
        """One request and its answer; False if the connection is to be closed after it."""
        request_line, lines, headers = _parse(head)
        method, path, _ = request_line.split(" ", 2)
        with self._lock:
            self.requests += 1
            self.seen.append(SeenRequest(method, path, headers))
            failing, status = self._fail
            if failing:
                self._fail = (failing - 1, status)
            dropped = set(self._dropped)
            limit = self._body_limit
        client = downstream.sock
        framing = _framing(headers)
        if limit is not None and isinstance(framing, int) and framing > limit:
            self._pump(downstream, None, framing, "request")
            body = b"<html><head><title>413 Request Entity Too Large</title></head></html>\n"
            client.sendall(
                b"HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: text/html\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            return True
        if failing:
            self._pump(downstream, None, framing or 0, "request")
            body = f"proxy: {status} (scripted failure)\n".encode()
            client.sendall(
                f"HTTP/1.1 {status} Scripted Failure\r\nContent-Type: text/plain\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            return True
        kept = [x for x in lines if x.partition(":")[0].strip().lower() not in dropped]
        upstream.sock.sendall("\r\n".join([request_line, *kept, "", ""]).encode("latin-1"))
        self._pump(downstream, upstream.sock, framing or 0, "request")

        answer = upstream.head()
        if answer is None:
            return False
        status_line, _, answer_headers = _parse(answer)
        code = int(status_line.split(" ", 2)[1])
        client.sendall(answer)
        framing = _framing(answer_headers)
        if method == "HEAD" or code in (204, 304) or code < 200:
            framing = 0
        self._pump(upstream, client, framing, "response")
        closing = (
            "close"
            in (headers.get("connection", "") + answer_headers.get("connection", "")).lower()
        )
        return framing is not None and not closing

    # --- bodies ------------------------------------------------------------------------

    def _pump(
        self,
        src: _Reader,
        dst: socket.socket | None,
        framing: int | Literal["chunked"] | None,
        direction: Direction,
    ) -> None:
        """Forward one body (to nowhere if ``dst`` is None), applying the faults."""
        if framing == "chunked":
            while True:
                size_line = src.line()
                self._raw(dst, size_line)
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    while (trailer := src.line()) != b"\r\n":
                        self._raw(dst, trailer)
                    self._raw(dst, trailer)
                    return
                self._pump(src, dst, size, direction)
                self._raw(dst, src.line())
        remaining = framing
        while remaining is None or remaining > 0:
            data = src.read(_READ if remaining is None else min(_READ, remaining))
            if not data:
                if remaining is None:
                    return
                raise _ClosedError("end of stream inside a body")
            self._send(dst, data, direction)
            if remaining is not None:
                remaining -= len(data)

    def _send(self, dst: socket.socket | None, data: bytes, direction: Direction) -> None:
        with self._lock:
            start = self.body_bytes[direction]
            cut = self._cut[direction]
            if cut is not None and start + len(data) > cut:
                data = data[: max(0, cut - start)]
                self._cut[direction] = None
            else:
                cut = None
            flips = [t for t in self._corrupt[direction] if start <= t < start + len(data)]
            if flips:
                self._corrupt[direction] = [t for t in self._corrupt[direction] if t not in flips]
                buf = bytearray(data)
                for t in flips:
                    buf[t - start] ^= 0xFF
                data = bytes(buf)
            self.body_bytes[direction] += len(data)
        self._raw(dst, data)
        if cut is not None:
            raise _CutError(direction)

    def _raw(self, dst: socket.socket | None, data: bytes) -> None:
        if dst is None or not data:
            return
        rate = self._rate
        if rate is None:
            dst.sendall(data)
            return
        step = max(1, int(rate / 20))  # 20 slices a second: smooth enough, few wake-ups
        for i in range(0, len(data), step):
            piece = data[i : i + step]
            dst.sendall(piece)
            time.sleep(len(piece) / rate)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
