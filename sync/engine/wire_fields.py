"""Local records <-> the wire's ``fields`` (``sync.protocol.records``), per kind.

One mapping for everything that speaks the protocol: the sync engine (push and pull) and the
demo's seed bundle. Local bookkeeping (``server_version``, ``current_version``, running numbers,
the file plan a unit hangs in) stays local; ``closed_at`` and ``deleted_at`` travel as ops and
record flags, not as fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from sync.records.model import Base, Case, Document, Dossier, Note, PlanUnit, Version

IdMap = Callable[[str], str]

# Local column names per wire kind (the same names on both sides), excluding the record's id.
WIRE_COLUMNS: dict[str, tuple[str, ...]] = {
    "plan_unit": ("parent_id", "code", "title", "retention_years", "disposal"),
    "dossier": (
        "plan_unit_id",
        "reference",
        "title",
        "description",
        "opened_on",
        "retention_years",
        "disposal",
        "restricted",
    ),
    "case": ("dossier_id", "title", "description", "opened_on"),
    "document": (
        "dossier_id",
        "case_id",
        "parent_document_id",
        "title",
        "doc_type",
        "mime_type",
        "file_name",
        "sender",
        "recipient",
        "received_on",
        "document_date",
        "page_count",
        "problems",
    ),
    "version": (
        "document_id",
        "number",
        "blob_sha256",
        "size",
        "file_name",
        "thumbnail_sha256",
        "created_by",
        "conflict",
    ),
    "note": ("target_kind", "target_id", "text", "author"),
}
# Fields that hold record ids (mapped when ids are renamed, e.g. for the seed bundle).
ID_FIELDS = frozenset(
    {"parent_id", "plan_unit_id", "dossier_id", "case_id", "parent_document_id", "document_id"}
    | {"target_id"}
)
DATE_FIELDS = frozenset({"opened_on", "received_on", "document_date"})
MODEL_BY_KIND: dict[str, type[Base]] = {
    "plan_unit": PlanUnit,
    "dossier": Dossier,
    "case": Case,
    "document": Document,
    "version": Version,
    "note": Note,
}


def _same(value: str) -> str:
    return value


def wire_fields(
    kind: str,
    entity: Any,
    *,
    names: tuple[str, ...] | None = None,
    ids: IdMap = _same,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    """The wire fields of ``entity`` (all of its kind, or only ``names``), JSON-ready.

    ``tags`` (documents): the document's tag names; only sent when given.
    """
    out: dict[str, Any] = {}
    for name in names if names is not None else WIRE_COLUMNS[kind]:
        if name == "tags":
            continue
        value = getattr(entity, name)
        if name in ID_FIELDS and value is not None:
            value = ids(value)
        elif name == "mime_type":
            value = wire_mime(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    if tags is not None:
        out["tags"] = sorted(tags)
    return out


def local_value(name: str, value: Any) -> Any:
    """A wire value as the local column holds it."""
    if name in DATE_FIELDS and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def wire_mime(mime: str) -> str:
    # The pipeline writes "text/plain; charset=utf-8"; the protocol allows no spaces in a
    # MIME type, and the space after ";" is optional (RFC 2045), so drop it.
    return re.sub(r"\s*;\s*", ";", mime.strip())


__all__ = [
    "DATE_FIELDS",
    "ID_FIELDS",
    "MODEL_BY_KIND",
    "WIRE_COLUMNS",
    "local_value",
    "wire_fields",
    "wire_mime",
]
