"""The main window: keyboard navigation, details of the selection, and ``--screenshot``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.cli import main
from desktop.main_window import MainWindow
from desktop.tree_model import NODE_ROLE
from sync.records.model import Case, Document
from sync.store.database import Store


@pytest.fixture
def window(qtbot: QtBot, demo_copy: Store) -> Iterator[MainWindow]:
    made = MainWindow(demo_copy, demo_copy.root)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()  # stops the render process and waits for background work


def current_id(window: MainWindow) -> str | None:
    node = window.tree.currentIndex().data(NODE_ROLE)
    return node.id if node is not None else None


def busiest_case(store: Store) -> tuple[str, list[str]]:
    """The open case with the most documents, and its documents' ids."""
    with store.read() as s:
        case_id = s.scalar(
            select(Document.case_id)
            .join(Case, Case.id == Document.case_id)
            .where(Case.closed_at.is_(None), Document.parent_document_id.is_(None))
            .group_by(Document.case_id)
            .order_by(func.count().desc(), Document.case_id)
            .limit(1)
        )
        ids = list(s.scalars(select(Document.id).where(Document.case_id == case_id)))
    return case_id, ids


def test_keyboard_walks_the_tree_and_shows_details(qtbot: QtBot, window: MainWindow) -> None:
    tree = window.tree
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down)  # the first unit becomes current
    assert window.details.kind.text() == "Aktenplaneinheit"
    first = tree.currentIndex()
    qtbot.keyClick(tree, Qt.Key.Key_Right)  # expands it; its children load in the background
    qtbot.waitUntil(lambda: window.model.rowCount(first) > 0, timeout=10_000)
    assert tree.isExpanded(first)
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentIndex().parent() == first
    assert window.details.title.text() == tree.currentIndex().data()
    # A store never synced with a server: sync waits for a login, reachable from the bar.
    assert window.status.connection.text() == "Nicht angemeldet"
    assert window.sync.status.clickable


def test_a_case_lists_its_documents_and_the_keyboard_opens_one(
    qtbot: QtBot, window: MainWindow, demo_copy: Store
) -> None:
    case_id, document_ids = busiest_case(demo_copy)
    window.reveal_record(case_id)
    qtbot.waitUntil(lambda: current_id(window) == case_id, timeout=10_000)
    documents = window.documents
    qtbot.waitUntil(lambda: documents.model().rowCount() > 0, timeout=10_000)
    assert window.right.currentWidget() is window.details
    assert window.details.kind.text() == "Vorgang"
    documents.setFocus()
    with qtbot.waitSignal(window.viewer.document_shown, timeout=20_000) as shown:
        qtbot.keyClick(documents, Qt.Key.Key_Down)
    current = documents.current_document_id()
    assert current in document_ids and shown.args == [current]
    assert window.right.currentWidget() is window.metadata
    qtbot.waitUntil(lambda: window.metadata.details() is not None, timeout=10_000)
    assert window.metadata.details().id == current
    qtbot.waitUntil(lambda: window.breadcrumb.path()[-1:] != [], timeout=10_000)
    assert window.breadcrumb.path()[-1].id == current
    assert window.checkout.open_action.isEnabled()


def test_a_search_hit_is_revealed_in_the_tree(
    qtbot: QtBot, window: MainWindow, demo_copy: Store
) -> None:
    _case_id, document_ids = busiest_case(demo_copy)
    with demo_copy.read() as s:
        document = s.get_one(Document, document_ids[0])
        title = document.title
    with qtbot.waitSignal(window.viewer.document_shown, timeout=20_000):
        window.search.document_activated.emit(document.id)  # as if the hit were chosen
    assert current_id(window) == document.id
    qtbot.waitUntil(lambda: window.documents.current_document_id() == document.id, timeout=10_000)
    assert title


def test_the_breadcrumb_navigates_the_tree(
    qtbot: QtBot, window: MainWindow, demo_copy: Store
) -> None:
    case_id, _ids = busiest_case(demo_copy)
    window.reveal_record(case_id)
    qtbot.waitUntil(lambda: len(window.breadcrumb.path()) >= 3, timeout=10_000)
    dossier = window.breadcrumb.path()[-2]
    assert dossier.kind == "dossier"
    qtbot.mouseClick(window.breadcrumb.buttons[-2], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: current_id(window) == dossier.id, timeout=10_000)
    assert window.actions_.new_case.isEnabled() and not window.actions_.new_dossier.isEnabled()


def test_closing_the_window_stops_the_render_process(qtbot: QtBot, demo_copy: Store) -> None:
    made = MainWindow(demo_copy, demo_copy.root)
    qtbot.addWidget(made)
    made.show()
    process = made.viewer.render_client
    qtbot.waitUntil(lambda: process.is_running(), timeout=20_000)
    made.close()
    assert not process.is_running()


@pytest.mark.usefixtures("restores_process_hooks")
def test_screenshot_renders_the_loaded_window(demo_store_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(demo_store_dir, store)
    png = tmp_path / "shot" / "main.png"
    assert main(["--screenshot", str(png), "--store", str(store)]) == 0
    image = QImage(str(png))
    assert image.width() >= 800 and image.height() >= 500
    # Not a blank window: the tree's text and icons make many distinct colours.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20


def test_other_commands_are_the_command_line(
    demo_store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", str(demo_store_dir), "ls"]) == 0
    assert "Allgemeine Verwaltung" in capsys.readouterr().out
