"""Access withdrawn (``gone`` in the changes feed): the dossier and everything in it leave
the cache; unsent changes inside it move to the problem list with their content."""

from __future__ import annotations

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from sync.engine.chunks import chunks
from sync.records.model import (
    Case,
    Document,
    DocumentTag,
    Dossier,
    Note,
    OutboxEntry,
    SyncProblem,
    Version,
)
from sync.search.index import remove_from_index

_DELETE_TEXT = text("DELETE FROM document_texts WHERE document_id = :id")


def drop_gone(session: Session, dossier_ids: list[str]) -> int:
    """Access withdrawn: remove the dossiers and everything in them from the store (they are
    the server's to keep; a local copy would be a leak)."""
    dropped = 0
    for dossier_id in dossier_ids:
        docs = list(session.scalars(select(Document.id).where(Document.dossier_id == dossier_id)))
        for doc_id in docs:
            remove_from_index(session, doc_id)
        cases = list(session.scalars(select(Case.id).where(Case.dossier_id == dossier_id)))
        targets = [dossier_id, *cases, *docs]
        for chunk in chunks(targets):
            session.execute(delete(Note).where(Note.target_id.in_(chunk)))
        for chunk in chunks(docs):
            session.execute(delete(DocumentTag).where(DocumentTag.document_id.in_(chunk)))
            session.execute(delete(Version).where(Version.document_id.in_(chunk)))
            session.execute(_DELETE_TEXT, [{"id": d} for d in chunk])
        # Attachments point at their mail: children first.
        session.execute(
            update(Document)
            .where(Document.dossier_id == dossier_id)
            .values(parent_document_id=None)
        )
        session.execute(delete(Document).where(Document.dossier_id == dossier_id))
        session.execute(delete(Case).where(Case.dossier_id == dossier_id))
        found = session.execute(delete(Dossier).where(Dossier.id == dossier_id))
        dropped += 1 if getattr(found, "rowcount", 0) else 0
        _withdrawn_changes(session, targets)
    return dropped


def _withdrawn_changes(session: Session, ids: list[str]) -> None:
    """Unsent changes inside a withdrawn dossier cannot reach the server any more: they move to
    the problem list with their content, so the clerk can see (and copy) what they were."""
    for chunk in chunks(ids):
        for entry in session.scalars(select(OutboxEntry).where(OutboxEntry.entity_id.in_(chunk))):
            session.add(
                SyncProblem(
                    entity_kind=entry.entity_kind,
                    entity_id=entry.entity_id,
                    op=entry.op,
                    code="access_withdrawn",
                    title="Zugriff entzogen",
                    message=(
                        "Der Zugriff auf diese Akte wurde entzogen, bevor die Änderung "
                        "übertragen war. Der Inhalt der Änderung ist hier aufbewahrt."
                    ),
                    payload=entry.payload,
                )
            )
            session.delete(entry)
