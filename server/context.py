"""Everything a request handler needs, built once per server process."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from server.blobs.storage import BlobStorage, FilesystemBlobStorage
from server.config import Settings
from server.db.engine import Database
from server.db.schema import require_current
from server.db.tables import ServerSetting


@dataclass
class ServerContext:
    settings: Settings
    db: Database
    blobs: BlobStorage
    secret: bytes
    server_id: str

    @classmethod
    def open(cls, settings: Settings) -> ServerContext:
        db = Database(settings.resolved_database_url())
        require_current(db)
        server_id, secret = ensure_identity(db)
        blobs = FilesystemBlobStorage(settings.blob_dir)
        return cls(settings, db, blobs, bytes.fromhex(secret), server_id)

    def close(self) -> None:
        self.db.dispose()


def ensure_identity(db: Database) -> tuple[str, str]:
    """This instance's id (clients bind their cache to it) and the token-signing secret."""
    with db.write() as session:
        values = {s.key: s.value for s in session.scalars(select(ServerSetting))}
        if "server_id" not in values:
            values["server_id"] = str(uuid.uuid4())
            session.add(ServerSetting(key="server_id", value=values["server_id"]))
        if "token_secret" not in values:
            values["token_secret"] = secrets.token_hex(32)
            session.add(ServerSetting(key="token_secret", value=values["token_secret"]))
    return values["server_id"], values["token_secret"]
