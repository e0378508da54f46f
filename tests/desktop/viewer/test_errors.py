"""Documents that cannot be shown say why, in German, instead of failing or hanging."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.viewer.page_view import PageView
from desktop.viewer.pixmap_cache import ImageCache
from desktop.viewer.render_client import RenderClient
from desktop.viewer.render_queue import RenderQueue
from desktop.viewer.widget import DocumentViewer
from sync.demo import samples
from sync.records.model import Blob, Version
from sync.store.cache import enforce_limit
from sync.store.database import Store
from tests.desktop.viewer.conftest import pdf_bytes, show


def _sha(store: Store, document_id: str) -> str:
    with store.read() as session:
        sha = session.scalars(
            select(Version.blob_sha256).where(Version.document_id == document_id)
        ).one()
    return str(sha)


def test_an_encrypted_pdf_says_it_needs_a_password(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    show(qtbot, viewer, file_document("Personalakte.pdf", samples.encrypted_pdf()))
    view = viewer.other_view
    assert viewer.stack.currentWidget() is view
    assert view.notice_title.text() == "Kennwortgeschützt"
    assert "Kennwort" in view.notice.text()
    assert view.file_name.text() == "Personalakte.pdf"
    assert view.open_button.isEnabled()  # the default application can ask for the password
    assert not viewer.commands.zoom_in.isEnabled()


def test_a_pdf_mupdf_cannot_read_is_reported_as_damaged(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "kaputt.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    client = RenderClient()
    try:
        view = PageView(client, RenderQueue(client, ImageCache()))
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.failed, timeout=30_000) as failed:
            view.open_path(str(broken), "pdf")
        assert failed.args in (["corrupt"], ["empty"])
        assert not view.has_document
    finally:
        client.shutdown()


def test_a_damaged_blob_is_not_shown(
    qtbot: QtBot,
    viewer: DocumentViewer,
    demo_copy: Store,
    file_document: Callable[[str, bytes], str],
) -> None:
    doc_id = file_document("Bescheid.pdf", pdf_bytes([[]]))
    path = demo_copy.blobs.path(_sha(demo_copy, doc_id))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte: the hash no longer matches
    path.write_bytes(bytes(data))
    viewer.show_document(doc_id)
    # The pages may appear while the hash is checked; the failed check replaces them.
    qtbot.waitUntil(lambda: viewer.stack.currentWidget() is viewer.message_view, timeout=30_000)
    qtbot.waitUntil(lambda: viewer.message_view.title.text() == "Datei beschädigt")
    assert "Prüfsumme" in viewer.message_view.message.text()
    assert not viewer.page_view.has_document


def test_a_document_whose_file_is_not_on_this_pc_says_so(
    qtbot: QtBot,
    viewer: DocumentViewer,
    demo_copy: Store,
    file_document: Callable[[str, bytes], str],
) -> None:
    doc_id = file_document("Bescheid.pdf", pdf_bytes([[]]))
    sha = _sha(demo_copy, doc_id)
    # As after a sync: the server has the blob, so the cache limit may evict it.
    with demo_copy.write() as session:
        blob = session.get(Blob, sha)
        assert blob is not None
        blob.synced = True
    enforce_limit(demo_copy, 0)
    assert not demo_copy.blobs.contains(sha)
    show(qtbot, viewer, doc_id)
    view = viewer.other_view
    assert viewer.stack.currentWidget() is view
    assert view.notice_title.text() == "Datei nicht vorhanden"
    assert "Synchronisierung" in view.notice.text()
    assert not view.open_button.isEnabled()
    assert not viewer.commands.open_externally.isEnabled()


def test_other_files_offer_the_default_application(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    created = samples.SAMPLE_DATE
    doc_id = file_document("Vorlage.docx", samples.docx(["Beschluss"], title="V", created=created))
    show(qtbot, viewer, doc_id)
    view = viewer.other_view
    assert viewer.stack.currentWidget() is view
    assert view.kind.text() == "Office-Dokument"
    assert view.file_name.text() == "Vorlage.docx"
    with qtbot.waitSignal(viewer.open_externally_requested) as requested:
        view.open_button.click()
    assert requested.args == [doc_id]
    with qtbot.waitSignal(viewer.open_externally_requested) as requested:
        viewer.commands.open_externally.trigger()
    assert requested.args == [doc_id]


def test_a_text_file_is_decoded_with_its_charset(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    text = "Aktenvermerk: Gespräch mit Frau Größ über die Straßenbeleuchtung.\r\n"
    show(qtbot, viewer, file_document("Vermerk.txt", text.encode("cp1252")))
    assert viewer.stack.currentWidget() is viewer.text_view
    assert viewer.text_view.editor.toPlainText() == text.replace("\r\n", "\n")
