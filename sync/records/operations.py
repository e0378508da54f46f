"""Changes to the records, each one a logical unit for the caller's transaction.

Every function here takes the caller's ``Session`` (from ``Store.write()``), checks the rules
(closed, deleted, valid), applies the change and journals it (event + outbox). Callers never
commit half a change: the transaction around the call is the unit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.errors import RecordClosedError, RecordDeletedError, ValidationError
from sync.records import references
from sync.records.guards import containers_of, ensure_editable, ensure_open_container
from sync.records.journal import kind_of, record_change
from sync.records.model import (
    Case,
    Document,
    DocumentTag,
    Dossier,
    FilePlan,
    Municipality,
    Note,
    PlanUnit,
    Tag,
    utcnow,
)
from sync.records.validation import clean_text, clean_title, validate_field
from sync.search import index_document

Container = Dossier | Case


def create_municipality(
    session: Session, slug: str, name: str, *, reference_pattern: str | None = None
) -> Municipality:
    # Not journaled: municipalities are set up on the server (eakte-server init) and arrive
    # by sync; a client never creates one except for demo data and tests.
    pattern = reference_pattern or references.DEFAULT_PATTERN
    references.validate_pattern(pattern)
    municipality = Municipality(slug=slug, name=name, reference_pattern=pattern)
    session.add(municipality)
    session.flush()
    return municipality


def create_file_plan(
    session: Session, municipality: Municipality, title: str, *, is_demo: bool = False
) -> FilePlan:
    plan = FilePlan(municipality_id=municipality.id, title=clean_title(title), is_demo=is_demo)
    session.add(plan)
    record_change(session, plan, "create")
    return plan


def add_plan_unit(
    session: Session,
    plan: FilePlan,
    code: str,
    title: str,
    *,
    parent: PlanUnit | None = None,
    retention_years: int | None = None,
    disposal: str | None = None,
) -> PlanUnit:
    code = clean_text(code)
    if not code or any(ch.isspace() for ch in code):
        raise ValidationError(f"„{code}“ ist kein gültiges Aktenplankennzeichen.")
    unit = PlanUnit(
        file_plan_id=plan.id,
        parent_id=parent.id if parent else None,
        code=code,
        title=clean_title(title),
        retention_years=validate_field("dossier", "retention_years", retention_years),
        disposal=validate_field("dossier", "disposal", disposal),
    )
    session.add(unit)
    record_change(session, unit, "create")
    return unit


def create_dossier(
    session: Session,
    unit: PlanUnit,
    title: str,
    *,
    actor: str = "",
    year: int | None = None,
    reference: str | None = None,
    opened_on: date | None = None,
    restricted: bool = False,
) -> Dossier:
    """Open a new Akte under ``unit``; the Aktenzeichen is generated unless given."""
    if unit.is_deleted:
        raise RecordDeletedError(f"Die Aktenplaneinheit {unit.code} ist gelöscht.")
    municipality = session.get_one(Municipality, unit.file_plan.municipality_id)
    opened_on = opened_on or date.today()
    year = year or opened_on.year
    number: int | None = None
    if reference is None:
        reference, number = references.next_reference(session, municipality, unit.code, year)
    else:
        reference = clean_text(reference)
        clash = session.scalar(
            select(Dossier.id).where(
                Dossier.municipality_id == municipality.id, Dossier.reference == reference
            )
        )
        if clash is not None:
            raise ValidationError(f"Das Aktenzeichen {reference} ist bereits vergeben.")
    dossier = Dossier(
        municipality_id=municipality.id,
        plan_unit_id=unit.id,
        reference=reference,
        title=clean_title(title),
        running_number=number,
        year=year,
        opened_on=opened_on,
        restricted=restricted,
        # A dossier inherits the retention rules of its plan unit; they can be changed later.
        retention_years=unit.retention_years,
        disposal=unit.disposal,
    )
    session.add(dossier)
    record_change(session, dossier, "create", actor=actor)
    return dossier


def create_case(
    session: Session,
    dossier: Dossier,
    title: str,
    *,
    actor: str = "",
    opened_on: date | None = None,
) -> Case:
    ensure_open_container(dossier, None)
    case = Case(
        dossier_id=dossier.id, title=clean_title(title), opened_on=opened_on or date.today()
    )
    session.add(case)
    record_change(session, case, "create", actor=actor)
    return case


def update_fields(
    session: Session, entity: Dossier | Case | Document, changes: dict[str, Any], *, actor: str = ""
) -> set[str]:
    """Apply validated field changes; returns the names of the fields that really changed."""
    ensure_editable(session, entity)
    kind = kind_of(entity)
    changed: set[str] = set()
    old: dict[str, Any] = {}
    for field, raw in changes.items():
        value = validate_field(kind, field, raw)
        if getattr(entity, field) != value:
            old[field] = _jsonable(getattr(entity, field))
            setattr(entity, field, value)
            changed.add(field)
    if changed:
        record_change(session, entity, "update", actor=actor, fields=changed, details={"old": old})
        _reindex(session, entity)
    return changed


def close(session: Session, entity: Container, *, actor: str = "") -> None:
    """zdA: close a case, or a dossier together with all its open cases."""
    ensure_editable(session, entity)
    now = utcnow()
    if isinstance(entity, Dossier):
        for case in session.scalars(
            select(Case).where(Case.dossier_id == entity.id, Case.closed_at.is_(None))
        ):
            case.closed_at = now
            record_change(session, case, "close", actor=actor, fields={"closed_at"})
    entity.closed_at = now
    record_change(session, entity, "close", actor=actor, fields={"closed_at"})


def reopen(session: Session, entity: Container, *, actor: str = "") -> None:
    if not entity.is_closed:
        return
    if isinstance(entity, Case):
        dossier = session.get_one(Dossier, entity.dossier_id)
        if dossier.is_closed:
            raise RecordClosedError(
                f"Die Akte {dossier.reference} ist zu den Akten gelegt. Bitte zuerst die Akte "
                "wieder öffnen, dann den Vorgang."
            )
    entity.closed_at = None
    record_change(session, entity, "reopen", actor=actor, fields={"closed_at"})


def delete(session: Session, entity: Dossier | Case | Document, *, actor: str = "") -> None:
    """Move to the Papierkorb. Children stay as they are and come back with their parent."""
    if entity.is_deleted:
        return
    ensure_editable(session, entity)
    entity.deleted_at = utcnow()
    record_change(session, entity, "delete", actor=actor, fields={"deleted_at"})


def restore(session: Session, entity: Dossier | Case | Document, *, actor: str = "") -> None:
    if not entity.is_deleted:
        return
    parent_deleted = (
        isinstance(entity, Case) and session.get_one(Dossier, entity.dossier_id).is_deleted
    ) or (isinstance(entity, Document) and _container_deleted(session, entity))
    if parent_deleted:
        raise RecordDeletedError(
            "Das übergeordnete Element liegt ebenfalls im Papierkorb. "
            "Bitte zuerst die Akte bzw. den Vorgang wiederherstellen."
        )
    # Coming back into a closed (zdA) dossier or case would change what was closed.
    if isinstance(entity, Dossier):
        unit = session.get_one(PlanUnit, entity.plan_unit_id)
        if unit.is_deleted:
            raise RecordDeletedError(f"Die Aktenplaneinheit {unit.code} ist gelöscht.")
    elif isinstance(entity, Case):
        ensure_open_container(session.get_one(Dossier, entity.dossier_id), None)
    else:
        ensure_open_container(*containers_of(session, entity))
    entity.deleted_at = None
    record_change(session, entity, "restore", actor=actor, fields={"deleted_at"})


def move_document(
    session: Session, document: Document, target: Container, *, actor: str = ""
) -> None:
    """Move a document (and its mail attachments) to another case or dossier."""
    ensure_editable(session, document)
    new_place: tuple[str, str | None]
    if isinstance(target, Case):
        dossier = session.get_one(Dossier, target.dossier_id)
        ensure_open_container(dossier, target)
        new_place = (dossier.id, target.id)
    else:
        ensure_open_container(target, None)
        new_place = (target.id, None)
    moving = [
        document,
        *session.scalars(select(Document).where(Document.parent_document_id == document.id)),
    ]
    for doc in moving:
        old = {"dossier_id": doc.dossier_id, "case_id": doc.case_id}
        doc.dossier_id, doc.case_id = new_place
        record_change(
            session,
            doc,
            "move",
            actor=actor,
            fields={"dossier_id", "case_id"},
            details={"old": old},
        )
        index_document(session, doc.id)


def add_tag(session: Session, document: Document, name: str, *, actor: str = "") -> Tag:
    ensure_editable(session, document)
    label = " ".join(clean_text(name).split())
    if not label or len(label) > 100:
        raise ValidationError("Ein Schlagwort muss 1 bis 100 Zeichen lang sein.")
    dossier = session.get_one(Dossier, document.dossier_id)
    key = label.casefold()
    tag = session.scalar(
        select(Tag).where(Tag.municipality_id == dossier.municipality_id, Tag.name_key == key)
    )
    if tag is None:
        tag = Tag(municipality_id=dossier.municipality_id, name=label, name_key=key)
        session.add(tag)
        session.flush()
    if session.get(DocumentTag, (document.id, tag.id)) is None:
        session.add(DocumentTag(document_id=document.id, tag_id=tag.id))
        record_change(
            session, document, "tag", actor=actor, fields=set(), details={"tag": tag.name}
        )
        index_document(session, document.id)
    return tag


def remove_tag(session: Session, document: Document, tag: Tag, *, actor: str = "") -> None:
    ensure_editable(session, document)
    link = session.get(DocumentTag, (document.id, tag.id))
    if link is not None:
        session.delete(link)
        record_change(
            session, document, "untag", actor=actor, fields=set(), details={"tag": tag.name}
        )
        index_document(session, document.id)


def add_note(
    session: Session,
    target: Dossier | Case | Document,
    text: str,
    *,
    actor: str = "",
    note_id: str | None = None,
) -> Note:
    """``note_id``: the id to give the note (an undone note that is redone keeps its id)."""
    ensure_editable(session, target)
    body = clean_text(text)
    if not body:
        raise ValidationError("Eine Notiz darf nicht leer sein.")
    note = Note(target_kind=kind_of(target), target_id=target.id, text=body, author=actor)
    if note_id is not None:
        note.id = note_id
    session.add(note)
    record_change(session, note, "create", actor=actor)
    if isinstance(target, Document):
        index_document(session, target.id)
    return note


def delete_note(session: Session, note: Note, *, actor: str = "") -> None:
    """Take a note back (soft, like every delete; ``restore_note`` undoes it)."""
    if note.is_deleted:
        return
    target = _note_target(session, note)
    ensure_editable(session, target)
    note.deleted_at = utcnow()
    record_change(session, note, "delete", actor=actor, fields={"deleted_at"})
    if isinstance(target, Document):
        index_document(session, target.id)


def restore_note(session: Session, note: Note, *, actor: str = "") -> None:
    if not note.is_deleted:
        return
    target = _note_target(session, note)
    ensure_editable(session, target)
    note.deleted_at = None
    record_change(session, note, "restore", actor=actor, fields={"deleted_at"})
    if isinstance(target, Document):
        index_document(session, target.id)


def _note_target(session: Session, note: Note) -> Dossier | Case | Document:
    if note.target_kind == "dossier":
        return session.get_one(Dossier, note.target_id)
    if note.target_kind == "case":
        return session.get_one(Case, note.target_id)
    return session.get_one(Document, note.target_id)


def tags_of(session: Session, document_id: str) -> list[str]:
    return list(
        session.scalars(
            select(Tag.name)
            .join(DocumentTag, DocumentTag.tag_id == Tag.id)
            .where(DocumentTag.document_id == document_id)
            .order_by(Tag.name)
        )
    )


def _container_deleted(session: Session, document: Document) -> bool:
    if session.get_one(Dossier, document.dossier_id).is_deleted:
        return True
    return bool(document.case_id and session.get_one(Case, document.case_id).is_deleted)


def _reindex(session: Session, entity: Dossier | Case | Document) -> None:
    """Titles of cases and dossiers are searchable metadata of their documents."""
    if isinstance(entity, Document):
        index_document(session, entity.id)
        return
    column = Document.case_id if isinstance(entity, Case) else Document.dossier_id
    for doc_id in session.scalars(select(Document.id).where(column == entity.id)):
        index_document(session, doc_id)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


__all__ = [
    "add_note",
    "add_plan_unit",
    "add_tag",
    "close",
    "create_case",
    "create_dossier",
    "create_file_plan",
    "create_municipality",
    "delete",
    "move_document",
    "remove_tag",
    "reopen",
    "restore",
    "tags_of",
    "update_fields",
]
