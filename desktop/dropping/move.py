"""Moving documents inside the app by drag and drop: one write transaction, undoable.

The writes run on a loader of their own with a single thread, so a move, its undo and its
redo reach the store in the order the clerk gave them, however quickly they follow.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand
from sqlalchemy.orm import Session

from desktop.context import Change, StoreEvents
from desktop.loader import Loader
from sync.errors import NotFoundError, ValidationError
from sync.filing.recording import resolve_target
from sync.records import operations as ops
from sync.records.model import Case, Document, Dossier

log = logging.getLogger("eakte.desktop.dropping")


@dataclass(frozen=True)
class Moved:
    """A document that was moved, and where it was before."""

    document_id: str
    dossier_id: str
    case_id: str | None

    @property
    def origin(self) -> str:
        return self.case_id or self.dossier_id


def movable(session: Session, document_ids: Sequence[str], target_id: str) -> list[str]:
    """Which of the documents would move into case or dossier ``target_id``: those not
    there yet. Raises for a document that is gone or is a mail's attachment (it cannot
    leave its mail)."""
    dossier, case = resolve_target(session, target_id)
    place = (dossier.id, case.id if case else None)
    ids: list[str] = []
    for document_id in document_ids:
        document = session.get(Document, document_id)
        if document is None or document.is_deleted:
            raise NotFoundError(
                QCoreApplication.translate(
                    "MoveDocuments",
                    "Ein gezogenes Dokument ist nicht mehr vorhanden. Bitte die Ansicht "
                    "aktualisieren und erneut ziehen.",
                )
            )
        if document.parent_document_id is not None:
            raise ValidationError(
                QCoreApplication.translate(
                    "MoveDocuments",
                    "„{title}“ ist ein Anhang einer E-Mail und wird nur mit ihr "
                    "verschoben. Bitte die E-Mail ziehen.",
                ).format(title=document.title)
            )
        if (document.dossier_id, document.case_id) != place:
            ids.append(document.id)
    return ids


def move_documents(session: Session, document_ids: Sequence[str], target_id: str) -> list[Moved]:
    """Move the documents (with their mail attachments) into case or dossier ``target_id``
    in the caller's transaction; documents already there are left alone."""
    dossier, case = resolve_target(session, target_id)
    target: Dossier | Case = case or dossier
    moved: list[Moved] = []
    for document_id in movable(session, document_ids, target_id):
        document = session.get_one(Document, document_id)
        moved.append(Moved(document.id, document.dossier_id, document.case_id))
        ops.move_document(session, document, target)
    return moved


def move_back(session: Session, moves: Sequence[Moved]) -> None:
    for move in moves:
        document = session.get_one(Document, move.document_id)
        origin: Dossier | Case = (
            session.get_one(Case, move.case_id)
            if move.case_id
            else session.get_one(Dossier, move.dossier_id)
        )
        ops.move_document(session, document, origin)


def change_of(moves: Sequence[Moved], target_id: str) -> Change:
    return Change.of(
        containers=(target_id, *(move.origin for move in moves)),
        records=tuple(move.document_id for move in moves),
    )


class MoveDocumentsCommand(QUndoCommand):
    """Pushed after a move has been done: the first ``redo`` (which ``push`` calls) does
    nothing; ``undo`` moves the documents back, a later ``redo`` moves them again."""

    def __init__(
        self,
        writes: Loader,
        events: StoreEvents,
        moves: Sequence[Moved],
        target_id: str,
        target_label: str,
        on_error: Callable[[Exception], None],
    ) -> None:
        count = len(moves)
        text = (
            QCoreApplication.translate("MoveDocuments", "Dokument nach „{target}“ verschieben")
            if count == 1
            else QCoreApplication.translate(
                "MoveDocuments", "{count} Dokumente nach „{target}“ verschieben"
            )
        )
        super().__init__(text.format(count=count, target=target_label))
        self._writes = writes
        self._events = events
        self._moves = tuple(moves)
        self._target_id = target_id
        self._on_error = on_error
        self._done = True

    def redo(self) -> None:
        if self._done:
            return
        self._done = True
        ids = [move.document_id for move in self._moves]
        self._writes.submit_write(
            lambda session: move_documents(session, ids, self._target_id),
            lambda _moved: self._announce(),
            self._on_error,
        )

    def undo(self) -> None:
        self._done = False
        self._writes.submit_write(
            lambda session: move_back(session, self._moves),
            lambda _none: self._announce(),
            self._on_error,
        )

    def _announce(self) -> None:
        self._events.announce(change_of(self._moves, self._target_id))
