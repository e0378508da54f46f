"""Record kinds and their fields as they travel between client and server.

Field names follow the client's records model (and xdomea where it has a name). A record on the
wire is ``Record``: identity, server version, state flags and ``fields`` whose shape depends on
``kind``; ``FIELDS_BY_KIND`` validates them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from sync.protocol.common import WireModel
from sync.protocol.types import (
    Description,
    FileName,
    Id,
    Login,
    Sha256,
    ShortText,
    Slug,
    Title,
)

Kind = Literal["plan_unit", "dossier", "case", "document", "version", "note", "share"]
Disposal = Literal["A", "B", "V"]  # Aussonderungsart: archivieren / bewerten / vernichten
ShareMode = Literal["read", "write"]


class PlanUnitFields(WireModel):
    parent_id: Id | None = None
    code: str = Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")
    title: Title
    retention_years: int | None = Field(default=None, ge=0, le=200)
    disposal: Disposal | None = None


class ShareGrant(WireModel):
    """A named user of another municipality who may read (or also edit) a dossier."""

    municipality: Slug
    login: Login
    mode: ShareMode = "read"


class DossierFields(WireModel):
    plan_unit_id: Id
    reference: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")
    title: Title
    description: Description = ""
    opened_on: date | None = None
    retention_years: int | None = Field(default=None, ge=0, le=200)
    disposal: Disposal | None = None
    restricted: bool = False
    # Logins of the own municipality who may see a restricted dossier (e.g. personnel files).
    members: list[Login] = Field(default_factory=list, max_length=200)
    shares: list[ShareGrant] = Field(default_factory=list, max_length=50)


class CaseFields(WireModel):
    dossier_id: Id
    title: Title
    description: Description = ""
    opened_on: date | None = None


class DocumentFields(WireModel):
    dossier_id: Id
    case_id: Id | None = None
    parent_document_id: Id | None = None  # a mail attachment points at its mail
    title: Title
    doc_type: str = Field(min_length=1, max_length=20, pattern=r"^[a-z_]+$")
    mime_type: str = Field(min_length=1, max_length=120, pattern=r"^[\x21-\x7e][\x20-\x7e]*$")
    file_name: FileName
    sender: ShortText | None = None
    recipient: ShortText | None = None
    received_on: date | None = None  # Posteingangsdatum
    document_date: date | None = None
    page_count: int | None = Field(default=None, ge=0, le=1_000_000)
    problems: str = Field(default="", max_length=200, pattern=r"^[a-z_,]*$")
    tags: list[ShortText] = Field(default_factory=list, max_length=50)


class VersionFields(WireModel):
    document_id: Id
    number: int = Field(ge=1, le=100_000)
    blob_sha256: Sha256
    size: int = Field(ge=0, le=1 << 40)
    file_name: FileName
    thumbnail_sha256: Sha256 | None = None
    created_by: ShortText = ""
    conflict: bool = False  # a parallel edit kept as its own version (sync contract rule 7)


class NoteFields(WireModel):
    target_kind: Literal["dossier", "case", "document"]
    target_id: Id
    text: Description = Field(min_length=1)
    author: ShortText = ""


class ShareFields(WireModel):
    """Written by the server into the grantee's municipality: "this dossier is shared with you"."""

    dossier_id: Id
    owner: Slug
    login: Login
    mode: ShareMode


FIELDS_BY_KIND: dict[str, type[WireModel]] = {
    "plan_unit": PlanUnitFields,
    "dossier": DossierFields,
    "case": CaseFields,
    "document": DocumentFields,
    "version": VersionFields,
    "note": NoteFields,
    "share": ShareFields,
}

# Kinds a client may create or change; ``share`` records are the server's own.
CLIENT_KINDS = ("plan_unit", "dossier", "case", "document", "version", "note")
CLOSABLE_KINDS = ("dossier", "case")


class Record(WireModel):
    """One record's current state as the server holds it."""

    kind: Kind
    id: Id
    version: int = Field(
        ge=1, description="Server version; the base for the next conditional edit."
    )
    municipality: Slug
    deleted: bool = False
    closed_at: datetime | None = None
    fields: dict[str, Any]
    updated_at: datetime
    updated_by: str


class RecordRef(WireModel):
    kind: Kind
    id: Id
