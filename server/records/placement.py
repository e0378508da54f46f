"""Where a record sits: its owner municipality, governing dossier and parent, and whether that
place accepts changes (visible, writable, not in the Papierkorb, not closed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
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


ROWS = "eakte_batch_rows"
# Fields whose values name other records: fetched together before a batch runs.
REFERENCES = (
    "parent_id",
    "plan_unit_id",
    "dossier_id",
    "case_id",
    "parent_document_id",
    "document_id",
    "target_id",
)


class RowCache:
    """The records one batch touches, read (and locked) in a couple of queries up front
    instead of one query per mutation, and kept as the batch creates more."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[str, RecordRow] = {}
        self.absent: set[str] = set()

    def prefetch(self, ids: set[str]) -> list[RecordRow]:
        wanted = sorted(ids - self.rows.keys() - self.absent)
        found: list[RecordRow] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found += self.session.scalars(
                select(RecordRow).where(RecordRow.id.in_(chunk)).with_for_update()
            )
        for row in found:
            self.rows[row.id] = row
        self.absent |= set(wanted) - self.rows.keys()
        return found

    def get(self, record_id: str) -> RecordRow | None:
        if record_id in self.rows:
            return self.rows[record_id]
        if record_id in self.absent:
            return None
        row = self.session.get(RecordRow, record_id, with_for_update=True)
        if row is None:
            self.absent.add(record_id)
        else:
            self.rows[record_id] = row
        return row

    def add(self, row: RecordRow) -> None:
        self.rows[row.id] = row
        self.absent.discard(row.id)

    @classmethod
    def install(cls, session: Session) -> RowCache:
        cache = cls(session)
        session.info[ROWS] = cache
        return cache


def load(session: Session, record_id: str | None, *, lock: bool = False) -> RecordRow | None:
    if record_id is None:
        return None
    cache: RowCache | None = session.info.get(ROWS)
    if cache is not None:
        return cache.get(record_id)  # rows of a batch are read with FOR UPDATE
    if lock:
        return session.get(RecordRow, record_id, with_for_update=True)
    return session.get(RecordRow, record_id)


def referenced_ids(fields: dict[str, Any]) -> set[str]:
    return {v for k in REFERENCES if isinstance(v := fields.get(k), str)}


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
