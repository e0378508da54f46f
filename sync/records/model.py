"""The records model: file plan, dossiers, cases, documents and their versions.

Column names follow xdomea where one exists (see the glossary in DESIGN.md). Every entity has a
client-generated UUID (rule 3 of the sync contract), so nothing created offline needs a round
trip. ``server_version`` is the last version the server confirmed (None = never synced); it is
the base against which later edits are pushed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps; SQLite has no time zones, so we normalise on the way in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use timezone-aware UTC timestamps")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Disposal(StrEnum):
    """Aussonderungsart: archive (A), evaluate (B) or destroy (V) when retention ends."""

    ARCHIVE = "A"
    EVALUATE = "B"
    DESTROY = "V"


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}  # noqa: RUF012


class SoftDeletable:
    """Deletes are soft (Papierkorb) and reversible."""

    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Tracked(SoftDeletable):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    server_version: Mapped[int | None] = mapped_column(default=None)


class Municipality(Base):
    __tablename__ = "municipalities"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # str.format pattern with {plan}, {number} and {year}; see records.references.
    reference_pattern: Mapped[str] = mapped_column(
        String(100), default="{plan}-{number:04d}/{year}"
    )


class FilePlan(Tracked, Base):
    """Aktenplan: the municipality's classification tree (one active plan per municipality)."""

    __tablename__ = "file_plans"

    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(default=False)
    units: Mapped[list[PlanUnit]] = relationship(back_populates="file_plan")


class PlanUnit(Tracked, Base):
    """Aktenplaneinheit: a node of the file plan with a code such as ``022.1``."""

    __tablename__ = "plan_units"
    __table_args__ = (UniqueConstraint("file_plan_id", "code"),)

    file_plan_id: Mapped[str] = mapped_column(ForeignKey("file_plans.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("plan_units.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    retention_years: Mapped[int | None] = mapped_column(default=None)
    disposal: Mapped[str | None] = mapped_column(String(1), default=None)  # Disposal

    file_plan: Mapped[FilePlan] = relationship(back_populates="units")


class Dossier(Tracked, Base):
    """Akte: a file of records under one plan unit, identified by its reference."""

    __tablename__ = "dossiers"
    __table_args__ = (UniqueConstraint("municipality_id", "reference"),)

    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"))
    plan_unit_id: Mapped[str] = mapped_column(ForeignKey("plan_units.id"), index=True)
    reference: Mapped[str] = mapped_column(String(100))  # Aktenzeichen
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    running_number: Mapped[int | None] = mapped_column(default=None)
    year: Mapped[int | None] = mapped_column(default=None)
    opened_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)  # zdA
    retention_years: Mapped[int | None] = mapped_column(default=None)
    disposal: Mapped[str | None] = mapped_column(String(1), default=None)  # Disposal
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)

    cases: Mapped[list[Case]] = relationship(back_populates="dossier")

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Case(Tracked, Base):
    """Vorgang: one matter inside a dossier."""

    __tablename__ = "cases"

    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    opened_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)  # zdA

    dossier: Mapped[Dossier] = relationship(back_populates="cases")

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Blob(Base):
    """Local bookkeeping of a content-addressed blob (the bytes live in the blob store)."""

    __tablename__ = "blobs"
    # Sync asks each run for pinned-but-missing and missing blobs: no scan of the table.
    __table_args__ = (
        Index("ix_blobs_present", "present"),
        Index("ix_blobs_pinned", "pinned"),
    )

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    present: Mapped[bool] = mapped_column(default=True)  # bytes are in the local cache
    pinned: Mapped[bool] = mapped_column(default=False)  # "available offline": never evicted
    synced: Mapped[bool] = mapped_column(default=False)  # the server has it: evictable
    last_used: Mapped[float] = mapped_column(Float, default=0.0)  # epoch seconds, for LRU


class Document(Tracked, Base):
    """Dokument: one record inside a case (or directly in a dossier)."""

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_case_sort", "case_id", "received_on"),
        Index("ix_documents_dossier_case", "dossier_id", "case_id"),
    )

    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"))
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"))
    # An e-mail attachment points at its mail.
    parent_document_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id"), index=True, default=None
    )
    title: Mapped[str] = mapped_column(String(500))
    doc_type: Mapped[str] = mapped_column(String(20))  # filing.extracted.DocType
    mime_type: Mapped[str] = mapped_column(String(120))
    file_name: Mapped[str] = mapped_column(String(255))
    sender: Mapped[str | None] = mapped_column(String(500), default=None)
    recipient: Mapped[str | None] = mapped_column(String(1000), default=None)
    received_on: Mapped[date | None] = mapped_column(Date, default=None)  # Posteingangsdatum
    document_date: Mapped[date | None] = mapped_column(Date, default=None)
    page_count: Mapped[int | None] = mapped_column(default=None)
    # Comma-separated filing.extracted.Problem codes: what the record lacks (full text, preview).
    problems: Mapped[str] = mapped_column(String(200), default="")
    current_version: Mapped[int] = mapped_column(default=1)

    versions: Mapped[list[Version]] = relationship(
        back_populates="document", order_by="Version.number"
    )

    @property
    def problem_codes(self) -> list[str]:
        return [p for p in self.problems.split(",") if p]


class Version(Base):
    """An immutable content revision of a document; the bytes are a blob (SHA-256)."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"))
    number: Mapped[int] = mapped_column(Integer)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    size: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    thumbnail_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    # A parallel edit from another client is kept as its own version, marked for the clerk.
    conflict: Mapped[bool] = mapped_column(default=False)
    server_version: Mapped[int | None] = mapped_column(default=None)

    document: Mapped[Document] = relationship(back_populates="versions")


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("municipality_id", "name_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"))
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))  # casefolded NFC, for uniqueness


class DocumentTag(Base):
    __tablename__ = "document_tags"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    tag_id: Mapped[str] = mapped_column(ForeignKey("tags.id"), primary_key=True, index=True)


class Note(Tracked, Base):
    """A clerk's note on a dossier, case or document (target_kind names the table)."""

    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_target", "target_kind", "target_id"),)

    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(36))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100), default="")


class ReferenceCounter(Base):
    """Last running number handed out per municipality, plan code and year."""

    __tablename__ = "reference_counters"

    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipalities.id"), primary_key=True)
    plan_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Event(Base):
    """Local event log: every change, in order. Client time is informational only."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_entity", "entity_kind", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100), default="")
    entity_kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(30))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class OutboxEntry(Base):
    """A local change waiting to be pushed, written in the same transaction as the change.

    ``id`` is the client's increasing mutation id (sync contract rule 4).
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(20))  # create | update | delete | restore | ...
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    base_version: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The mutation id it was sent under; None until the sync engine first sends it.
    wire_id: Mapped[int | None] = mapped_column(default=None)


class SyncProblem(Base):
    """A change the server refused, or a transfer that keeps failing: shown to the clerk with
    its reason; ``payload`` keeps what was sent, so nothing is silently dropped."""

    __tablename__ = "sync_problems"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class FieldConflict(Base):
    """The same field changed here and on the server (sync contract rule 7): the record shows
    the server's value, ``mine`` keeps the local one until the clerk decides."""

    __tablename__ = "field_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(60))
    mine: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ParkedRecord(Base):
    """A record of the changes feed whose parent has not arrived yet."""

    __tablename__ = "parked_records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    waiting_for: Mapped[str] = mapped_column(String(36), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)


class StoreSetting(Base):
    """Key/value facts about this store (its id; later the server, municipality and user it is
    bound to, so that a foreign cache is never synced)."""

    __tablename__ = "store_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
