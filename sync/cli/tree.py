"""Text rendering of the file plan tree for ``eakte ls`` and ``eakte demo``."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from sync.records import queries
from sync.records.model import Case, Document, Dossier, FilePlan, PlanUnit

INDENT = "  "


def render_tree(session: Session, node: queries.Node | None, depth: int) -> Iterator[str]:
    """Lines of the tree below ``node`` (the whole active plan if None), ``depth`` levels deep."""
    if node is None:
        node = queries.active_plan(session)
    yield from _render(session, node, 0, depth)


def _render(session: Session, node: queries.Node, level: int, depth: int) -> Iterator[str]:
    pad = INDENT * level
    if isinstance(node, FilePlan):
        demo = " (DEMO-Aktenplan, keine echten Daten)" if node.is_demo else ""
        yield f"{pad}{node.title}{demo}"
        children: list[queries.Node] = list(queries.child_units(session, node.id, None))
    elif isinstance(node, PlanUnit):
        yield f"{pad}{node.code} {node.title}"
        children = [
            *queries.child_units(session, node.file_plan_id, node.id),
            *queries.dossiers_of(session, node.id),
        ]
    elif isinstance(node, Dossier):
        yield f"{pad}Akte {node.reference} {node.title}{_badges(node)}"
        children = [
            *queries.documents_in(session, node.id, None),
            *queries.cases_of(session, node.id),
        ]
    elif isinstance(node, Case):
        yield f"{pad}Vorgang {node.title}{_badges(node)}"
        children = list(queries.documents_in(session, node.dossier_id, node.id))
    else:
        yield f"{pad}{_document_line(node)}"
        children = list(queries.attachments_of(session, node.id))
    if level >= depth:
        if children:
            yield f"{pad}{INDENT}… ({len(children)} weitere)"
        return
    for child in children:
        yield from _render(session, child, level + 1, depth)


def _badges(node: Dossier | Case) -> str:
    marks = []
    if node.is_closed:
        marks.append("zdA")
    if node.is_deleted:
        marks.append("Papierkorb")
    return f" [{', '.join(marks)}]" if marks else ""


def _document_line(doc: Document) -> str:
    when = doc.received_on.isoformat() if doc.received_on else "----------"
    pages = f", {doc.page_count} S." if doc.page_count else ""
    lacks = f" ({', '.join(doc.problem_codes)})" if doc.problem_codes else ""
    return f"{when} [{doc.doc_type}{pages}] {doc.title}{lacks}"
