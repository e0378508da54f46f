"""The metadata panel: edits stored through the records API, undo, refusals, read-only."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from desktop.metadata.panel import MetadataPanel
from sync.records import operations as ops
from sync.records.listing import document_details
from sync.records.model import Case, Document, Dossier, Note, OutboxEntry
from sync.store.database import Store

TIMEOUT = 10_000


def editable_document(store: Store) -> str:
    with store.read() as s:
        # By title: the ids differ from one generated demo store to the next, titles do not.
        for doc_id in s.scalars(select(Document.id).order_by(Document.title, Document.id)):
            if document_details(s, doc_id).read_only_reason is None:
                return doc_id
    raise AssertionError("the demo store has no editable document")


def closed_document(store: Store) -> str:
    with store.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.closed_at.is_not(None))).one()
        return s.scalars(select(Document.id).where(Document.case_id == case_id)).first()


def stored(store: Store, doc_id: str) -> Document:
    with store.read() as s:
        return s.get_one(Document, doc_id)


def outbox(store: Store, doc_id: str) -> list[OutboxEntry]:
    with store.read() as s:
        return list(
            s.scalars(
                select(OutboxEntry).where(OutboxEntry.entity_id == doc_id).order_by(OutboxEntry.id)
            )
        )


def settle(qtbot, panel: MetadataPanel, context) -> None:
    """Wait until every write and the reloads they cause are through."""
    loader = context.loader
    qtbot.waitUntil(lambda: panel.writer.pending() == 0 and loader.pending() == 0, timeout=TIMEOUT)


@pytest.fixture
def panel(qtbot, context) -> MetadataPanel:
    return _panel(qtbot, context)


@pytest.fixture
def copy_panel(qtbot, copy_context) -> MetadataPanel:
    return _panel(qtbot, copy_context)


def _panel(qtbot, context) -> MetadataPanel:
    made = MetadataPanel(context)
    qtbot.addWidget(made)
    made.resize(500, 900)
    made.show()
    return made


def show(qtbot, panel: MetadataPanel, doc_id: str) -> None:
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT):
        panel.show_document(doc_id)


def type_into(qtbot, panel: MetadataPanel, field: str, text: str) -> None:
    """Type like a clerk and press Enter (QTest types ASCII only)."""
    edit = panel.editors[field].edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_title_edit_is_stored_undone_and_redone(qtbot, copy_panel, copy_context):
    store = copy_context.store
    doc_id = editable_document(store)
    show(qtbot, copy_panel, doc_id)
    old = stored(store, doc_id).title
    assert copy_panel.editors["title"].edit.text() == old
    queued_before = len(outbox(store, doc_id))

    type_into(qtbot, copy_panel, "title", "  Stellungnahme   Bauamt ")
    settle(qtbot, copy_panel, copy_context)
    assert stored(store, doc_id).title == "Stellungnahme Bauamt"
    assert copy_panel.editors["title"].edit.text() == "Stellungnahme Bauamt"
    assert copy_context.undo.count() == 1
    assert copy_context.undo.undoText() == "Titel ändern"

    copy_context.undo.undo()
    settle(qtbot, copy_panel, copy_context)
    assert stored(store, doc_id).title == old
    assert copy_panel.editors["title"].edit.text() == old
    rows = outbox(store, doc_id)[queued_before:]
    assert [(r.op, r.payload["title"]) for r in rows] == [
        ("update", "Stellungnahme Bauamt"),
        ("update", old),
    ]
    assert rows[1].payload["details"]["old"]["title"] == "Stellungnahme Bauamt"

    copy_context.undo.redo()
    settle(qtbot, copy_panel, copy_context)
    assert stored(store, doc_id).title == "Stellungnahme Bauamt"


def test_dates_are_typed_the_german_way(qtbot, copy_panel, copy_context):
    store = copy_context.store
    doc_id = editable_document(store)
    show(qtbot, copy_panel, doc_id)
    type_into(qtbot, copy_panel, "received_on", "3.2.2025")
    settle(qtbot, copy_panel, copy_context)
    assert stored(store, doc_id).received_on == date(2025, 2, 3)
    assert copy_panel.editors["received_on"].edit.text() == "03.02.2025"
    assert copy_context.undo.undoText() == "Posteingangsdatum ändern"
    type_into(qtbot, copy_panel, "document_date", "")
    settle(qtbot, copy_panel, copy_context)
    assert stored(store, doc_id).document_date is None


def test_a_refused_input_shows_the_message_and_stores_nothing(qtbot, copy_panel, copy_context):
    store = copy_context.store
    doc_id = editable_document(store)
    show(qtbot, copy_panel, doc_id)
    before = stored(store, doc_id)
    queued = len(outbox(store, doc_id))
    writes = copy_context.loader.submitted

    type_into(qtbot, copy_panel, "received_on", "31.02.2026")
    error = copy_panel.editors["received_on"].error
    assert error.text() == "„Posteingangsdatum“ muss ein Datum wie 31.12.2026 sein."
    assert error.isVisible()
    type_into(qtbot, copy_panel, "title", "   ")
    assert copy_panel.editors["title"].error.text() == "Der Titel darf nicht leer sein."
    type_into(qtbot, copy_panel, "document_date", "01.01.1700")
    assert "außerhalb des möglichen Zeitraums" in copy_panel.editors["document_date"].error.text()

    settle(qtbot, copy_panel, copy_context)
    assert copy_context.loader.submitted == writes  # nothing was even tried
    after = stored(store, doc_id)
    assert (after.title, after.received_on, after.document_date) == (
        before.title,
        before.received_on,
        before.document_date,
    )
    assert len(outbox(store, doc_id)) == queued
    assert copy_context.undo.count() == 0

    # Corrected, the message goes and the value is stored.
    type_into(qtbot, copy_panel, "received_on", "28.02.2026")
    assert not copy_panel.editors["received_on"].error.isVisible()
    settle(qtbot, copy_panel, copy_context)
    assert stored(store, doc_id).received_on == date(2026, 2, 28)


def test_a_document_of_a_closed_case_is_read_only_with_the_reason(qtbot, panel, context):
    doc_id = closed_document(context.store)
    show(qtbot, panel, doc_id)
    notice = panel.read_only_notice
    assert notice.isVisible()
    assert notice.text().startswith("Nur lesbar: Der Vorgang")
    assert "zu den Akten gelegt (zdA)" in notice.text()
    assert all(editor.edit.isReadOnly() for editor in panel.editors.values())
    assert not panel.tags.input.isEnabled() and not panel.tags.add_button.isEnabled()
    assert not panel.notes.add_button.isEnabled()
    submitted = context.loader.submitted
    type_into(qtbot, panel, "title", "Neu")
    assert panel.editors["title"].edit.text() == stored(context.store, doc_id).title
    assert context.loader.submitted == submitted
    assert context.undo.count() == 0


def test_a_failed_write_says_why_and_shows_what_is_stored(qtbot, copy_panel, copy_context):
    store = copy_context.store
    doc_id = editable_document(store)
    show(qtbot, copy_panel, doc_id)
    old = stored(store, doc_id).title
    # Meanwhile (another window, a sync) its case is closed; nobody told this panel.
    with store.write() as s:
        doc = s.get_one(Document, doc_id)
        container = (
            s.get_one(Case, doc.case_id) if doc.case_id else s.get_one(Dossier, doc.dossier_id)
        )
        ops.close(s, container)

    type_into(qtbot, copy_panel, "title", "Zu spaet")
    settle(qtbot, copy_panel, copy_context)
    assert "zu den Akten gelegt" in copy_panel.message.text()
    assert copy_panel.message.isVisible()
    assert stored(store, doc_id).title == old
    assert copy_panel.editors["title"].edit.text() == old
    assert copy_panel.editors["title"].edit.isReadOnly()  # reloaded: it is closed now
    assert copy_context.undo.count() == 0  # nothing to undo: nothing happened


def tags_of(store: Store, doc_id: str) -> list[str]:
    with store.read() as s:
        return ops.tags_of(s, doc_id)


def test_tags_are_added_removed_and_undone(qtbot, copy_panel, copy_context):
    store = copy_context.store
    doc_id = editable_document(store)
    show(qtbot, copy_panel, doc_id)
    before = tags_of(store, doc_id)
    copy_panel.tags.input.setFocus()
    qtbot.keyClicks(copy_panel.tags.input, "Eilt sehr")
    qtbot.keyClick(copy_panel.tags.input, Qt.Key.Key_Return)
    settle(qtbot, copy_panel, copy_context)
    assert "Eilt sehr" in tags_of(store, doc_id)
    assert "Eilt sehr" in copy_panel.tags.tags()
    assert copy_context.undo.undoText() == "Schlagwort „Eilt sehr“ hinzufügen"

    copy_panel.tags.list.setCurrentRow(copy_panel.tags.tags().index("Eilt sehr"))
    qtbot.mouseClick(copy_panel.tags.remove_button, Qt.MouseButton.LeftButton)
    settle(qtbot, copy_panel, copy_context)
    assert tags_of(store, doc_id) == before
    assert copy_context.undo.undoText() == "Schlagwort „Eilt sehr“ entfernen"

    copy_context.undo.undo()  # the removal
    settle(qtbot, copy_panel, copy_context)
    assert "Eilt sehr" in tags_of(store, doc_id)
    copy_context.undo.undo()  # the adding
    settle(qtbot, copy_panel, copy_context)
    assert tags_of(store, doc_id) == before
    assert copy_panel.tags.tags() == before


def test_a_note_is_added(qtbot, copy_panel, copy_context):
    store = copy_context.store
    doc_id = editable_document(store)
    show(qtbot, copy_panel, doc_id)
    copy_panel.notes.input.setPlainText("Rückruf von Frau Jäger erbeten")
    qtbot.mouseClick(copy_panel.notes.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot, copy_panel, copy_context)
    with store.read() as s:
        texts = list(s.scalars(select(Note.text).where(Note.target_id == doc_id)))
    assert "Rückruf von Frau Jäger erbeten" in texts
    shown = [copy_panel.notes.list.item(i).text() for i in range(copy_panel.notes.list.count())]
    assert any(t.startswith("Rückruf von Frau Jäger erbeten\n— ") for t in shown)
    assert copy_panel.notes.input.toPlainText() == ""

    def live_notes() -> list[tuple[str, str]]:
        with store.read() as s:
            rows = s.execute(
                select(Note.id, Note.text).where(
                    Note.target_id == doc_id, Note.deleted_at.is_(None)
                )
            )
            return [tuple(r) for r in rows]

    (added,) = [n for n in live_notes() if n[1] == "Rückruf von Frau Jäger erbeten"]
    assert copy_context.undo.undoText() == "Notiz hinzufügen"
    copy_context.undo.undo()
    settle(qtbot, copy_panel, copy_context)
    assert added not in live_notes()
    assert doc_id not in search(store, "Rückruf Jäger")  # the index follows the note
    copy_context.undo.redo()
    settle(qtbot, copy_panel, copy_context)
    assert added in live_notes()  # the same note (same id) is back
    assert doc_id in search(store, "Rückruf Jäger")


def search(store, text: str) -> list[str]:
    from sync.search.engine import search as run_search

    with store.read() as s:
        return [hit.document_id for hit in run_search(s, text)]


def test_file_facts_and_versions_are_shown(qtbot, panel, context):
    doc_id = editable_document(context.store)
    show(qtbot, panel, doc_id)
    with context.store.read() as s:
        details = document_details(s, doc_id)
    assert panel.file_name.text() == details.file_name
    assert panel.reference.text() == details.reference
    assert panel.versions.text().startswith("Version 1 · ")
    assert re.fullmatch(r"\d+(,\d)? (Bytes|kB|MB|GB)", panel.file_size.text())
    with qtbot.assertNotEmitted(panel.loaded):
        panel.show_document(None)
    assert panel.details() is None
