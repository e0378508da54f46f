"""Where a record sits: its owner municipality, governing dossier and parent, and whether that
place accepts changes (visible, writable, not in the Papierkorb, not closed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from server.access import Access
from server.db.tables import RecordRow
from server.records.rejections import Rejected, closed, forbidden, invalid, not_found

LABEL = {
    "plan_unit": "Die Aktenplaneinheit",
    "dossier": "Die Akte",
    "case": "Der Vorgang",
    "document": "Das Dokument",
    "version": "Die Version",
    "note": "Die Notiz",
}


@dataclass(frozen=True)
class Place:
    municipality_id: str
    dossier_id: str | None
    parent_id: str | None


def load(session: Session, record_id: str | None, *, lock: bool = False) -> RecordRow | None:
    if record_id is None:
        return None
    if lock:
        return session.get(RecordRow, record_id, with_for_update=True)
    return session.get(RecordRow, record_id)


def writable_target(
    session: Session, access: Access, record_id: str, kind: str, *, allow_closed: bool = False
) -> RecordRow:
    """A record that new or moved records may point at: visible with write access, of the
    expected kind, not deleted and (unless ``allow_closed``) not closed."""
    row = load(session, record_id)
    label = LABEL[kind]
    if row is None or row.kind != kind:
        raise not_found(label)
    mode = access.mode(row)
    if mode is None:
        raise not_found(label)
    if mode != "write":
        raise forbidden(f"{label} ist nur zum Lesen freigegeben.")
    if row.deleted:
        raise Rejected(
            "record_deleted",
            "Im Papierkorb",
            f"{label} liegt im Papierkorb. Bitte zuerst wiederherstellen.",
        )
    if not allow_closed:
        ensure_open(session, row)
    return row


def ensure_open(session: Session, row: RecordRow) -> None:
    """Refuse if the row, its case or its dossier is closed (zdA)."""
    if row.closed_at is not None:
        raise closed(LABEL.get(row.kind, "Der Eintrag"))
    if row.kind == "dossier" or row.dossier_id is None:
        return
    dossier = load(session, row.dossier_id)
    if dossier is not None and dossier.closed_at is not None:
        raise closed("Die Akte")
    case_id = row.data.get("case_id") if row.kind == "document" else None
    if row.kind in ("version", "note"):
        case_id = _case_of(session, row)
    case = load(session, case_id) if case_id else None
    if case is not None and case.closed_at is not None:
        raise closed("Der Vorgang")


def _case_of(session: Session, row: RecordRow) -> str | None:
    parent = load(session, row.parent_id)
    if parent is None:
        return None
    if parent.kind == "case":
        return parent.id
    if parent.kind == "document":
        case_id = parent.data.get("case_id")
        return str(case_id) if case_id else None
    return None


def place(session: Session, access: Access, kind: str, fields: dict[str, Any]) -> Place:
    """Check the parents named in ``fields`` and derive the new record's place."""
    principal = access.principal
    if kind == "plan_unit":
        if not principal.may_manage_records:
            raise forbidden("Den Aktenplan pflegt die Registratur.")
        parent_id = fields.get("parent_id")
        if parent_id:
            writable_target(session, access, parent_id, "plan_unit")
        return Place(principal.municipality_id, None, parent_id)
    if kind == "dossier":
        unit = writable_target(session, access, fields["plan_unit_id"], "plan_unit")
        return Place(unit.municipality_id, None, unit.id)  # dossier_id is set to its own id
    if kind == "case":
        dossier = writable_target(session, access, fields["dossier_id"], "dossier")
        return Place(dossier.municipality_id, dossier.id, dossier.id)
    if kind == "document":
        dossier = writable_target(session, access, fields["dossier_id"], "dossier")
        parent = dossier
        if fields.get("case_id"):
            case = writable_target(session, access, fields["case_id"], "case")
            if case.dossier_id != dossier.id:
                raise invalid("Der Vorgang gehört nicht zu dieser Akte.")
            parent = case
        if fields.get("parent_document_id"):
            mail = writable_target(session, access, fields["parent_document_id"], "document")
            if mail.dossier_id != dossier.id:
                raise invalid("Der Anhang muss in derselben Akte liegen wie seine E-Mail.")
        return Place(dossier.municipality_id, dossier.id, parent.id)
    if kind == "version":
        document = writable_target(session, access, fields["document_id"], "document")
        return Place(document.municipality_id, document.dossier_id, document.id)
    if kind == "note":
        target = writable_target(session, access, fields["target_id"], fields["target_kind"])
        dossier_id = target.id if target.kind == "dossier" else target.dossier_id
        return Place(target.municipality_id, dossier_id, target.id)
    raise invalid(f"Einträge der Art {kind!r} legt nur der Server an.")
