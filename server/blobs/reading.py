"""Who may read a blob, and the audit entry a read may need.

A blob is readable through a visible version record that references it (as content or
thumbnail), or by its owning municipality while none of its own versions references it yet (a
fresh upload whose mutation is still on its way). Anyone else gets the answer for an unknown
hash. Reading through a restricted dossier or a share is audited in the owner's chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from server import audit
from server.access import Access
from server.auth.principal import Principal
from server.blobs.uploads import owned
from server.context import ServerContext
from server.db.tables import BlobRow, RecordRow


@dataclass(frozen=True)
class AuditNote:
    """The version through which a read must be audited, in its municipality's chain."""

    municipality_id: str
    version_id: str
    restricted: bool
    via_share: bool


@dataclass(frozen=True)
class ReadGrant:
    size: int
    audit: AuditNote | None


def read_grant(ctx: ServerContext, principal: Principal, sha256: str) -> ReadGrant | None:
    """May the caller read this blob? None: answer exactly as for an unknown hash."""
    with ctx.db.read() as session:
        blob = session.get(BlobRow, sha256)
        if blob is None:
            return None
        versions = list(
            session.scalars(
                select(RecordRow).where(
                    RecordRow.kind == "version",
                    or_(RecordRow.blob_sha256 == sha256, RecordRow.thumbnail_sha256 == sha256),
                )
            )
        )
        access = Access(session, principal)
        access.preload(versions)
        visible = [v for v in versions if access.mode(v) is not None]
        notes = [
            AuditNote(v.municipality_id, v.id, access.restricted(v), access.via_share(v))
            for v in visible
        ]
        for note in notes:
            if not note.restricted and not note.via_share:
                return ReadGrant(blob.size, None)
        if notes:
            return ReadGrant(blob.size, notes[0])
        mid = principal.municipality_id
        if owned(session, mid, sha256) and all(v.municipality_id != mid for v in versions):
            return ReadGrant(blob.size, None)
    return None


def audit_read(
    ctx: ServerContext,
    principal: Principal,
    sha256: str,
    note: AuditNote,
    byte_range: str | None,
) -> None:
    details: dict[str, Any] = {
        "sha256": sha256,
        "restricted": note.restricted,
        "via_share": note.via_share,
    }
    if byte_range is not None:
        details["range"] = byte_range
    with ctx.db.write() as session:
        audit.record(
            session,
            note.municipality_id,
            principal.actor,
            "read_blob",
            kind="version",
            record_id=note.version_id,
            details=details,
        )
