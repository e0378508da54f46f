"""Opening a document whose bytes are not on this PC: downloaded in the background ("Wird
geladen …") and then shown; with the server gone, a German message says what to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.viewer.widget import DocumentViewer
from tests.desktop.sync_support import (
    Desk,
    blob_present,
    elsewhere,
    filed_case,
    log_in,
    pdf_bytes,
)
from tests.server.live import LiveServer


@pytest.fixture
def viewer(qtbot: QtBot, desk: Desk) -> Iterator[DocumentViewer]:
    made = DocumentViewer(desk.context)
    qtbot.addWidget(made)
    made.fetch = desk.sync.fetch
    made.show()
    titles: list[str] = []
    show = made.message_view.show_message

    def recording(title: str, message: str = "", *, busy: bool = False) -> None:
        titles.append(title)
        show(title, message, busy=busy)

    made.message_view.show_message = recording  # type: ignore[method-assign]
    made.titles = titles  # type: ignore[attr-defined]
    yield made
    made.shutdown()


def test_a_document_not_on_this_pc_is_downloaded_then_shown(
    qtbot: QtBot, desk: Desk, viewer: DocumentViewer, live_server: LiveServer, tmp_path: Path
) -> None:
    pc = elsewhere(tmp_path, live_server)
    _dossier, case, _unit = filed_case(pc)
    doc = pc.file(case, "bescheid.pdf", pdf_bytes("Bescheid"))
    other = pc.file(case, "anlage.pdf", pdf_bytes("Anlage"))
    pc.sync()
    log_in(qtbot, desk, live_server)  # without download_all: bytes come when opened
    assert not blob_present(desk.store, doc)

    with qtbot.waitSignal(viewer.document_shown, timeout=60_000) as shown:
        viewer.show_document(doc)
    assert shown.args == [doc]
    assert "Wird geladen …" in viewer.titles  # type: ignore[attr-defined]
    assert viewer.stack.currentWidget() is viewer.page_view
    assert blob_present(desk.store, doc)

    # Without the server: a clear message instead of the document.
    live_server.stop()
    with qtbot.waitSignal(viewer.document_shown, timeout=60_000):
        viewer.show_document(other)
    assert viewer.stack.currentWidget() is viewer.message_view
    assert viewer.message_view.title.text() == "Nicht auf diesem PC gespeichert"
    assert viewer.message_view.message.text() == (
        "Dieses Dokument ist nicht auf diesem PC gespeichert und der Server ist nicht "
        "erreichbar. Markieren Sie die Akte als „Offline verfügbar“, um sie unterwegs zu lesen."
    )
    assert not viewer.message_view.progress.isVisible()
