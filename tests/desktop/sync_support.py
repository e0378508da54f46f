"""The desktop side of the sync tests: a store with its AppContext and SyncController (in-memory
keyring, no sleeping back-off), logged in to the real server, and a second PC from
``tests.sync.harness`` to make changes "elsewhere"."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.context import AppContext
from desktop.sync_controller import SyncController
from sync.credentials import CredentialStore
from sync.engine.auth import Account
from sync.engine.binding import Binding
from sync.records.model import Blob, Document, Version
from sync.store.database import Store
from sync.transport import Backoff
from tests.server.live import PASSWORD, LiveServer
from tests.support.keyrings import MemoryKeyring
from tests.sync import harness
from tests.sync.harness import SyncClient, make_client

NEVER_MS = 3_600_000  # timers that must not fire on their own during a test
WAIT_MS = 30_000


@dataclass
class Desk:
    """The desktop's store, context and controller: one clerk's window without the window."""

    store: Store
    context: AppContext
    sync: SyncController
    keyring: MemoryKeyring

    def close(self) -> None:
        self.sync.shutdown(10_000)
        self.context.loader.wait(10_000)
        self.store.close()


def make_desk(
    root: Path,
    *,
    download_all: bool = False,
    interval_ms: int = NEVER_MS,
    debounce_ms: int = NEVER_MS,
) -> Desk:
    store = Store.open(root)
    context = AppContext(store, root)
    keyring = MemoryKeyring()
    sync = SyncController(
        context,
        credentials=CredentialStore(keyring),
        interval_ms=interval_ms,
        debounce_ms=debounce_ms,
        download_all=download_all,
        backoff=Backoff(sleep=lambda _s: None),
    )
    return Desk(store, context, sync, keyring)


def log_in(
    qtbot: QtBot,
    desk: Desk,
    server: LiveServer,
    municipality: str = "meinhard",
    login: str = "anna",
    role: str = "clerk",
) -> Binding:
    """Log in through the controller and wait for the first sync that follows."""
    if (municipality, login) not in server.users:
        server.add_user(municipality, login, role)
    found: list[Binding] = []
    errors: list[Exception] = []
    account = Account(server.base_url, municipality, login)
    with qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS):
        desk.sync.login(account, PASSWORD, found.append, errors.append)
    assert not errors, errors
    return found[0]


def sync_and_wait(qtbot: QtBot, desk: Desk) -> None:
    with qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS):
        desk.sync.sync_now()


def elsewhere(
    tmp: Path, server: LiveServer, login: str = "reg", role: str = "registrar"
) -> SyncClient:
    """Another PC of the same municipality (the registrar by default), logged in."""
    return make_client(tmp, server, "meinhard", login, role)


def filed_case(pc: SyncClient) -> tuple[str, str, str]:
    """A unit, dossier and case made and synced on ``pc``: (dossier id, case id, unit id)."""
    unit = pc.plan_unit("022", "Bauwesen")
    dossier = pc.dossier(unit, "Bauantrag Müller")
    case = pc.case(dossier, "Erstantrag")
    return dossier, case, unit


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def blob_present(store: Store, document_id: str) -> bool:
    with store.read() as s:
        document = s.get_one(Document, document_id)
        sha = s.scalar(
            select(Version.blob_sha256).where(
                Version.document_id == document_id, Version.number == document.current_version
            )
        )
        blob = s.get(Blob, sha)
        return blob is not None and blob.present


def new_version(store: Store, document_id: str, data: bytes) -> str:
    """A new content version made on this PC (as a check-in would)."""
    return harness.new_version(store, document_id, data, actor="meinhard/anna")


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF with ``text`` on it."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=300, height=400)
    page.insert_text((40, 80), text, fontsize=24)
    data: bytes = document.tobytes()
    document.close()
    return data
