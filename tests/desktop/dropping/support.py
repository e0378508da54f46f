"""Helpers of the drag and drop tests: places in the demo tree, drag data, store checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.dropping import DropController, FilingReport
from sync.records.model import Document
from sync.records.tree import TreeNode, children
from sync.store.database import Store


@dataclass(frozen=True)
class Places:
    case: TreeNode
    other_case: TreeNode
    closed_case: TreeNode
    dossier: TreeNode
    open_cases: tuple[TreeNode, ...]


def find_places(store: Store) -> Places:
    """Walk the demo tree for two open cases, the closed one and an open dossier."""
    found: dict[str, list[TreeNode]] = {"case": [], "closed": [], "dossier": []}
    pending: list[TreeNode | None] = [None]
    while pending:
        for node in children(store, pending.pop()):
            if node.kind == "case":
                found["closed" if node.closed else "case"].append(node)
            elif node.kind in ("unit", "dossier"):
                if node.kind == "dossier" and not node.closed:
                    found["dossier"].append(node)
                pending.append(node)
    cases = found["case"]
    return Places(cases[0], cases[1], found["closed"][0], found["dossier"][0], tuple(cases))


def file_mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def documents_in(store: Store, target: TreeNode) -> list[str]:
    """File names of the top-level documents directly in ``target`` (case or dossier)."""
    column = Document.case_id if target.kind == "case" else Document.dossier_id
    query = select(Document.file_name).where(
        column == target.id, Document.parent_document_id.is_(None), Document.deleted_at.is_(None)
    )
    if target.kind == "dossier":
        query = query.where(Document.case_id.is_(None))
    with store.read() as session:
        return sorted(session.scalars(query))


def drop_and_wait(
    qtbot: QtBot, controller: DropController, mime: QMimeData, target: TreeNode
) -> FilingReport:
    with qtbot.waitSignal(controller.filing_finished, timeout=60_000) as finished:
        assert controller.drop(mime, target)
    report = finished.args[0]
    assert isinstance(report, FilingReport)
    return report


def visible_message_boxes(parent: QWidget) -> list[QMessageBox]:
    return [box for box in parent.findChildren(QMessageBox) if box.isVisible()]
