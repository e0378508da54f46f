"""Documents dragged out of the app carry real files: copies with the right bytes and names."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.dropping import DropController
from desktop.dropping.drag_out import drag_folder
from desktop.dropping.mime_sources import INTERNAL_MIME
from sync.records.model import Document, Version
from sync.store.database import Store


def _documents(store: Store, count: int) -> list[tuple[str, str, str]]:
    """(id, file name, blob sha) of the first ``count`` documents with a current version."""
    with store.read() as session:
        rows = session.execute(
            select(Document.id, Document.file_name, Version.blob_sha256)
            .join(
                Version,
                (Version.document_id == Document.id) & (Version.number == Document.current_version),
            )
            .order_by(Document.created_at)
            .limit(count)
        )
        return [tuple(row) for row in rows]


def _urls_when_ready(qtbot: QtBot, controller: DropController, ids: list[str]) -> list[Path]:
    mime = controller.mime_for_documents(ids)
    qtbot.waitUntil(mime.copies.done.is_set, timeout=30_000)
    payload = json.loads(bytes(mime.data(INTERNAL_MIME).data()))
    assert payload == {"store": controller.context.store.store_id, "ids": ids}
    assert all(url.isLocalFile() for url in mime.urls())
    # What Explorer gets through Qt's conversion: the same URLs as text/uri-list.
    uri_list = bytes(mime.data("text/uri-list").data()).split()
    assert uri_list == [url.toEncoded().data() for url in mime.urls()]
    return [Path(url.toLocalFile()) for url in mime.urls()]


def test_the_drag_carries_a_copy_with_the_right_bytes_and_name(
    qtbot: QtBot, controller: DropController, demo_copy: Store
) -> None:
    [(doc_id, file_name, sha)] = _documents(demo_copy, 1)
    [path] = _urls_when_ready(qtbot, controller, [doc_id])
    assert path.name == file_name
    assert path.read_bytes() == demo_copy.blobs.read_bytes(sha)
    assert drag_folder() in path.parents
    assert path != demo_copy.blobs.path(sha)  # a copy, never the stored blob


def test_documents_of_the_same_name_do_not_overwrite_each_other(
    qtbot: QtBot, controller: DropController, demo_copy: Store
) -> None:
    (first, name, _), (second, _, second_sha) = _documents(demo_copy, 2)
    with demo_copy.write() as session:
        session.get_one(Document, second).file_name = name.upper()
    paths = _urls_when_ready(qtbot, controller, [first, second])
    stem, dot, ext = name.upper().rpartition(".")
    assert [p.name for p in paths] == [name, f"{stem} (2){dot}{ext}" if dot else f"{ext} (2)"]
    assert paths[1].read_bytes() == demo_copy.blobs.read_bytes(second_sha)


def test_a_missing_or_damaged_blob_is_not_handed_out(
    qtbot: QtBot, controller: DropController, demo_copy: Store
) -> None:
    (missing, _, missing_sha), (damaged, _, damaged_sha), (fine, fine_name, _) = _documents(
        demo_copy, 3
    )
    demo_copy.blobs.path(missing_sha).unlink()
    blob = demo_copy.blobs.path(damaged_sha)
    blob.write_bytes(b"X" + blob.read_bytes()[1:])
    messages: list[str] = []
    controller.status_message.connect(messages.append)

    paths = _urls_when_ready(qtbot, controller, [missing, damaged, fine])

    assert [p.name for p in paths] == [fine_name]
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert "nicht vorhanden" in messages[-1] and "beschädigt" in messages[-1]
