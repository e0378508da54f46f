"""In den Papierkorb: a dossier, case or document, after a confirmation. Nothing is lost: the
Papierkorb (``TrashDialog``) brings it back with everything it contained."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from desktop.context import AppContext, Change
from desktop.dialogs.fields import confirm, weak_widget
from desktop.errors import show_error
from sync.records import operations as ops
from sync.records.model import Case, Document, Dossier
from sync.records.tree import TreeNode

TRASHABLE = ("dossier", "case", "document")


def trashable(session: Session, kind: str, record_id: str) -> Dossier | Case | Document:
    """The dossier, case or document ``record_id`` (``kind`` as in ``TreeNode.kind``)."""
    if kind == "dossier":
        return session.get_one(Dossier, record_id)
    if kind == "case":
        return session.get_one(Case, record_id)
    return session.get_one(Document, record_id)


def container_id(entity: Dossier | Case | Document) -> str:
    """The id of what lists ``entity`` among its children in the tree."""
    if isinstance(entity, Dossier):
        return entity.plan_unit_id
    if isinstance(entity, Case):
        return entity.dossier_id
    return entity.parent_document_id or entity.case_id or entity.dossier_id


def _delete(session: Session, node: TreeNode) -> str:
    entity = trashable(session, node.kind, node.id)
    ops.delete(session, entity)
    return container_id(entity)


def _show_error(parent: QWidget | None, exc: Exception) -> None:
    show_error(parent, exc)


def move_to_trash(parent: QWidget | None, context: AppContext, node: TreeNode) -> QMessageBox:
    """Ask, then move the dossier, case or document of ``node`` to the Papierkorb.
    Returns the question box."""
    if node.kind not in TRASHABLE:
        raise ValueError(f"a {node.kind} cannot be moved to the Papierkorb")
    if node.kind == "dossier":
        text = QCoreApplication.translate("DeleteRecord", "Die Akte „%1“ in den Papierkorb legen?")
        details = QCoreApplication.translate(
            "DeleteRecord",
            "Die Akte verschwindet mit ihren Vorgängen und Dokumenten aus dem Aktenplan. "
            "Über „Papierkorb“ lässt sie sich mit allem Inhalt wiederherstellen.",
        )
    elif node.kind == "case":
        text = QCoreApplication.translate(
            "DeleteRecord", "Den Vorgang „%1“ in den Papierkorb legen?"
        )
        details = QCoreApplication.translate(
            "DeleteRecord",
            "Der Vorgang verschwindet mit seinen Dokumenten aus der Akte. Über „Papierkorb“ "
            "lässt er sich mit allem Inhalt wiederherstellen.",
        )
    else:
        text = QCoreApplication.translate(
            "DeleteRecord", "Das Dokument „%1“ in den Papierkorb legen?"
        )
        details = QCoreApplication.translate(
            "DeleteRecord", "Über „Papierkorb“ lässt es sich wiederherstellen."
        )

    owner = weak_widget(parent)

    def run() -> None:
        context.loader.submit_write(
            lambda session: _delete(session, node),
            lambda container: context.events.announce(
                Change.of(containers=(container,), records=(node.id,))
            ),
            lambda exc: _show_error(owner(), exc),
        )

    return confirm(
        parent,
        QCoreApplication.translate("DeleteRecord", "In den Papierkorb"),
        text.replace("%1", node.label),
        QCoreApplication.translate("DeleteRecord", "In den &Papierkorb"),
        run,
        details=details,
    )
