"""The file plan tree: the Qt-free ``children`` levels and the lazily loaded Qt model."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon, QPalette
from PySide6.QtWidgets import QApplication
from sqlalchemy import delete as sa_delete
from sqlalchemy import func, select

import desktop.tree_model as tree_model_module
from desktop.context import Change
from desktop.tree_model import NodeRole, PlanTreeModel
from sync.cli.tree import render_tree
from sync.records import operations as ops
from sync.records import queries
from sync.records.model import Blob, Case, Document, Dossier, OutboxEntry, PlanUnit, Version
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
    # Nothing in the demo store was ever synced.
    assert case.data(Qt.ItemDataRole.ToolTipRole) == (
        f"Vorgang in Akte {node.reference}, zu den Akten gelegt, noch nicht synchronisiert"
    )
    dossier = case.parent()
    assert "(zdA)" not in dossier.data() and dossier.data(Qt.ItemDataRole.ForegroundRole) is None


def test_roles_of_a_dossier_and_a_document(qtbot, model: PlanTreeModel, demo_store) -> None:
    case = open_path(qtbot, model, path_to_case(demo_store, closed_case_id(demo_store)))
    dossier = case.parent()
    node = dossier.data(NodeRole)
    tooltip = f"Akte {node.reference}, noch nicht synchronisiert"
    assert dossier.data(Qt.ItemDataRole.ToolTipRole) == tooltip
    assert dossier.data(Qt.ItemDataRole.AccessibleTextRole) == f"{tooltip}: {node.label}"
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
    def broken(_session, _parent, **_options):
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


# -- keeping up with changes, revealing, badges -----------------------------------------------


def open_case(s, _store: Store) -> Case:
    """The open case with the most documents (ids are random per demo store)."""
    busiest = (
        select(Document.case_id)
        .join(Case, Case.id == Document.case_id)
        .where(Case.closed_at.is_(None), Document.parent_document_id.is_(None))
        .group_by(Document.case_id)
        .order_by(func.count().desc(), Document.case_id)
        .limit(1)
    )
    return s.get_one(Case, s.scalar(busiest))


def test_refresh_merges_new_renamed_and_deleted_rows_keeping_expansion(
    qtbot, qtmodeltester, demo_copy: Store
) -> None:
    with demo_copy.read() as s:
        case = open_case(s, demo_copy)
        case_id, dossier_id = case.id, case.dossier_id
    for model in _model(qtbot, demo_copy):
        qtmodeltester.check(model)
        case_index = open_path(qtbot, model, path_to_case(demo_copy, case_id))
        expand(qtbot, model, case_index)
        before = [
            model.index(r, 0, case_index).data(NodeRole).id
            for r in range(model.rowCount(case_index))
        ]
        persistent = QPersistentModelIndex(case_index)
        with demo_copy.write() as s:
            doomed = s.get_one(Document, before[0])
            ops.delete(s, doomed)
            renamed = s.get_one(Case, case_id)
            ops.update_fields(s, renamed, {"title": "AAA umbenannt"})
            new_case = ops.create_case(s, s.get_one(Dossier, dossier_id), "Neuer Vorgang")
            new_case_id = new_case.id
        with qtbot.waitSignal(model.dataChanged, timeout=TIMEOUT):
            model.refresh(Change.of(containers=(dossier_id, case_id), records=(case_id,)))
        qtbot.waitUntil(lambda m=model: not m.loader.pending(), timeout=TIMEOUT)
        # The case row survived (same item, still expanded) with its new title ...
        assert persistent.isValid()
        assert persistent.data(NodeRole).label == "AAA umbenannt"
        after = [
            model.index(r, 0, persistent).data(NodeRole).id
            for r in range(model.rowCount(persistent))
        ]
        assert after == before[1:]
        # ... and the dossier lists the new case, in the order children() gives.
        dossier_index = persistent.parent()
        shown = [
            model.index(r, 0, dossier_index).data(NodeRole).id
            for r in range(model.rowCount(dossier_index))
        ]
        with demo_copy.read() as s:
            expected = [n.id for n in children(s, dossier_index.data(NodeRole))]
        assert shown == expected and new_case_id in shown


def test_reveal_loads_the_path_and_reports_the_row(qtbot, demo_store: Store) -> None:
    with demo_store.read() as s:
        case = open_case(s, demo_store)
        document = queries.documents_in(s, case.dossier_id, case.id)[0]
    path = [*path_to_case(demo_store, case.id), document.id]
    for model in _model(qtbot, demo_store):
        with qtbot.waitSignal(model.revealed, timeout=TIMEOUT) as blocker:
            model.reveal(path)
        index = blocker.args[0]
        assert index.isValid() and index.data(NodeRole).id == document.id
        assert model.index_of_id(document.id) == index


def test_reveal_of_an_unknown_record_stops_at_the_deepest_row(qtbot, demo_store: Store) -> None:
    with demo_store.read() as s:
        case = open_case(s, demo_store)
    path = [*path_to_case(demo_store, case.id), "no-such-document"]
    for model in _model(qtbot, demo_store):
        with qtbot.waitSignal(model.revealed, timeout=TIMEOUT) as blocker:
            model.reveal(path)
        assert blocker.args[0].data(NodeRole).id == case.id


def test_badges_for_unsynced_conflict_and_offline(demo_copy: Store) -> None:
    with demo_copy.write() as s:
        case = open_case(s, demo_copy)
        docs = queries.documents_in(s, case.dossier_id, case.id)
        assert len(docs) >= 3
        s.execute(sa_delete(OutboxEntry))  # as if everything had been synced
        version = s.scalars(select(Version).where(Version.document_id == docs[0].id)).first()
        version.conflict = True
        ops.update_fields(s, docs[1], {"title": "lokal geändert"})
        sha = s.scalars(select(Version.blob_sha256).where(Version.document_id == docs[2].id))
        blob = s.get_one(Blob, sha.first())
        blob.present = False
    with demo_copy.read() as s:
        dossier = s.get_one(Dossier, case.dossier_id)
        dossier_node = TreeNode(
            "dossier", dossier.id, dossier.title, False, False, True, dossier.reference
        )
        case_node = next(n for n in children(s, dossier_node) if n.id == case.id)
        nodes = {n.id: n for n in children(s, case_node)}
    assert nodes[docs[0].id].conflict and not nodes[docs[0].id].unsynced
    assert nodes[docs[1].id].unsynced and not nodes[docs[1].id].conflict
    assert nodes[docs[1].id].offline and not nodes[docs[2].id].offline
    assert not case_node.unsynced


def test_document_badges_arrive_after_the_rows(qtbot, demo_copy: Store) -> None:
    with demo_copy.write() as s:
        case = open_case(s, demo_copy)
        document = queries.documents_in(s, case.dossier_id, case.id)[0]
        version = s.scalars(select(Version).where(Version.document_id == document.id)).first()
        version.conflict = True
    for model in _model(qtbot, demo_copy):
        case_index = open_path(qtbot, model, path_to_case(demo_copy, case.id))
        with qtbot.waitSignal(model.dataChanged, timeout=TIMEOUT):
            model.fetchMore(case_index)
        row = row_of(model, case_index, document.id)
        assert row.data(NodeRole).conflict
        assert "Konflikt" in row.data(Qt.ItemDataRole.ToolTipRole)
