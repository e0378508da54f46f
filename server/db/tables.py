"""The server's tables. Every row that holds municipal data carries ``municipality_id``.

Records of all kinds share one table: the kind's fields travel and are stored as validated JSON
(``sync.protocol.records``), while the columns hold what queries filter on: tenant, sequence,
dossier (for access), parent, state. One table gives the changes feed its single indexed query.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JsonDict = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite too (which stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime,
        date: Date,
        dict[str, Any]: JsonDict,
    }


class ServerSetting(Base):
    """``server_id`` (this instance) and ``token_secret`` (signs access tokens and cursors)."""

    __tablename__ = "server_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Municipality(Base):
    """A tenant. Its row is also the lock that serialises its writes: ``change_seq`` and the
    audit head advance only under ``SELECT ... FOR UPDATE`` on it, so sequence order is commit
    order and a reader paging by sequence can never miss a change committed behind it."""

    __tablename__ = "municipalities"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    reference_pattern: Mapped[str] = mapped_column(String(100))
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="0" * 64)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("municipality_id", "login"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"))
    login: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))  # clerk | registrar | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(default=None)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)


class RefreshToken(Base):
    """Rotating refresh tokens. Only a hash is stored. Every rotation stays in its ``family``;
    presenting a token that was already rotated revokes the whole family (a stolen copy)."""

    __tablename__ = "refresh_tokens"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class RecordRow(Base):
    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("municipality_id", "seq", name="uq_records_feed"),
        Index("ix_records_dossier", "dossier_id", "seq"),
        Index("ix_records_parent", "parent_id"),
        Index("ix_records_blob", "blob_sha256"),
        Index("ix_records_thumbnail", "thumbnail_sha256"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"))
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(BigInteger)
    seq: Mapped[int] = mapped_column(BigInteger)
    # The dossier that governs access (itself for a dossier; none for plan units).
    dossier_id: Mapped[str | None] = mapped_column(String(36), default=None)
    parent_id: Mapped[str | None] = mapped_column(String(36), default=None)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Dossiers only: visible to its members alone (copied from the fields for queries).
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Versions only: the content blob (copied from the fields for blob access checks).
    blob_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    data: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))


class DossierAccess(Base):
    """Who may see a restricted dossier (``member``) or another municipality's dossier
    (``read``/``write`` share). Derived from the dossier's fields whenever they change."""

    __tablename__ = "dossier_access"
    dossier_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    mode: Mapped[str] = mapped_column(String(10))  # member | read | write


class ClientProgress(Base):
    """The last mutation id applied per client (sync contract rule 4)."""

    __tablename__ = "client_progress"
    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BlobRow(Base):
    """A committed blob: its bytes are in the blob storage and matched this hash and size."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BlobOwner(Base):
    """Which municipalities have uploaded a blob. Content is stored once, but whether a hash
    exists is only told to a municipality that has it: otherwise a HEAD would reveal what
    files another town hall holds."""

    __tablename__ = "blob_owners"
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), primary_key=True, index=True)


class Upload(Base):
    """A resumable upload in progress; its bytes so far are in the storage's staging area."""

    __tablename__ = "uploads"
    __table_args__ = (UniqueConstraint("municipality_id", "sha256"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Append-only, hash-chained per municipality: ``hash = sha256(prev_hash + entry)``."""

    __tablename__ = "audit_entries"
    __table_args__ = (UniqueConstraint("municipality_id", "seq", name="uq_audit_chain"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str | None] = mapped_column(String(20), default=None)
    record_id: Mapped[str | None] = mapped_column(String(36), default=None)
    details: Mapped[dict[str, Any]] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class SearchDocument(Base):
    """What the server's full-text search sees of a document (kept by the mutation code).

    PostgreSQL adds a generated ``tsv`` column with a GIN index (German configuration);
    SQLite mirrors the text into an FTS5 table keyed by ``id``: an explicit integer key,
    because VACUUM may renumber the implicit rowid of a table with a text primary key and
    would silently detach the index. Both are created by the migration."""

    __tablename__ = "search_documents"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(36), unique=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"), index=True)
    dossier_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36), default=None)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[date | None] = mapped_column(default=None)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
