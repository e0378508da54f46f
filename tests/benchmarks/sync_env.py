"""What the sync benchmark runs against: the real server in this process (``start_server``) on
a fresh SQLite file or a scratch PostgreSQL database, its users, and sync clients (a real
store, an in-memory keyring, the real engine) talking to it over loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from sync.credentials import CredentialStore
from sync.engine.auth import Account, Authenticator
from sync.engine.engine import SyncEngine
from sync.store.database import Store
from sync.transport import Backoff, ServerClient
from tests.benchmarks.server_load_env import postgres_problem, scratch_database
from tests.server.live import PASSWORD, ApiClient, LiveServer, initialise, start_server
from tests.support.keyrings import MemoryKeyring

REGISTRAR = "registratur"  # seeds through the API (plan units need a registrar)
CLERK = "messung"  # syncs
MiB = 1024 * 1024


@contextmanager
def live_server(backend: str, folder: Path, **overrides: object) -> Iterator[LiveServer]:
    """A fresh server in this process: ``sqlite`` (a file in ``folder``) or ``postgresql``
    (a scratch database, dropped afterwards); blobs in ``folder/server-blobs``."""
    folder.mkdir(parents=True, exist_ok=True)
    with _database(backend, folder) as url:
        initialise(url)
        server = start_server(url, folder / "server-blobs", **overrides)
        try:
            yield server
        finally:
            server.stop()
            server.ctx.close()
            shutil.rmtree(folder / "server-blobs", ignore_errors=True)


@contextmanager
def _database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'server.sqlite3'}"
        return
    with scratch_database() as url:
        yield url


def postgres_available() -> str | None:
    """None if PostgreSQL can be used, else why not."""
    return postgres_problem()


def add_users(server: LiveServer, users: list[tuple[str, str, str]]) -> None:
    """(municipality, login, role), all with ``PASSWORD`` and one shared Argon2 hash: hashing
    costs 0.3-0.5 s per user here, and user setup is not what is measured."""
    from server.auth.passwords import hash_password
    from server.users import add_user

    hashed = hash_password(PASSWORD)
    with (
        mock.patch("server.users.hash_password", return_value=hashed),
        server.ctx.db.write() as session,
    ):
        for municipality, login, role in users:
            server.users[(municipality, login)] = add_user(
                session, municipality, login, role, PASSWORD
            ).id


def api(server: LiveServer, municipality: str, login: str = REGISTRAR) -> ApiClient:
    client = ApiClient(server.base_url)
    client.login(municipality, login)
    return client


@dataclass
class Client:
    """One clerk's PC: a store and the engine, logged in (not timed)."""

    store: Store
    engine: SyncEngine
    keyring: MemoryKeyring

    def close(self) -> None:
        self.store.close()


def open_client(
    root: Path,
    url: str,
    municipality: str,
    login: str = CLERK,
    *,
    download_all: bool = True,
    store: Store | None = None,
) -> Client:
    """A client of ``url`` on the store in ``root`` (or on ``store``, already open: a second
    engine on the same store, e.g. through the fault proxy)."""
    store = store or Store.open(root)
    keyring = MemoryKeyring()
    server = ServerClient(url, backoff=Backoff(sleep=lambda _s: None))
    auth = Authenticator(server, CredentialStore(keyring), Account(url, municipality, login))
    engine = SyncEngine(store, server, auth, download_all=download_all)
    engine.login(PASSWORD)
    return Client(store, engine, keyring)
