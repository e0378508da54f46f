"""Undoable edits of a document's metadata, written in the background one after another.

A command's ``redo`` writes the new values and its ``undo`` the old ones, each as one
transaction through ``sync.records.operations`` (so event log and outbox follow), and each
announces the change when it committed. Writes go through a ``SerialWriter``: the loader
has several threads, and an undo must never overtake the write it undoes.

A write that fails leaves the store as it was (one transaction). The command is then
dropped from the undo stack, since undoing a change that never happened would write stale
values, and ``on_failed`` tells the panel, which shows the message and reloads.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QUndoCommand
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from sync.errors import NotFoundError
from sync.records import operations as ops
from sync.records.model import Document, Dossier, Note, Tag
from sync.records.validation import clean_text

log = logging.getLogger("eakte.desktop.metadata")

Work = Callable[[Session], object]
FailureHandler = Callable[[str, Exception], None]  # (document id, error)


def field_edit_text(field: str) -> str:
    """What the undo stack calls an edit of ``field`` ("Titel ändern")."""
    texts = {
        "title": QCoreApplication.translate("MetadataCommands", "Titel ändern"),
        "received_on": QCoreApplication.translate("MetadataCommands", "Posteingangsdatum ändern"),
        "document_date": QCoreApplication.translate("MetadataCommands", "Dokumentdatum ändern"),
        "sender": QCoreApplication.translate("MetadataCommands", "Absender ändern"),
        "recipient": QCoreApplication.translate("MetadataCommands", "Empfänger ändern"),
    }
    return texts[field]


@dataclass
class _Write:
    work: Work
    on_done: Callable[[object], None]
    on_error: Callable[[Exception], None]


class SerialWriter(QObject):
    """Runs write jobs through the loader strictly one after another."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._queue: deque[_Write] = deque()
        self._running = False

    def pending(self) -> int:
        return len(self._queue) + int(self._running)

    def write(
        self, work: Work, on_done: Callable[[object], None], on_error: Callable[[Exception], None]
    ) -> None:
        self._queue.append(_Write(work, on_done, on_error))
        if not self._running:
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self._running = False
            return
        self._running = True
        job = self._queue.popleft()
        self._context.loader.submit_write(
            job.work,
            lambda result: self._finish(job.on_done, result),
            lambda exc: self._finish(job.on_error, exc),
        )

    def _finish(self, callback: Callable[[Any], None], payload: object) -> None:
        try:
            callback(payload)
        finally:
            self._next()


class RecordCommand(QUndoCommand):
    """One undoable change of a document: ``forward`` and ``backward`` are transactions."""

    def __init__(
        self,
        text: str,
        context: AppContext,
        writer: SerialWriter,
        document_id: str,
        forward: Work,
        backward: Work,
        change: Change,
        on_failed: FailureHandler,
    ) -> None:
        super().__init__(text)
        self._context = context
        self._writer = writer
        self.document_id = document_id
        self._forward = forward
        self._backward = backward
        self._change = change
        self._on_failed = on_failed

    def redo(self) -> None:
        self._write(self._forward)

    def undo(self) -> None:
        self._write(self._backward)

    def _write(self, work: Work) -> None:
        self._writer.write(work, self._done, self._failed)

    def _done(self, _result: object) -> None:
        self._context.events.announce(self._change)

    def _failed(self, exc: Exception) -> None:
        # The code only: messages name records, and titles can be personal data.
        log.info(
            "edit of document %s failed (%s)",
            self.document_id,
            getattr(exc, "code", type(exc).__name__),
        )
        self._drop()
        self._on_failed(self.document_id, exc)

    def _drop(self) -> None:
        """Take this command off the undo stack (if the stack still holds it)."""
        if not shiboken6.isValid(self):
            return  # the stack already deleted it (undone, then replaced by a new edit)
        self.setObsolete(True)
        stack = self._context.undo
        # An obsolete command is deleted as soon as the stack steps over it: do that now if
        # it is next in line, so the clerk's next Undo is not spent on it.
        if stack.index() > 0 and stack.command(stack.index() - 1) is self:
            stack.undo()
        elif stack.command(stack.index()) is self:
            stack.redo()


def _document(session: Session, document_id: str) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError("Das Dokument ist nicht (mehr) vorhanden.")
    return document


def update_work(document_id: str, values: dict[str, Any]) -> Work:
    return lambda session: ops.update_fields(session, _document(session, document_id), values)


def add_tag_work(document_id: str, name: str) -> Work:
    return lambda session: ops.add_tag(session, _document(session, document_id), name)


def remove_tag_work(document_id: str, name: str) -> Work:
    def work(session: Session) -> None:
        document = _document(session, document_id)
        dossier = session.get_one(Dossier, document.dossier_id)
        tag = session.scalar(
            select(Tag).where(
                Tag.municipality_id == dossier.municipality_id,
                # The key add_tag gives a tag: its cleaned, casefolded name.
                Tag.name_key == " ".join(clean_text(name).split()).casefold(),
            )
        )
        if tag is not None:
            ops.remove_tag(session, document, tag)

    return work


def add_note_work(document_id: str, text: str, note_id: str) -> Work:
    """Add the note with id ``note_id``, or bring it back if an undo took it away."""

    def work(session: Session) -> None:
        note = session.get(Note, note_id)
        if note is None:
            ops.add_note(session, _document(session, document_id), text, note_id=note_id)
        else:
            ops.restore_note(session, note)

    return work


def delete_note_work(note_id: str) -> Work:
    def work(session: Session) -> None:
        note = session.get(Note, note_id)
        if note is not None:
            ops.delete_note(session, note)

    return work
