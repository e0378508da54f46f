"""The file plan tree: the Qt-free ``children`` levels and the lazily loaded Qt model."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon, QPalette
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

import desktop.tree_model as tree_model_module
from desktop.tree_model import NodeRole, PlanTreeModel
from sync.cli.tree import render_tree
from sync.records import operations as ops
from sync.records import queries
from sync.records.model import Case, Document, Dossier, PlanUnit
from sync.records.tree import TreeNode, children
from sync.store.database import Store

TIMEOUT = 5000

# -- helpers -------------------------------------------------------------------------------


def walk(session, parent: TreeNode | None = None) -> Iterator[TreeNode]:
    for node in children(session, parent):
        yield node
        yield from walk(session, node)


def unit_path(session, unit_id: str) -> list[str]:
    """Ids of the plan units from the top down to ``unit_id``."""
    path: list[str] = []
    current: str | None = unit_id
    while current is not None:
        path.append(current)
        current = session.get_one(PlanUnit, current).parent_id
    return path[::-1]


def path_to_case(store: Store, case_id: str) -> list[str]:
    with store.read() as s:
        case = s.get_one(Case, case_id)
        dossier = s.get_one(Dossier, case.dossier_id)
        return [*unit_path(s, dossier.plan_unit_id), dossier.id, case.id]


def closed_case_id(store: Store) -> str:
    with store.read() as s:
        return s.scalars(select(Case.id).where(Case.closed_at.is_not(None))).one()


def row_of(model: PlanTreeModel, parent: QModelIndex, node_id: str) -> QModelIndex:
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data(NodeRole).id == node_id:
            return index
    raise AssertionError(f"{node_id} not among the rows")


def expand(qtbot, model: PlanTreeModel, parent: QModelIndex) -> None:
    """Load ``parent``'s children (a no-op if that already happened or is under way)."""
    model.fetchMore(parent)
    qtbot.waitUntil(lambda: model.rowCount(parent) > 0, timeout=TIMEOUT)


def open_path(qtbot, model: PlanTreeModel, ids: list[str]) -> QModelIndex:
    index = QModelIndex()
    for node_id in ids:
        expand(qtbot, model, index)
        index = row_of(model, index, node_id)
    return index


@pytest.fixture
def model(qtbot, demo_store: Store) -> Iterator[PlanTreeModel]:
    yield from _model(qtbot, demo_store)


def _model(qtbot, store: Store) -> Iterator[PlanTreeModel]:
    made = PlanTreeModel(store)
    yield made
    # Deliver whatever is still running before the store goes away.
    qtbot.waitUntil(lambda: made.loader.pending() == 0, timeout=TIMEOUT)


# -- children(): Qt-free -------------------------------------------------------------------


def test_top_level_is_the_active_plans_top_units(demo_store: Store) -> None:
    with demo_store.read() as s:
        plan = queries.active_plan(s)
        expected = [f"{u.code} {u.title}" for u in queries.child_units(s, plan.id, None)]
    # A Store works as well as a Session: it opens its own read.
    nodes = children(demo_store, None)
    assert [n.label for n in nodes] == expected
    assert {n.kind for n in nodes} == {"unit"}
    assert all(n.reference and n.label.startswith(n.reference + " ") for n in nodes)


def test_a_dossier_shows_what_the_cli_tree_shows(demo_store: Store) -> None:
    with demo_store.read() as s:
        dossiers = [n for n in walk(s) if n.kind == "dossier"]
        richest = max(dossiers, key=lambda n: len(children(s, n)))
        nodes = children(s, richest)
        header, *lines = render_tree(s, s.get_one(Dossier, richest.id), depth=1)
    lines = [ln.strip() for ln in lines if ln.startswith("  ") and not ln.startswith("    ")]
    lines = [ln for ln in lines if not ln.startswith("…")]
    assert header.removesuffix(" [zdA]") == f"Akte {richest.label}"
    assert len(nodes) == len(lines) > 1
    assert {n.kind for n in nodes} >= {"case"}
    for node, line in zip(nodes, lines, strict=True):
        if node.kind == "case":
            assert line.removeprefix("Vorgang ").removesuffix(" [zdA]") == node.label
            assert node.closed == line.endswith("[zdA]")
        else:
            assert line.split("] ", 1)[1].startswith(node.label)
        assert node.reference == richest.reference


def test_has_children_matches_the_children_everywhere(demo_store: Store) -> None:
    with demo_store.read() as s:
        nodes = list(walk(s))
        for node in nodes:
            assert node.has_children == bool(children(s, node)), node
        documents = s.scalar(
            select(func.count()).select_from(Document).where(Document.deleted_at.is_(None))
        )
    kinds = [n.kind for n in nodes]
    assert kinds.count("document") == documents
    assert kinds.count("dossier") == 6
    assert any(n.kind == "document" and n.has_children for n in nodes), "mails with attachments"


def test_deleted_records_are_left_out(demo_copy: Store) -> None:
    with demo_copy.read() as s:
        case = s.scalars(
            select(Case).where(Case.closed_at.is_(None)).order_by(Case.id).limit(1)
        ).one()
        doomed_case, dossier_id = case.id, case.dossier_id
        doomed_docs = [d.id for d in queries.documents_in(s, dossier_id, None)]
    with demo_copy.write() as s:
        ops.delete(s, s.get_one(Case, doomed_case))
        for doc_id in doomed_docs:
            ops.delete(s, s.get_one(Document, doc_id))
    with demo_copy.read() as s:
        ids = {n.id for n in walk(s)}
    assert doomed_case not in ids
    assert not ids & set(doomed_docs)
    assert dossier_id in ids


