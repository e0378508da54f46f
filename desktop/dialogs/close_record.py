"""Abschließen (zdA) and Wieder öffnen of a case or dossier, each after a confirmation that
says what follows.

The local store knows no roles yet (they arrive with sync, issue 5), so reopening, which is
the Registratur's task, is allowed to everyone after a confirmation; the event log records
who did it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from desktop.dialogs.fields import confirm, weak_widget
from desktop.errors import show_error
from sync.records import operations as ops
from sync.records.model import Case, Dossier
from sync.records.tree import TreeNode


def _container(session: Session, node: TreeNode) -> Dossier | Case:
    if node.kind == "dossier":
        return session.get_one(Dossier, node.id)
    return session.get_one(Case, node.id)


def _close(session: Session, node: TreeNode) -> list[str]:
    """Close the record; returns the ids of every record closed (a dossier's open cases)."""
    entity = _container(session, node)
    closed = [entity.id]
    if isinstance(entity, Dossier):
        closed += session.scalars(
            select(Case.id).where(Case.dossier_id == entity.id, Case.closed_at.is_(None))
        )
    ops.close(session, entity)
    return closed


def _reopen(session: Session, node: TreeNode) -> None:
    ops.reopen(session, _container(session, node))


def _show_error(parent: QWidget | None, exc: Exception) -> None:
    show_error(parent, exc)


def _check(node: TreeNode) -> None:
    if node.kind not in ("dossier", "case"):
        raise ValueError(f"only a dossier or a case can be closed, not a {node.kind}")


def close_record(parent: QWidget | None, context: AppContext, node: TreeNode) -> QMessageBox:
    """Ask, then close (zdA) the dossier or case of ``node``. Returns the question box."""
    _check(node)
    if node.kind == "dossier":
        title = QCoreApplication.translate("CloseRecord", "Akte abschließen (zdA)")
        text = QCoreApplication.translate(
            "CloseRecord", "Die Akte „%1“ zu den Akten legen?"
        ).replace("%1", node.label)
        details = QCoreApplication.translate(
            "CloseRecord",
            "Danach können weder die Akte noch ihre Vorgänge und Dokumente geändert werden, "
            "und es können keine Dokumente mehr abgelegt werden. Alle offenen Vorgänge der "
            "Akte werden mit abgeschlossen. Die Aufbewahrungsfrist beginnt.",
        )
    else:
        title = QCoreApplication.translate("CloseRecord", "Vorgang abschließen (zdA)")
        text = QCoreApplication.translate(
            "CloseRecord", "Den Vorgang „%1“ zu den Akten legen?"
        ).replace("%1", node.label)
        details = QCoreApplication.translate(
            "CloseRecord",
            "Danach können weder der Vorgang noch seine Dokumente geändert werden, und es "
            "können keine Dokumente mehr abgelegt werden.",
        )

    owner = weak_widget(parent)

    def run() -> None:
        context.loader.submit_write(
            lambda session: _close(session, node),
            lambda ids: context.events.announce(Change.of(records=tuple(ids))),
            lambda exc: _show_error(owner(), exc),
        )

    return confirm(
        parent,
        title,
        text,
        QCoreApplication.translate("CloseRecord", "&Abschließen"),
        run,
        details=details,
    )


def reopen_record(parent: QWidget | None, context: AppContext, node: TreeNode) -> QMessageBox:
    """Ask, then reopen the closed dossier or case of ``node``. Returns the question box."""
    _check(node)
    if node.kind == "dossier":
        title = QCoreApplication.translate("CloseRecord", "Akte wieder öffnen")
        text = QCoreApplication.translate("CloseRecord", "Die Akte „%1“ wieder öffnen?").replace(
            "%1", node.label
        )
        details = QCoreApplication.translate(
            "CloseRecord",
            "Die Akte kann danach wieder geändert werden; ihre Vorgänge bleiben abgeschlossen, "
            "bis sie einzeln wieder geöffnet werden. Das Wiederöffnen ist Aufgabe der "
            "Registratur und wird im Verlauf der Akte vermerkt.",
        )
    else:
        title = QCoreApplication.translate("CloseRecord", "Vorgang wieder öffnen")
        text = QCoreApplication.translate("CloseRecord", "Den Vorgang „%1“ wieder öffnen?").replace(
            "%1", node.label
        )
        details = QCoreApplication.translate(
            "CloseRecord",
            "Der Vorgang kann danach wieder geändert werden. Das Wiederöffnen ist Aufgabe der "
            "Registratur und wird im Verlauf des Vorgangs vermerkt.",
        )

    owner = weak_widget(parent)

    def run() -> None:
        context.loader.submit_write(
            lambda session: _reopen(session, node),
            lambda _none: context.events.announce(Change.of(records=(node.id,))),
            lambda exc: _show_error(owner(), exc),
        )

    return confirm(
        parent,
        title,
        text,
        QCoreApplication.translate("CloseRecord", "&Wieder öffnen"),
        run,
        details=details,
    )
