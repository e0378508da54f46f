"""A real server on 127.0.0.1 for tests: uvicorn in a thread, spoken to over HTTP."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import uvicorn

from server import municipalities
from server.app import create_app
from server.config import Settings
from server.context import ServerContext
from server.db import schema
from server.db.engine import Database
from server.users import add_user
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

PASSWORD = "Korrekt-Pferd-Batterie-7"


class ApiClient(requests.Session):
    """requests with the base URL, the protocol header and (after login) the bearer token."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        self.tokens: dict[str, Any] = {}
        self.client_id = str(uuid.uuid4())
        self._next_mutation = 0

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)

    def login(self, municipality: str, login: str, password: str = PASSWORD) -> dict[str, Any]:
        response = self.post(
            "/api/v1/auth/login",
            json={"municipality": municipality, "login": login, "password": password},
        )
        response.raise_for_status()
        self.tokens = response.json()
        self.headers["Authorization"] = f"Bearer {self.tokens['access_token']}"
        return self.tokens

    def next_mutation_id(self) -> int:
        self._next_mutation += 1
        return self._next_mutation

    def mutate(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        """Send mutations (mutation ids filled in) and return the per-item results."""
        batch = [{"mutation_id": self.next_mutation_id(), **m} for m in mutations]
        response = self.post(
            "/api/v1/mutations", json={"client_id": self.client_id, "mutations": batch}
        )
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results


@dataclass
class LiveServer:
    ctx: ServerContext
    base_url: str
    _server: uvicorn.Server
    _thread: threading.Thread
    users: dict[tuple[str, str], str] = field(default_factory=dict)

    def add_user(self, municipality: str, login: str, role: str = "clerk") -> str:
        with self.ctx.db.write() as session:
            user = add_user(session, municipality, login, role, PASSWORD)
            self.users[(municipality, login)] = user.id
            return user.id

    def client(
        self, municipality: str | None = None, login: str | None = None, role: str = "clerk"
    ) -> ApiClient:
        """A client; logged in (the user created if needed) when a login is given."""
        api = ApiClient(self.base_url)
        if municipality and login:
            if (municipality, login) not in self.users:
                self.add_user(municipality, login, role)
            api.login(municipality, login)
        return api

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def initialise(database_url: str) -> None:
    """Schema and municipalities, as ``eakte-server init`` makes them."""
    db = Database(database_url)
    try:
        schema.upgrade(db)
        with db.write() as session:
            municipalities.seed(session)
    finally:
        db.dispose()


def start_server(database_url: str, blob_dir: Path, **overrides: Any) -> LiveServer:
    settings = Settings(database_url=database_url, blob_dir=blob_dir, **overrides)
    ctx = ServerContext.open(settings)
    app = create_app(ctx)
    # IPPROTO_TCP explicitly: uvicorn sets TCP_NODELAY only on sockets it knows to be TCP;
    # without it every keep-alive answer waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    return LiveServer(ctx, f"http://127.0.0.1:{port}", server, thread)
