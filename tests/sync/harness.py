"""Sync clients for end-to-end tests: a real store, an in-memory keyring, the real engine, and
the real server over HTTP on 127.0.0.1 (optionally through the fault proxy)."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.credentials import CredentialStore
from sync.engine.auth import Account, Authenticator
from sync.engine.engine import SyncEngine, SyncReport
from sync.filing.pipeline import Filer
from sync.records import operations, queries
from sync.records.model import Case, Document, Dossier, PlanUnit, Version
from sync.records.versions import add_version
from sync.store.database import DB_NAME, Store
from sync.transport import Backoff, ServerClient
from tests.server.live import PASSWORD, LiveServer
from tests.support.keyrings import MemoryKeyring


def new_version(store: Store, document_id: str, data: bytes, actor: str = "") -> str:
    """New content for a document made on this PC (as a check-in would)."""
    staged = store.blobs.stage_bytes(data)
    store.blobs.commit(staged)
    with store.write() as s:
        document = s.get_one(Document, document_id)
        version = add_version(
            s,
            document,
            blob_sha256=staged.sha256,
            size=staged.size,
            base_number=document.current_version,
            actor=actor,
        )
        return version.id


class SyncClient:
    """One clerk's PC: a store folder, a keyring and the engine."""

    def __init__(
        self,
        root: Path,
        server_url: str,
        municipality: str,
        login: str,
        *,
        keyring: MemoryKeyring | None = None,
        download_all: bool = True,
    ) -> None:
        self.root = root
        self.keyring = keyring or MemoryKeyring()
        self.account = Account(server_url, municipality, login)
        self.store = Store.open(_from_template(root))
        self.client = ServerClient(server_url, backoff=Backoff(sleep=lambda _s: None))
        self.auth = Authenticator(self.client, CredentialStore(self.keyring), self.account)
        self.engine = SyncEngine(self.store, self.client, self.auth, download_all=download_all)

    def login(self, password: str = PASSWORD) -> None:
        self.engine.login(password)

    def sync(self, **kwargs: Any) -> SyncReport:
        return self.engine.run(**kwargs)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self.store.write() as session:
            yield session

    def close(self) -> None:
        self.store.close()

    # -- small builders for scenarios ------------------------------------------------------

    def plan_unit(self, code: str, title: str) -> str:
        with self.write() as s:
            plan = queries.active_plan(s)
            return operations.add_plan_unit(s, plan, code, title).id

    def dossier(self, unit_id: str, title: str) -> str:
        with self.write() as s:
            return operations.create_dossier(s, s.get_one(PlanUnit, unit_id), title).id

    def case(self, dossier_id: str, title: str) -> str:
        with self.write() as s:
            return operations.create_case(s, s.get_one(Dossier, dossier_id), title).id

    def file(self, case_id: str, name: str, data: bytes) -> str:
        outcome = Filer(self.store).file_bytes(data, name, case_id)
        assert outcome.document_id is not None, outcome
        return outcome.document_id

    def new_version(self, document_id: str, data: bytes) -> str:
        return new_version(self.store, document_id, data)

    def delete(self, kind: type[Any], entity_id: str) -> None:
        with self.write() as s:
            operations.delete(s, s.get_one(kind, entity_id))

    def move(self, document_id: str, case_id: str) -> None:
        with self.write() as s:
            operations.move_document(s, s.get_one(Document, document_id), s.get_one(Case, case_id))

    def tag(self, document_id: str, name: str) -> None:
        with self.write() as s:
            operations.add_tag(s, s.get_one(Document, document_id), name)

    def versions(self, document_id: str) -> list[tuple[int, str, bool]]:
        with self.store.read() as s:
            rows = s.scalars(
                select(Version).where(Version.document_id == document_id).order_by(Version.number)
            )
            return [(v.number, v.blob_sha256, v.conflict) for v in rows]

    def edit(self, kind: type[Any], entity_id: str, **changes: Any) -> None:
        with self.write() as s:
            operations.update_fields(s, s.get_one(kind, entity_id), changes)

    def get(self, kind: type[Any], entity_id: str) -> Any:
        with self.store.read() as s:
            return s.get(kind, entity_id)

    def titles(self) -> dict[str, str]:
        """id -> title of every dossier, case and document (for convergence checks)."""
        return {k: v[0] for k, v in self.state().items()}

    def state(self) -> dict[str, tuple[Any, ...]]:
        """What every client must agree on after syncing: per dossier, case and document its
        title, place, deleted and closed flags and server version."""
        out: dict[str, tuple[Any, ...]] = {}
        with self.store.read() as s:
            for model in (Dossier, Case, Document):
                place = {Dossier: Dossier.plan_unit_id, Case: Case.dossier_id}.get(
                    model, Document.case_id
                )
                closed = getattr(model, "closed_at", None)
                rows = s.execute(
                    select(
                        model.id,
                        model.title,
                        place,
                        model.deleted_at.is_not(None),
                        closed.is_not(None) if closed is not None else model.id.is_(None),
                        model.server_version,
                    )
                )
                for entity_id, *rest in rows:
                    out[entity_id] = tuple(rest)
        return out


_TEMPLATE: list[Path] = []


def _from_template(root: Path) -> Path:
    """A new store starts as a copy of one migrated empty store (migrating costs half a
    second per store); the copy gets its own store id on open."""
    if root.exists():
        return root
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="eakte-store-template-"))
        Store.open(folder).close()
        with sqlite3.connect(folder / DB_NAME) as conn:
            conn.execute("DELETE FROM store_settings WHERE key = 'store_id'")
        _TEMPLATE.append(folder / DB_NAME)
    root.mkdir(parents=True)
    shutil.copyfile(_TEMPLATE[0], root / DB_NAME)
    return root


def make_client(
    tmp: Path, server: LiveServer, municipality: str, login: str, role: str = "clerk", **kw: Any
) -> SyncClient:
    if (municipality, login) not in server.users:
        server.add_user(municipality, login, role)
    client = SyncClient(tmp / f"{municipality}-{login}", server.base_url, municipality, login, **kw)
    client.login()
    return client
