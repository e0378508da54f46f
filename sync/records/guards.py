"""Rules that protect records: closed (zdA) and deleted records reject edits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sync.errors import RecordClosedError, RecordDeletedError
from sync.records.model import Case, Document, Dossier


def containers_of(session: Session, document: Document) -> tuple[Dossier, Case | None]:
    dossier = session.get_one(Dossier, document.dossier_id)
    case = session.get_one(Case, document.case_id) if document.case_id else None
    return dossier, case


def ensure_open_container(dossier: Dossier, case: Case | None) -> None:
    """A case or dossier that is closed or in the Papierkorb takes no edits or new documents."""
    if dossier.is_deleted:
        raise RecordDeletedError(
            f"Die Akte {dossier.reference} liegt im Papierkorb. Bitte sie zuerst wiederherstellen."
        )
    if dossier.is_closed:
        raise RecordClosedError(
            f"Die Akte {dossier.reference} ist zu den Akten gelegt (zdA) und kann nicht mehr "
            "geändert werden. Die Registratur kann sie bei Bedarf wieder öffnen."
        )
    if case is None:
        return
    if case.is_deleted:
        raise RecordDeletedError(
            f"Der Vorgang „{case.title}“ liegt im Papierkorb. Bitte ihn zuerst wiederherstellen."
        )
    if case.is_closed:
        raise RecordClosedError(
            f"Der Vorgang „{case.title}“ ist zu den Akten gelegt (zdA) und kann nicht mehr "
            "geändert werden. Die Registratur kann ihn bei Bedarf wieder öffnen."
        )


def ensure_editable(session: Session, entity: Dossier | Case | Document) -> None:
    if isinstance(entity, Dossier):
        ensure_open_container(entity, None)
    elif isinstance(entity, Case):
        ensure_open_container(session.get_one(Dossier, entity.dossier_id), entity)
    else:
        if entity.is_deleted:
            raise RecordDeletedError(
                f"Das Dokument „{entity.title}“ liegt im Papierkorb. "
                "Bitte es zuerst wiederherstellen."
            )
        ensure_open_container(*containers_of(session, entity))
