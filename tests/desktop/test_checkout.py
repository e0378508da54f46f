"""Editing in the default program: the open request is captured by a URL handler (no real
program starts), the work copy is changed on disk as an editor would, and the new version
must arrive in the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.checkout import CheckoutController
from desktop.context import AppContext, Change
from sync.demo.office_samples import docx
from sync.filing import checkout
from sync.records import operations as ops
from sync.records.model import Case, Document, Version
from sync.store.database import Store

EDITED = docx(["Aktenvermerk", "Nachtrag nach Ortstermin: Zufahrt über den Mühlweg"])
SIGNAL_MS = 15_000


class _Opener(QObject):
    """Stands in for the operating system's "open with the default program"."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[Path] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.paths.append(Path(url.toLocalFile()))


@pytest.fixture
def opener() -> Iterator[_Opener]:
    handler = _Opener()
    QDesktopServices.setUrlHandler("file", handler, "open")  # str: PySide 6.11 refuses bytes
    yield handler
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def make_controller(demo_copy: Store) -> Iterator[Callable[[], CheckoutController]]:
    context = AppContext(demo_copy, demo_copy.root)
    made: list[CheckoutController] = []

    def make() -> CheckoutController:
        made.append(CheckoutController(context, actor="schaefer"))
        return made[-1]

    yield make
    for controller in made:
        controller.wait()  # no worker may touch the store after it closes
    QApplication.processEvents()


def _document(store: Store) -> str:
    """A Word document in an open case."""
    with store.read() as s:
        return s.scalars(
            select(Document.id)
            .join(Case, Case.id == Document.case_id)
            .where(
                Document.file_name.like("%.docx"),
                Document.parent_document_id.is_(None),
                Case.closed_at.is_(None),
            )
            .order_by(Document.id)
            .limit(1)
        ).one()


def _versions(store: Store, document_id: str) -> list[bytes]:
    with store.read() as s:
        shas = s.scalars(
            select(Version.blob_sha256)
            .where(Version.document_id == document_id)
            .order_by(Version.number)
        ).all()
    return [store.blobs.read_bytes(sha) for sha in shas]


def _open(qtbot: QtBot, controller: CheckoutController, opener: _Opener, doc_id: str) -> Path:
    controller.open_externally(doc_id)
    qtbot.waitUntil(lambda: controller.is_checked_out(doc_id), timeout=SIGNAL_MS)
    return opener.paths[-1]


def test_a_save_in_the_program_becomes_a_new_version(
    qtbot: QtBot, demo_copy: Store, opener: _Opener, make_controller
) -> None:
    controller = make_controller()
    doc_id = _document(demo_copy)
    path = _open(qtbot, controller, opener, doc_id)
    original = _versions(demo_copy, doc_id)
    assert path.read_bytes() == original[-1]
    assert path.parent == controller.work_dir / doc_id
    changes: list[Change] = []
    controller._context.events.changed.connect(changes.append)
    messages: list[str] = []
    controller.status_message.connect(messages.append)

    with qtbot.waitSignal(controller.checked_in, timeout=SIGNAL_MS) as signal:
        path.write_bytes(EDITED)
    assert signal.args == [doc_id, len(original) + 1]
    assert _versions(demo_copy, doc_id) == [*original, EDITED]
    assert changes and doc_id in changes[-1].records
    assert messages[-1].startswith(f"Neue Version {len(original) + 1} von „")


def test_a_save_by_rename_is_taken_and_the_file_is_watched_again(
    qtbot: QtBot, demo_copy: Store, opener: _Opener, make_controller
) -> None:
    controller = make_controller()
    doc_id = _document(demo_copy)
    path = _open(qtbot, controller, opener, doc_id)
    base = len(_versions(demo_copy, doc_id))
    with qtbot.waitSignal(controller.checked_in, timeout=SIGNAL_MS) as signal:
        temp = path.with_name("~WRL0001.tmp")  # how Word saves
        temp.write_bytes(EDITED)
        temp.replace(path)
    assert signal.args == [doc_id, base + 1]
    again = docx(["Aktenvermerk", "Zweiter Nachtrag"])
    with qtbot.waitSignal(controller.checked_in, timeout=SIGNAL_MS) as signal:
        path.write_bytes(again)
    assert signal.args == [doc_id, base + 2]
    assert _versions(demo_copy, doc_id)[-2:] == [EDITED, again]