# -- the Qt model --------------------------------------------------------------------------


def test_passes_the_model_tester_while_expanding(qtbot, qtmodeltester, demo_store: Store):
    model = PlanTreeModel(demo_store)
    expand(qtbot, model, QModelIndex())
    # The tester stays attached: every later insertion is checked too (it also fetches
    # whatever it sees, so the whole tree ends up loaded under its eyes).
    qtmodeltester.check(model)
    case = open_path(qtbot, model, path_to_case(demo_store, closed_case_id(demo_store)))
    expand(qtbot, model, case)
    qtbot.waitUntil(lambda: model.loader.pending() == 0, timeout=TIMEOUT)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount(case) > 0


def test_loads_lazily(qtbot, model: PlanTreeModel) -> None:
    assert model.rowCount() == 0 and model.hasChildren() and model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.loaded, timeout=TIMEOUT) as blocker:
        model.fetchMore(QModelIndex())
    assert blocker.args == [QModelIndex()]
    unit = next(
        model.index(r, 0)
        for r in range(model.rowCount())
        if model.index(r, 0).data(NodeRole).has_children
    )
    assert model.rowCount(unit) == 0
    assert model.hasChildren(unit)
    assert model.canFetchMore(unit)
    expand(qtbot, model, unit)
    assert not model.canFetchMore(unit)


def test_fetch_more_twice_starts_one_load(qtbot, model: PlanTreeModel) -> None:
    root = QModelIndex()
    with qtbot.waitSignal(model.loaded, timeout=TIMEOUT):
        model.fetchMore(root)
        model.fetchMore(root)
        assert not model.canFetchMore(root)
    model.fetchMore(root)  # loaded: nothing more to fetch
    assert model.loader.submitted == 1
    rows = model.rowCount()
    qtbot.wait(50)
    assert model.rowCount() == rows


def test_closed_case_is_marked_zda_and_greyed(qtbot, model: PlanTreeModel, demo_store) -> None:
    case = open_path(qtbot, model, path_to_case(demo_store, closed_case_id(demo_store)))
    node = case.data(NodeRole)
    assert node.kind == "case" and node.closed
    assert case.data() == f"{node.label} (zdA)"
    grey = QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    brush = case.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color() == grey
    assert case.data(Qt.ItemDataRole.ToolTipRole) == (
        f"Vorgang in Akte {node.reference}, zu den Akten gelegt"
    )
    dossier = case.parent()
    assert "(zdA)" not in dossier.data() and dossier.data(Qt.ItemDataRole.ForegroundRole) is None


def test_roles_of_a_dossier_and_a_document(qtbot, model: PlanTreeModel, demo_store) -> None:
    case = open_path(qtbot, model, path_to_case(demo_store, closed_case_id(demo_store)))
    dossier = case.parent()
    node = dossier.data(NodeRole)
    assert dossier.data(Qt.ItemDataRole.ToolTipRole) == f"Akte {node.reference}"
    assert dossier.data(Qt.ItemDataRole.AccessibleTextRole) == (
        f"Akte {node.reference}: {node.label}"
    )
    assert node.label.startswith(f"{node.reference} ")
    expand(qtbot, model, case)
    document = model.index(0, 0, case)
    assert document.data(NodeRole).kind == "document"
    folder, file = (
        dossier.data(Qt.ItemDataRole.DecorationRole),
        document.data(Qt.ItemDataRole.DecorationRole),
    )
    assert isinstance(folder, QIcon) and not folder.isNull()
    assert isinstance(file, QIcon) and not file.isNull()
    assert folder.cacheKey() != file.cacheKey()
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Aktenplan"


def test_deleted_dossier_is_not_shown(qtbot, demo_copy: Store) -> None:
    with demo_copy.write() as s:
        dossier = s.scalars(
            select(Dossier).where(Dossier.closed_at.is_(None)).order_by(Dossier.id).limit(1)
        ).one()
        ops.delete(s, dossier)
        doomed, path = dossier.id, unit_path(s, dossier.plan_unit_id)
    for model in _model(qtbot, demo_copy):
        unit = open_path(qtbot, model, path)
        model.fetchMore(unit)
        qtbot.waitUntil(lambda m=model: not m.loader.pending(), timeout=TIMEOUT)
        rows = range(model.rowCount(unit))
        shown = {model.index(r, 0, unit).data(NodeRole).id for r in rows}
        assert doomed not in shown


def test_a_failed_load_is_logged_and_leaves_the_node_empty(
    qtbot, model: PlanTreeModel, monkeypatch, caplog
) -> None:
    def broken(_session, _parent):
        raise OSError("disk gone")

    monkeypatch.setattr(tree_model_module, "children", broken)
    with (
        caplog.at_level(logging.ERROR, logger="eakte.desktop"),
        qtbot.waitSignal(model.load_failed, timeout=TIMEOUT) as blocker,
    ):
        model.fetchMore(QModelIndex())
    assert blocker.args[1] == "Der Inhalt konnte nicht geladen werden."
    assert "disk gone" in caplog.text
    assert model.rowCount() == 0
    assert not model.hasChildren() and not model.canFetchMore(QModelIndex())
