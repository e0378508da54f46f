"""The breadcrumb: segments with the tree's labels, navigation, updates after changes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from desktop.breadcrumb import Breadcrumb
from desktop.context import AppContext, Change
from sync.records import operations as ops
from sync.records.model import Case, Document
from sync.records.paths import path_of
from sync.store.database import Store

TIMEOUT = 10_000


@pytest.fixture
def context(qtbot, demo_copy: Store) -> Iterator[AppContext]:
    made = AppContext(demo_copy, demo_copy.root)
    yield made
    qtbot.waitUntil(lambda: made.loader.pending() == 0, timeout=TIMEOUT)


@pytest.fixture
def crumb(qtbot, context) -> Breadcrumb:
    made = Breadcrumb(context)
    qtbot.addWidget(made)
    made.resize(1200, 40)
    made.show()
    return made


def attachment_in_closed_case(store: Store) -> str:
    """An e-mail attachment (its path runs through its mail), in the closed case if any."""
    with store.read() as s:
        query = select(Document.id).where(Document.parent_document_id.is_not(None))
        closed = s.scalars(select(Case.id).where(Case.closed_at.is_not(None))).all()
        return (
            s.scalars(query.where(Document.case_id.in_(closed))).first() or s.scalars(query).first()
        )


def show(qtbot, crumb: Breadcrumb, record_id: str | None) -> None:
    with qtbot.waitSignal(crumb.loaded, timeout=TIMEOUT):
        crumb.show_record(record_id)


def test_segments_run_from_the_plan_to_the_document(qtbot, crumb, context):
    doc_id = attachment_in_closed_case(context.store)
    show(qtbot, crumb, doc_id)
    with context.store.read() as s:
        path = path_of(s, doc_id)
    kinds = [node.kind for node in path]
    assert kinds[-2:] == ["document", "document"]  # the mail, then its attachment
    assert "dossier" in kinds and kinds[0] == "unit"
    labels = [button.toolTip() for button in crumb.buttons]
    expected = [f"{n.label} (zdA)" if n.closed else n.label for n in path]
    assert labels == ["Aktenplan", *expected]
    dossier = next(n for n in path if n.kind == "dossier")
    assert dossier.label.startswith(dossier.reference + " ")
    assert crumb.buttons[kinds.index("dossier") + 1].accessibleName() == f"Akte: {dossier.label}"


def test_clicking_a_segment_asks_to_navigate_to_it(qtbot, crumb, context):
    doc_id = attachment_in_closed_case(context.store)
    show(qtbot, crumb, doc_id)
    ids = [node.id for node in crumb.path()]
    for position, button in enumerate(crumb.buttons):
        with qtbot.waitSignal(crumb.navigate_requested, timeout=TIMEOUT) as signal:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert signal.args == [ids[:position]]
    # By keyboard: Tab reaches the segments, Space presses one.
    crumb.buttons[1].setFocus()
    with qtbot.waitSignal(crumb.navigate_requested, timeout=TIMEOUT) as signal:
        qtbot.keyClick(crumb.buttons[1], Qt.Key.Key_Space)
    assert signal.args == [ids[:1]]


def test_a_renamed_record_on_the_path_is_shown_renamed(qtbot, crumb, context):
    store = context.store
    with store.read() as s:
        doc = s.scalars(
            select(Document)
            .join(Case, Case.id == Document.case_id)
            .where(Case.closed_at.is_(None), Document.parent_document_id.is_(None))
        ).first()
    show(qtbot, crumb, doc.id)
    with store.write() as s:
        ops.update_fields(s, s.get_one(Case, doc.case_id), {"title": "Widerspruch & Klage"})
    with qtbot.waitSignal(crumb.loaded, timeout=TIMEOUT):
        context.events.announce(Change.of(records=(doc.case_id,)))
    case_button = crumb.buttons[-2]
    assert case_button.toolTip() == "Widerspruch & Klage"
    assert case_button.text() == "Widerspruch && Klage"  # shown as "&", not a mnemonic


def test_no_record_and_an_unknown_record_leave_the_plan_only(qtbot, crumb):
    show(qtbot, crumb, None)
    assert [b.toolTip() for b in crumb.buttons] == ["Aktenplan"]
    show(qtbot, crumb, "no-such-id")
    assert [b.toolTip() for b in crumb.buttons] == ["Aktenplan"]
    assert "nicht (mehr) vorhanden" in crumb.toolTip()


def test_a_deep_path_in_a_narrow_window_shows_its_end(qtbot, crumb, context):
    crumb.resize(250, 40)
    doc_id = attachment_in_closed_case(context.store)
    show(qtbot, crumb, doc_id)
    assert crumb.minimumSizeHint().width() < 250
    qtbot.waitUntil(lambda: not crumb.buttons[-1].visibleRegion().isEmpty(), timeout=TIMEOUT)
    assert crumb.buttons[0].visibleRegion().isEmpty()  # "Aktenplan" scrolled out of view