def test_a_restart_checks_in_what_was_saved_while_closed(
    qtbot: QtBot, demo_copy: Store, make_controller
) -> None:
    doc_id = _document(demo_copy)
    copy = checkout.check_out(demo_copy, doc_id, demo_copy.root / "work")
    base = len(_versions(demo_copy, doc_id))
    copy.path.write_bytes(EDITED)  # saved while the application was not running
    # The results of the start-up job arrive through the event loop, so connecting now is early
    # enough.
    controller = make_controller()
    with qtbot.waitSignal(controller.checked_in, timeout=SIGNAL_MS) as signal:
        pass
    assert signal.args == [doc_id, base + 1]
    assert controller.is_checked_out(doc_id)
    assert _versions(demo_copy, doc_id)[-1] == EDITED


def test_finish_stores_the_last_save_and_removes_the_work_copy(
    qtbot: QtBot, demo_copy: Store, opener: _Opener, make_controller
) -> None:
    controller = make_controller()
    doc_id = _document(demo_copy)
    path = _open(qtbot, controller, opener, doc_id)
    controller.set_current_document(doc_id)
    assert controller.finish_action.isEnabled() and controller.discard_action.isEnabled()
    base = len(_versions(demo_copy, doc_id))
    path.write_bytes(EDITED)
    # Finished right after the save, before the debounced check-in: nothing may be lost.
    with qtbot.waitSignal(controller.checked_in, timeout=SIGNAL_MS) as signal:
        controller.finish_action.trigger()
    assert signal.args == [doc_id, base + 1]
    qtbot.waitUntil(lambda: not controller.is_checked_out(doc_id), timeout=SIGNAL_MS)
    assert not path.parent.exists()
    assert checkout.open_work_copies(demo_copy) == []
    assert not controller.finish_action.isEnabled()


def test_discard_asks_first_and_then_drops_the_work_copy(
    qtbot: QtBot, demo_copy: Store, opener: _Opener, make_controller
) -> None:
    controller = make_controller()
    doc_id = _document(demo_copy)
    path = _open(qtbot, controller, opener, doc_id)
    before = _versions(demo_copy, doc_id)
    controller.set_current_document(doc_id)
    controller.discard_action.trigger()
    box = controller.confirmation
    assert box is not None and box.isVisible()
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    assert box.defaultButton() is cancel
    cancel.click()
    assert controller.is_checked_out(doc_id) and path.exists()

    controller.discard_action.trigger()
    box = controller.confirmation
    assert box is not None
    path.write_bytes(EDITED)  # an unsaved-to-the-store change: it is what gets discarded
    confirm = next(b for b in box.buttons() if b.text() == "&Verwerfen")
    confirm.click()
    qtbot.waitUntil(lambda: not controller.is_checked_out(doc_id), timeout=SIGNAL_MS)
    assert not path.exists()
    assert checkout.open_work_copies(demo_copy) == []
    assert _versions(demo_copy, doc_id) == before


def test_a_closed_document_opens_read_only_without_a_check_out(
    qtbot: QtBot, demo_copy: Store, opener: _Opener, make_controller
) -> None:
    controller = make_controller()
    doc_id = _document(demo_copy)
    with demo_copy.write() as s:
        case_id = s.get_one(Document, doc_id).case_id
        ops.close(s, s.get_one(Case, case_id))
    with qtbot.waitSignal(controller.status_message, timeout=SIGNAL_MS) as signal:
        controller.open_externally(doc_id)
    assert "schreibgeschützt" in signal.args[0]
    path = opener.paths[-1]
    assert path.parent == controller.view_dir / doc_id
    assert path.read_bytes() == _versions(demo_copy, doc_id)[-1]
    assert path.stat().st_mode & 0o222 == 0
    assert not controller.is_checked_out(doc_id)
    assert checkout.open_work_copies(demo_copy) == []


def test_no_program_for_the_file_type_is_reported_and_leaves_no_check_out(
    qtbot: QtBot, demo_copy: Store, make_controller, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What openUrl answers when the system has no program registered for the file type.
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: False))
    controller = make_controller()
    doc_id = _document(demo_copy)
    with qtbot.waitSignal(controller.failed, timeout=SIGNAL_MS) as signal:
        controller.open_externally(doc_id)
    title, message = signal.args
    assert title == "Kein passendes Programm" and "„.docx“" in message
    qtbot.waitUntil(lambda: checkout.open_work_copies(demo_copy) == [], timeout=SIGNAL_MS)
    assert not controller.is_checked_out(doc_id)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert [b.text() for b in boxes if b.isVisible()] == [message]
    for box in boxes:
        box.close()
