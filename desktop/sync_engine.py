"""Building the sync engine for the window's store and an account (no I/O here: the keyring
and the network are touched only when the engine runs, on the sync thread)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import requests

from sync.credentials import CredentialStore
from sync.engine.auth import Account, Authenticator
from sync.engine.engine import SyncEngine, SyncProgress
from sync.store.database import Store
from sync.transport import Backoff, ServerClient

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def server_client(server_url: str, backoff: Backoff | None = None) -> ServerClient:
    """A client for ``server_url``. For a server on this machine (the embedded demo server)
    proxy settings from the environment must not apply: a proxy cannot reach our loopback."""
    session = requests.Session()
    host = (urlsplit(server_url).hostname or "").lower()
    if host in LOOPBACK:
        session.trust_env = False
    return ServerClient(server_url, session=session, backoff=backoff)


def make_engine(
    store: Store,
    account: Account,
    credentials: CredentialStore,
    *,
    progress: Callable[[SyncProgress], None] | None = None,
    download_all: bool = False,
    cache_limit_bytes: int | None = None,
    backoff: Backoff | None = None,
) -> SyncEngine:
    client = server_client(account.server_url, backoff)
    return SyncEngine(
        store,
        client,
        Authenticator(client, credentials, account),
        cache_limit_bytes=cache_limit_bytes,
        progress=progress,
        download_all=download_all,
    )
