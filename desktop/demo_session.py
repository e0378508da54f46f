"""``eakte demo``: the embedded server on this PC, an empty demo store, and the demo login.

The window opens at once on the empty store; the server starts on the sync thread (a few
seconds), the demo user logs in, and the first sync fills the tree in the background with
every document's bytes (``download_all``: the demo is small).

The server's data folder is kept between runs (``demo-server`` beside the demo store): a
second start skips nothing that matters (``serve --demo`` seeds idempotently) and what was
changed in one demo session is still on the server in the next, as it would be for real.
The store is made fresh each run, so the first sync always shows the whole round trip.

The demo's refresh token lives in memory only (``SessionKeyring``): the server listens on a
new port each run, so OS keyring entries would pile up, one per run, for a throwaway account
whose password is printed in the documentation anyway.
"""

from __future__ import annotations

import logging
from pathlib import Path

import keyring.errors
from keyring.backend import KeyringBackend
from PySide6.QtCore import QObject

from desktop.sync_controller import SyncController
from desktop.sync_status import SyncState, SyncStatus
from desktop.sync_worker import PRIORITY_NOW
from sync.credentials import CredentialStore
from sync.embedded import DEMO_LOGIN, DEMO_MUNICIPALITY, EmbeddedServer, demo_password
from sync.engine.auth import Account
from sync.engine.binding import Binding
from sync.errors import EAkteError

log = logging.getLogger("eakte.desktop.demo")


class SessionKeyring(KeyringBackend):
    """A keyring that lives as long as the process (the demo's login only)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not stored")


def demo_credentials() -> CredentialStore:
    return CredentialStore(SessionKeyring())


class DemoServer(QObject):
    """Starts the embedded server for ``sync`` and logs the demo user in; ``stop()`` when
    the application ends. A failure shows as the paused state with the server's message."""

    def __init__(self, sync: SyncController, data_dir: Path) -> None:
        super().__init__(sync)
        self._sync = sync
        self.data_dir = data_dir
        # Set on the sync thread as soon as the server runs, so stop() finds it even if the
        # window closed while it was starting.
        self.server: EmbeddedServer | None = None
        self.error: Exception | None = None

    def start(self) -> None:
        self._sync.show_status(
            SyncStatus(SyncState.CONNECTING, server=self.tr("eingebauter Demo-Server"))
        )
        self._sync.worker.submit(
            self._start_server, self._started, self._failed, priority=PRIORITY_NOW
        )

    def _start_server(self) -> EmbeddedServer:  # sync thread
        server = EmbeddedServer.start(self.data_dir, demo=True)
        self.server = server
        return server

    def _started(self, server: EmbeddedServer) -> None:
        log.info("demo server at %s (%.1f s)", server.url, server.startup_seconds)
        account = Account(server.url, DEMO_MUNICIPALITY, DEMO_LOGIN)
        self._sync.login(account, demo_password(), self._logged_in, self._failed)

    def _logged_in(self, bound: Binding) -> None:
        log.info("demo login as %s/%s", bound.municipality, bound.login)

    def _failed(self, exc: Exception) -> None:
        self.error = exc
        if not isinstance(exc, EAkteError):
            log.error("the demo server could not be used", exc_info=exc)
        self._sync.fail(exc)

    def stop(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.stop()
