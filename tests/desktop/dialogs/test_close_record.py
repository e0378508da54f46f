"""Abschließen (zdA) and Wieder öffnen: confirmed by keyboard, cancelled by default."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.context import AppContext, Change
from desktop.dialogs.close_record import close_record, reopen_record
from sync.records import operations as ops
from sync.records.model import Case, Dossier
from tests.desktop.dialogs.conftest import TIMEOUT
from tests.desktop.dialogs.helpers import (
    closed_case,
    open_case,
    open_dossier,
    press_alt,
    visible_boxes,
)


def case_closed(context: AppContext, case_id: str) -> bool:
    with context.store.read() as s:
        return s.get_one(Case, case_id).is_closed


def test_return_alone_cancels(
    qtbot: QtBot, parent: QWidget, context: AppContext, announced: list[Change]
) -> None:
    case = open_case(context.store)
    box = close_record(parent, context, case)
    assert "zu den Akten legen" in box.text()
    assert "keine Dokumente mehr abgelegt" in box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert not box.isVisible()
    context.loader.wait(TIMEOUT)
    qtbot.wait(50)  # a (wrongly) queued result would arrive now
    assert not case_closed(context, case.id)
    assert announced == []


def test_case_closed_by_keyboard(qtbot: QtBot, parent: QWidget, context: AppContext) -> None:
    case = open_case(context.store)
    box = close_record(parent, context, case)
    with qtbot.waitSignal(context.events.changed, timeout=TIMEOUT) as changed:
        press_alt(qtbot, box, Qt.Key.Key_A)  # &Abschließen
    assert changed.args[0] == Change.of(records=(case.id,))
    assert case_closed(context, case.id)


def test_dossier_closes_with_its_cases(qtbot: QtBot, parent: QWidget, context: AppContext) -> None:
    dossier = open_dossier(context.store)
    with context.store.read() as s:
        case_ids = set(s.scalars(select(Case.id).where(Case.dossier_id == dossier.id)))
    assert case_ids
    box = close_record(parent, context, dossier)
    assert "Alle offenen Vorgänge" in box.informativeText()
    with qtbot.waitSignal(context.events.changed, timeout=TIMEOUT) as changed:
        press_alt(qtbot, box, Qt.Key.Key_A)
    with context.store.read() as s:
        assert s.get_one(Dossier, dossier.id).is_closed
        assert all(s.get_one(Case, cid).is_closed for cid in case_ids)
        previously_open = {cid for cid in case_ids if s.get_one(Case, cid).closed_at}
    assert changed.args[0].records == {dossier.id} | previously_open


def test_reopen_a_case(qtbot: QtBot, parent: QWidget, context: AppContext) -> None:
    case = closed_case(context.store)
    box = reopen_record(parent, context, case)
    assert "Registratur" in box.informativeText()
    with qtbot.waitSignal(context.events.changed, timeout=TIMEOUT):
        press_alt(qtbot, box, Qt.Key.Key_W)  # &Wieder öffnen
    assert not case_closed(context, case.id)


def test_reopen_refused_while_the_dossier_is_closed(
    qtbot: QtBot, parent: QWidget, context: AppContext, announced: list[Change]
) -> None:
    case = open_case(context.store)
    with context.store.write() as s:
        dossier = s.get_one(Dossier, s.get_one(Case, case.id).dossier_id)
        ops.close(s, dossier)
        reference = dossier.reference
    box = reopen_record(parent, context, case)
    question = box.windowTitle()
    press_alt(qtbot, box, Qt.Key.Key_W)

    qtbot.waitUntil(lambda: bool(visible_boxes(parent, not_titled=question)), timeout=TIMEOUT)
    (shown,) = visible_boxes(parent, not_titled=question)
    assert shown.windowTitle() == "Zu den Akten gelegt"
    assert shown.text().startswith(f"Die Akte {reference} ist zu den Akten gelegt")
    assert case_closed(context, case.id)
    assert announced == []
