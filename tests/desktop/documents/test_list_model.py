"""The document list model: loading, roles, German sorting, reloads on announced changes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.context import Change
from desktop.documents.badges import Badge
from desktop.documents.list_model import (
    BadgesRole,
    Column,
    DocumentIdRole,
    DocumentListModel,
)
from sync.records import operations as ops
from sync.records.listing import list_documents
from sync.records.model import Document
from tests.desktop.documents.helpers import (
    TIMEOUT,
    closed_case,
    column_texts,
    editable_dossier,
    load,
    node_of,
    richest_dossier,
)


def test_passes_the_model_tester_through_loads_sorts_and_resets(qtbot, qtmodeltester, context):
    model = DocumentListModel(context)
    # The tester stays attached and checks every later reset and layout change too.
    qtmodeltester.check(model)
    dossier = richest_dossier(context.store)
    load(qtbot, model, dossier)
    assert model.rowCount() > 0
    for column in Column:
        model.sort(column, Qt.SortOrder.AscendingOrder)
        model.sort(column, Qt.SortOrder.DescendingOrder)
    load(qtbot, model, closed_case(context.store))
    qtmodeltester.check(model, force_py=True)
    load(qtbot, model, None)
    assert model.rowCount() == 0


def test_a_dossier_lists_its_documents_with_their_cases(qtbot, context):
    model = DocumentListModel(context)
    dossier = richest_dossier(context.store)
    load(qtbot, model, dossier)
    with context.store.read() as s:
        rows = {r.id: r for r in list_documents(s, "dossier", dossier.id).rows}
    assert model.rowCount() == len(rows) >= 5
    for row in range(model.rowCount()):
        document = rows[model.index(row, 0).data(DocumentIdRole)]
        assert model.index(row, Column.TITLE).data() == document.title
        assert model.index(row, Column.CASE).data() == (document.case_title or "")
        expected = document.received_on.strftime("%d.%m.%Y") if document.received_on else ""
        assert model.index(row, Column.RECEIVED).data() == expected
    assert model.headerData(Column.CASE, Qt.Orientation.Horizontal) == "Vorgang"
    assert (
        model.headerData(Column.RECEIVED, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        == "Posteingangsdatum"
    )


def test_badges_and_problem_labels(qtbot, context):
    model = DocumentListModel(context)
    with context.store.read() as s:
        doc = s.query(Document).filter(Document.problems.contains("no_preview")).first()
        container = doc.case_id or doc.dossier_id
    load(qtbot, model, node_of(context.store, container))
    row = model.row_of(doc.id)
    status = model.index(row, Column.STATUS)
    # The demo store never synced: everything waits in the outbox, the bytes are local.
    assert status.data(BadgesRole) == (Badge.UNSYNCED, Badge.OFFLINE, Badge.PROBLEM)
    assert "keine Vorschau" in status.data(Qt.ItemDataRole.ToolTipRole)
    assert "Offline verfügbar" in status.data(Qt.ItemDataRole.AccessibleTextRole)
    assert not model.index(row, Column.TITLE).data(Qt.ItemDataRole.DecorationRole).isNull()


def _prepare_sort_fixture(store, dossier_id: str) -> dict[str, tuple[str, date, str | None]]:
    """Titles with umlauts, dates whose text order differs from their calendar order and
    one document without sender."""
    values = [
        ("Zebra", date(2025, 2, 1), "Müller"),
        ("Äpfel", date(2024, 1, 15), "Mayer"),
        ("Apfel", date(2023, 12, 3), None),
        ("Öl", date(2025, 1, 31), "Özdemir"),
        ("Ofen", date(2024, 3, 2), "Otto"),
        ("Über", date(2023, 11, 30), "Zander"),
    ]
    with store.read() as s:
        ids = [r.id for r in list_documents(s, "dossier", dossier_id).rows]
    chosen = dict(zip(ids, values, strict=False))
    with store.write() as s:
        for doc_id, (title, received, sender) in chosen.items():
            ops.update_fields(
                s,
                s.get_one(Document, doc_id),
                {"title": title, "received_on": received, "sender": sender},
            )
    return chosen


def test_sorts_dates_as_dates_and_text_in_german_order(qtbot, copy_context):
    store = copy_context.store
    dossier = editable_dossier(store)
    chosen = _prepare_sort_fixture(store, dossier.id)
    model = DocumentListModel(copy_context)
    load(qtbot, model, dossier)
    mine = {title for title, _, _ in chosen.values()}

    model.sort(Column.TITLE, Qt.SortOrder.AscendingOrder)
    titles = [t for t in column_texts(model, Column.TITLE) if t in mine]
    expected = ["Apfel", "Äpfel", "Ofen", "Öl", "Über", "Zebra"][: len(mine)]
    assert titles == [t for t in expected if t in mine]
    assert titles != sorted(titles)  # plain code point order would put Ä after Z

    model.sort(Column.RECEIVED, Qt.SortOrder.AscendingOrder)
    shown = [
        model.index(row, Column.RECEIVED).data(DocumentIdRole) for row in range(model.rowCount())
    ]
    dates = [chosen[i][1] for i in shown if i in chosen]
    assert dates == sorted(dates)
    texts = [d.strftime("%d.%m.%Y") for d in dates]
    assert texts != sorted(texts)  # the order is by calendar, not by the displayed text
    model.sort(Column.RECEIVED, Qt.SortOrder.DescendingOrder)
    shown = [model.index(row, 0).data(DocumentIdRole) for row in range(model.rowCount())]
    assert [chosen[i][1] for i in shown if i in chosen] == sorted(dates, reverse=True)

    # Without a sender: last, whichever the direction.
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        model.sort(Column.SENDER, order)
        senders = column_texts(model, Column.SENDER)
        filled = [s for s in senders if s]
        assert senders == filled + [""] * (len(senders) - len(filled))
        named = [s for s in filled if s in {v[2] for v in chosen.values()}]
        german = ["Mayer", "Müller", "Otto", "Özdemir", "Zander"]
        german = [s for s in german if s in named]
        assert named == (german if order == Qt.SortOrder.AscendingOrder else german[::-1])


def test_reloads_only_for_changes_of_what_it_shows(qtbot, copy_context):
    store = copy_context.store
    dossier = editable_dossier(store)
    model = DocumentListModel(copy_context)
    load(qtbot, model, dossier)
    doc_id = model.index(0, 0).data(DocumentIdRole)
    submitted = copy_context.loader.submitted
    copy_context.events.announce(Change.of(containers=("elsewhere",), records=("other",)))
    QApplication.processEvents()  # the coalescing timer has no interval: it would fire now
    assert copy_context.loader.submitted == submitted

    with store.write() as s:
        ops.update_fields(s, s.get_one(Document, doc_id), {"title": "Neu benannt"})
    with qtbot.waitSignal(model.loaded, timeout=TIMEOUT):
        # Two announcements in one go cost one reload.
        copy_context.events.announce(Change.of(records=(doc_id,)))
        copy_context.events.announce(Change.of(records=(doc_id,)))
    assert copy_context.loader.submitted == submitted + 1
    assert model.index(model.row_of(doc_id), Column.TITLE).data() == "Neu benannt"


def test_a_change_in_one_of_the_dossiers_cases_reloads_the_dossier(qtbot, copy_context):
    store = copy_context.store
    dossier = editable_dossier(store)
    model = DocumentListModel(copy_context)
    load(qtbot, model, dossier)
    listing = model.listing
    assert listing is not None and listing.case_ids
    case_id = sorted(listing.case_ids)[0]
    with qtbot.waitSignal(model.loaded, timeout=TIMEOUT):
        copy_context.events.announce(Change.of(containers=(case_id,)))


def test_a_stale_load_is_dropped(qtbot, context):
    model = DocumentListModel(context)
    dossier = richest_dossier(context.store)
    case = closed_case(context.store)
    model.show_container(dossier)
    load(qtbot, model, case)  # asked for later, so it wins whichever finishes first
    qtbot.waitUntil(lambda: context.loader.pending() == 0, timeout=TIMEOUT)
    with context.store.read() as s:
        expected = {r.id for r in list_documents(s, "case", case.id).rows}
    shown = {model.index(r, 0).data(DocumentIdRole) for r in range(model.rowCount())}
    assert shown == expected
    assert model.container == case
