"""The clients of the server benchmark: a lean HTTP client and the three workloads.

Every simulated client is a thread with its own keep-alive connection (``http.client``, not
``requests``: its per-request cost in the client is a fraction of requests', which matters
when 200+ clients share two cores with the server and PostgreSQL). Latency is the wall time
from sending the request to having read and, where needed, parsed the whole answer.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

# uvicorn closes an idle keep-alive connection after 5 s; reconnect before that rather than
# count the server's normal housekeeping as an error.
IDLE_RECONNECT_S = 4.0
MAX_ERROR_SAMPLES = 5


class HttpError(Exception):
    def __init__(self, method: str, path: str, status: int, body: bytes) -> None:
        super().__init__(f"{method} {path.split('?')[0]} -> {status}: {body[:300]!r}")
        self.status = status


class Http:
    """One persistent connection to the server; headers sent with every request."""

    def __init__(self, host: str, port: int, token: str | None = None) -> None:
        self.host, self.port = host, port
        self.headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self._conn: http.client.HTTPConnection | None = None
        self._used = 0.0

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        now = time.monotonic()
        if self._conn is None or now - self._used > IDLE_RECONNECT_S:
            self.close()
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            self._conn.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            response = self._conn.getresponse()
            data = response.read()
        except Exception:
            self.close()  # a broken connection is not reused; the caller counts the error
            raise
        self._used = time.monotonic()
        return response.status, data

    def json(self, method: str, path: str, payload: Any = None) -> Any:
        body = None if payload is None else json.dumps(payload).encode("utf-8")
        headers = {"Content-Type": "application/json"} if body is not None else None
        status, data = self.request(method, path, body, headers)
        if not 200 <= status < 300:
            raise HttpError(method, path, status, data)
        return json.loads(data)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def login(host: str, port: int, municipality: str, user: str, password: str) -> str:
    http = Http(host, port)
    try:
        tokens = http.json(
            "POST",
            "/api/v1/auth/login",
            {"municipality": municipality, "login": user, "password": password},
        )
    finally:
        http.close()
    return str(tokens["access_token"])


def changes_path(cursor: str | None, limit: int = 500) -> str:
    query = f"limit={limit}"
    if cursor:
        query += "&cursor=" + cursor  # signed base64url: safe in a query string as it is
    return f"/api/v1/changes?{query}"


@dataclass
class Tally:
    """What one client saw; merged per workload at the end (no locks while running)."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    units: int = 0  # mutations applied or bytes stored

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.samples) < MAX_ERROR_SAMPLES:
            self.samples.append(text)

    def merge(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.samples += other.samples[: MAX_ERROR_SAMPLES - len(self.samples)]
        self.units += other.units


@dataclass
class Window:
    """The measured interval. Clients prepare before it opens (first catch-up, their case)
    and time only the requests they start while it is open."""

    start_event: threading.Event = field(default_factory=threading.Event)
    stop_event: threading.Event = field(default_factory=threading.Event)


class Client(threading.Thread):
    def __init__(self, http: Http, window: Window, think_s: float) -> None:
        super().__init__(daemon=True)
        self.http, self.window, self.think_s = http, window, think_s
        self.tally = Tally()
        self.ready = threading.Event()
        self.setup_error: Exception | None = None

    def run(self) -> None:
        try:
            self.prepare()
        except Exception as exc:
            self.setup_error = exc
        self.ready.set()
        self.window.start_event.wait()
        if self.setup_error is not None:
            return
        # Start at a random point of the think time, so that the clients do not march in step.
        if self.window.stop_event.wait(random.uniform(0, self.think_s)):
            return
        while not self.window.stop_event.is_set():
            started = time.perf_counter()
            try:
                again, units = self.step()
                self.tally.latencies.append(time.perf_counter() - started)
                self.tally.units += units
            except Exception as exc:
                self.tally.error(f"{type(self).__name__}: {exc}")
                again = False
            self.between()
            if not again and self.window.stop_event.wait(self.think_s):
                break
        self.http.close()

    def prepare(self) -> None:
        """Untimed work before the window opens."""

    def step(self) -> tuple[bool, int]:
        """One timed request: (go again at once without thinking, units of work done)."""
        raise NotImplementedError

    def between(self) -> None:
        """Untimed work after each request."""


class Poller(Client):
    """A desktop client's sync loop: changes since its own cursor, then think, repeat; pages
    on at once while the server says there is more."""

    def __init__(self, http: Http, window: Window, think_s: float) -> None:
        super().__init__(http, window, think_s)
        self.cursor: str | None = None
        self.records = 0

    def prepare(self) -> None:
        while self._page():  # catch up once, untimed, like a client that was already synced
            pass

    def _page(self) -> bool:
        page = self.http.json("GET", changes_path(self.cursor))
        self.cursor = page["cursor"]
        self.records += len(page["changes"])
        return bool(page["has_more"])

    def step(self) -> tuple[bool, int]:
        return self._page(), 0


class Pusher(Client):
    """A client flushing its outbox: batches of document creations into its own case."""

    def __init__(
        self, http: Http, window: Window, think_s: float, dossier_id: str, batch: int
    ) -> None:
        super().__init__(http, window, think_s)
        self.client_id = str(uuid.uuid4())
        self.dossier_id, self.batch = dossier_id, batch
        self.case_id = str(uuid.uuid4())
        self.mutation_id = 0
        self.documents = 0

    def _send(self, mutations: list[dict[str, Any]]) -> None:
        numbered = []
        for m in mutations:
            self.mutation_id += 1
            numbered.append({"mutation_id": self.mutation_id, **m})
        answer = self.http.json(
            "POST", "/api/v1/mutations", {"client_id": self.client_id, "mutations": numbered}
        )
        refused = [r for r in answer["results"] if r["status"] != "applied"]
        if refused:
            raise RuntimeError(f"{len(refused)} of {len(numbered)} not applied: {refused[0]}")

    def prepare(self) -> None:
        case = {"dossier_id": self.dossier_id, "title": "Lasttest Vorgang"}
        self._send([create("case", case, self.case_id)])

    def step(self) -> tuple[bool, int]:
        mutations = []
        for _ in range(self.batch):
            self.documents += 1
            n = self.documents
            fields = {
                "dossier_id": self.dossier_id,
                "case_id": self.case_id,
                "title": f"Rechnung {n} zum Lasttest",
                "doc_type": "pdf",
                "mime_type": "application/pdf",
                "file_name": f"rechnung-{n}.pdf",
            }
            text = f"Rechnung Nummer {n} über Kanalsanierung in der Hauptstraße {n % 90 + 1}"
            mutations.append(create("document", fields, text=text))
        self._send(mutations)
        return False, len(mutations)


class Uploader(Client):
    """A client uploading scans: fresh random content each time, the whole blob in one PUT."""

    def __init__(self, http: Http, window: Window, think_s: float, size: int) -> None:
        super().__init__(http, window, think_s)
        self.size = size
        self.between()

    def between(self) -> None:
        # The next content, made outside the timed request. Random bytes never collide, so
        # every PUT stores a new blob (never "already there").
        self.data = os.urandom(self.size)
        self.sha = hashlib.sha256(self.data).hexdigest()

    def step(self) -> tuple[bool, int]:
        path = f"/api/v1/blobs/{self.sha}"
        status, body = self.http.request(
            "PUT", path, self.data, {"Content-Type": "application/octet-stream"}
        )
        if status != 201:
            raise HttpError("PUT", path, status, body)
        return False, self.size


def create(
    kind: str, fields: dict[str, Any], record_id: str | None = None, text: str | None = None
) -> dict[str, Any]:
    m: dict[str, Any] = {"kind": kind, "id": record_id or str(uuid.uuid4()), "op": "create"}
    m["fields"] = fields
    if text is not None:
        m["text"] = text
    return m
