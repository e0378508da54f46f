"""Text rendering of the file plan tree for ``eakte ls`` and ``eakte demo``."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.filing.extracted import problem_label
from sync.records import queries
from sync.records.model import Case, Document, Dossier, FilePlan, PlanUnit

INDENT = "  "


def render_tree(
    session: Session, node: queries.Node | None, depth: int, *, only_filled: bool = False
) -> Iterator[str]:
    """Lines of the tree below ``node`` (the whole active plan if None), ``depth`` levels
    deep; ``only_filled`` leaves out plan units without any dossier below them."""
    if node is None:
        node = queries.active_plan(session)
    keep = _filled_units(session) if only_filled else None
    yield from _render(session, node, 0, depth, keep)


def _filled_units(session: Session) -> set[str]:
    parents = {uid: pid for uid, pid in session.execute(select(PlanUnit.id, PlanUnit.parent_id))}
    filled: set[str] = set()
    for unit_id in session.scalars(
        select(Dossier.plan_unit_id).where(Dossier.deleted_at.is_(None))
    ):
        current: str | None = unit_id
        while current is not None and current not in filled:
            filled.add(current)
            current = parents.get(current)
    return filled


def _render(
    session: Session, node: queries.Node, level: int, depth: int, keep: set[str] | None
) -> Iterator[str]:
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
    if keep is not None:
        children = [c for c in children if not isinstance(c, PlanUnit) or c.id in keep]
    if level >= depth:
        if children:
            yield f"{pad}{INDENT}… ({len(children)} weitere)"
        return
    for child in children:
        yield from _render(session, child, level + 1, depth, keep)


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
    labels = [problem_label(code) for code in doc.problem_codes]
    lacks = f" ({', '.join(labels)})" if labels else ""
    return f"{when} [{doc.doc_type}{pages}] {doc.title}{lacks}"
