"""Read-side lookups shared by the command line and the desktop tree."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from sync.errors import NotFoundError
from sync.records.model import (
    Case,
    Document,
    Dossier,
    FilePlan,
    Municipality,
    PlanUnit,
    Version,
)

Node = FilePlan | PlanUnit | Dossier | Case | Document


def the_municipality(session: Session) -> Municipality:
    """A client store belongs to exactly one municipality."""
    municipality = session.scalar(select(Municipality).order_by(Municipality.slug).limit(1))
    if municipality is None:
        raise NotFoundError(
            "Der lokale Datenbestand ist leer: es gibt noch keinen Aktenplan. "
            "Bitte synchronisieren oder mit „eakte demo-data“ Demodaten anlegen."
        )
    return municipality


def active_plan(session: Session) -> FilePlan:
    municipality = the_municipality(session)
    plan = session.scalar(
        select(FilePlan)
        .where(FilePlan.municipality_id == municipality.id, FilePlan.deleted_at.is_(None))
        .order_by(FilePlan.created_at.desc())
        .limit(1)
    )
    if plan is None:
        raise NotFoundError("Für diese Kommune ist kein Aktenplan vorhanden.")
    return plan


def find_node(session: Session, key: str) -> Node:
    """A dossier by Aktenzeichen, a plan unit by its code, or any record by its id."""
    key = key.strip()
    dossier = session.scalar(select(Dossier).where(Dossier.reference == key))
    if dossier is not None:
        return dossier
    unit = session.scalar(
        select(PlanUnit).where(PlanUnit.code == key, PlanUnit.deleted_at.is_(None))
    )
    if unit is not None:
        return unit
    found = (
        session.get(Case, key)
        or session.get(Document, key)
        or session.get(Dossier, key)
        or session.get(PlanUnit, key)
        or session.get(FilePlan, key)
    )
    if found is not None:
        return found
    raise NotFoundError(
        f"„{key}“ ist weder ein Aktenzeichen noch ein Aktenplankennzeichen noch eine bekannte ID."
    )


def child_units(session: Session, plan_id: str, parent_id: str | None) -> list[PlanUnit]:
    return list(
        session.scalars(
            select(PlanUnit)
            .where(
                PlanUnit.file_plan_id == plan_id,
                PlanUnit.parent_id.is_(None)
                if parent_id is None
                else PlanUnit.parent_id == parent_id,
                PlanUnit.deleted_at.is_(None),
            )
            .order_by(PlanUnit.code)
        )
    )


def dossiers_of(session: Session, unit_id: str) -> list[Dossier]:
    return list(
        session.scalars(
            select(Dossier)
            .where(Dossier.plan_unit_id == unit_id, Dossier.deleted_at.is_(None))
            .order_by(Dossier.year, Dossier.running_number, Dossier.reference)
        )
    )


def cases_of(session: Session, dossier_id: str) -> list[Case]:
    return list(
        session.scalars(
            select(Case)
            .where(Case.dossier_id == dossier_id, Case.deleted_at.is_(None))
            .order_by(Case.opened_on, Case.title)
        )
    )


def in_place(dossier_id: str, case_id: str | None) -> ColumnElement[bool]:
    """Documents of a case, or those filed directly in the dossier (case_id None)."""
    if case_id:
        return Document.case_id == case_id
    return (Document.dossier_id == dossier_id) & Document.case_id.is_(None)


def documents_in(session: Session, dossier_id: str, case_id: str | None) -> list[Document]:
    """Top-level documents of a case, or those filed directly in the dossier (case_id None)."""
    place = in_place(dossier_id, case_id)
    return list(
        session.scalars(
            select(Document)
            .where(place, Document.parent_document_id.is_(None), Document.deleted_at.is_(None))
            .order_by(Document.received_on, Document.created_at)
        )
    )


def current_version(session: Session, document_id: str) -> tuple[Document, Version]:
    """The document and its current version (what opening it shows)."""
    row = session.execute(
        select(Document, Version)
        .join(Version, Version.document_id == Document.id)
        .where(Document.id == document_id, Version.number == Document.current_version)
    ).first()
    if row is None:
        raise NotFoundError(
            "Das Dokument wurde nicht gefunden. Vielleicht wurde es inzwischen gelöscht; "
            "bitte die Ansicht aktualisieren."
        )
    return row[0], row[1]


def attachments_of(session: Session, document_id: str) -> list[Document]:
    return list(
        session.scalars(
            select(Document)
            .where(Document.parent_document_id == document_id, Document.deleted_at.is_(None))
            .order_by(Document.file_name)
        )
    )


def count_documents(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Document)) or 0)


def trash(session: Session) -> list[Dossier | Case | Document]:
    """The Papierkorb: everything deleted, newest first."""
    items: list[Dossier | Case | Document] = []
    for model in (Dossier, Case, Document):
        items.extend(session.scalars(select(model).where(model.deleted_at.is_not(None))))
    return sorted(items, key=lambda item: item.deleted_at or item.created_at, reverse=True)
