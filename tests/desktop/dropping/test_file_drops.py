"""Drops from Explorer and Thunderbird onto a case: filed in the background, reported."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.context import AppContext
from desktop.dropping import DropController
from desktop.dropping.progress_dialog import FilingProgressDialog
from desktop.dropping.results_dialog import FilingResultsDialog
from sync.demo import samples
from sync.records.model import Document
from sync.store.database import Store
from tests.desktop.dropping.support import (
    Places,
    documents_in,
    drop_and_wait,
    file_mime,
    visible_message_boxes,
)


def _note(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"Telefonnotiz {name} {uuid.uuid4()}", encoding="utf-8")
    return path


def _result_rows(window: QMainWindow) -> list[tuple[str, str]]:
    [dialog] = [d for d in window.findChildren(FilingResultsDialog) if d.isVisible()]
    items = [dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount())]
    return [(item.text(0), item.text(1)) for item in items]


def test_files_and_a_folder_from_explorer(
    qtbot: QtBot,
    controller: DropController,
    context: AppContext,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
    tmp_path: Path,
) -> None:
    before = documents_in(demo_copy, places.case)
    loose = [_note(tmp_path, "Brief Müller.txt"), _note(tmp_path, "Vermerk.txt")]
    folder = tmp_path / "Scans"
    _note(folder, "a.txt")
    _note(folder, "b.txt")
    _note(folder / "alt", "c.txt")
    (folder / "Thumbs.db").write_bytes(b"\0junk")
    changes = []
    context.events.changed.connect(changes.append)

    report = drop_and_wait(qtbot, controller, file_mime(*loose, folder), places.case)

    assert [(Path(o.path).name, o.status) for o in report.outcomes] == [
        ("Brief Müller.txt", "filed"),
        ("Vermerk.txt", "filed"),
        ("a.txt", "filed"),
        ("b.txt", "filed"),
        ("c.txt", "filed"),
    ]
    assert documents_in(demo_copy, places.case) == sorted(
        [*before, "Brief Müller.txt", "Vermerk.txt", "a.txt", "b.txt", "c.txt"]
    )
    assert any(places.case.id in change.containers for change in changes)
    # More than a few files: the result list, one row per file.
    assert _result_rows(window) == [
        ("Abgelegt", "Brief Müller.txt"),
        ("Abgelegt", "Vermerk.txt"),
        ("Abgelegt", "a.txt"),
        ("Abgelegt", "b.txt"),
        ("Abgelegt", "c.txt"),
    ]


def test_a_few_files_are_reported_in_the_status_bar(
    qtbot: QtBot,
    controller: DropController,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
    tmp_path: Path,
) -> None:
    messages: list[str] = []
    controller.status_message.connect(messages.append)
    files = [_note(tmp_path, "eins.txt"), _note(tmp_path, "zwei.txt")]
    report = drop_and_wait(qtbot, controller, file_mime(*files), places.dossier)
    assert report.count("filed") == 2
    assert {"eins.txt", "zwei.txt"} <= set(documents_in(demo_copy, places.dossier))
    assert messages[-1] == f"„{places.dossier.label}“: 2 abgelegt."
    assert not [d for d in window.findChildren(FilingResultsDialog) if d.isVisible()]


def test_duplicates_are_reported_and_not_filed_twice(
    qtbot: QtBot, controller: DropController, demo_copy: Store, places: Places, tmp_path: Path
) -> None:
    first = _note(tmp_path, "Antrag.txt")
    drop_and_wait(qtbot, controller, file_mime(first), places.case)
    after_first = documents_in(demo_copy, places.case)
    messages: list[str] = []
    controller.status_message.connect(messages.append)
    copy = tmp_path / "Kopie von Antrag.txt"
    copy.write_bytes(first.read_bytes())

    report = drop_and_wait(qtbot, controller, file_mime(first, copy), places.case)

    assert [o.status for o in report.outcomes] == ["duplicate", "duplicate"]
    assert documents_in(demo_copy, places.case) == after_first
    assert "2 bereits vorhanden" in messages[-1]
    assert "mit identischem Inhalt bereits" in messages[-1]


def _eml_with_attachment(subject: str) -> bytes:
    attachment = samples.text_pdf("Lageplan", ["Lageplan zum Bauantrag"], pages=1)
    return samples.eml_message(
        subject,
        "Jürgen Müller <j.mueller@example.de>",
        "bauamt@example.de",
        datetime(2024, 5, 2, 9, 30, tzinfo=UTC),
        "Sehr geehrte Damen und Herren,\nanbei der Lageplan.",
        [("Lageplan.pdf", attachment)],
    )


def _attachments_of(store: Store, document_id: str | None) -> list[str]:
    with store.read() as session:
        return list(
            session.scalars(
                select(Document.file_name).where(Document.parent_document_id == document_id)
            )
        )


def test_thunderbird_message_as_eml_file_url(
    qtbot: QtBot, controller: DropController, demo_copy: Store, places: Places, tmp_path: Path
) -> None:
    eml = tmp_path / "nsmail.eml"  # where Thunderbird puts a dragged message
    eml.write_bytes(_eml_with_attachment("AW: Bauantrag Lageplan"))
    mime = QMimeData()
    url = QUrl.fromLocalFile(str(eml)).toString()
    mime.setData("text/x-moz-url", f"{url}\nAW: Bauantrag Lageplan".encode("utf-16-le"))

    [outcome] = drop_and_wait(qtbot, controller, mime, places.case).outcomes

    assert outcome.status == "filed"
    with demo_copy.read() as session:
        document = session.get_one(Document, outcome.document_id)
        assert (document.doc_type, document.case_id) == ("email", places.case.id)
    assert _attachments_of(demo_copy, outcome.document_id) == ["Lageplan.pdf"]


def test_thunderbird_link_to_a_server_mail_says_what_to_do(
    qtbot: QtBot, controller: DropController, places: Places
) -> None:
    mime = QMimeData()
    mime.setData(
        "text/x-moz-url",
        "imap-message://bauamt@imap.example/INBOX#77\nRückfrage".encode("utf-16-le"),
    )
    [outcome] = drop_and_wait(qtbot, controller, mime, places.case).outcomes
    assert outcome.status == "rejected"
    assert "keine Datei auf diesem Rechner" in outcome.message


def test_raw_message_rfc822_data(
    qtbot: QtBot, controller: DropController, demo_copy: Store, places: Places
) -> None:
    mime = QMimeData()
    mime.setData("message/rfc822", _eml_with_attachment("Widerspruch: Gebührenbescheid"))
    [outcome] = drop_and_wait(qtbot, controller, mime, places.case).outcomes
    assert outcome.status == "filed"
    assert "Widerspruch_ Gebührenbescheid.eml" in documents_in(demo_copy, places.case)
    assert _attachments_of(demo_copy, outcome.document_id) == ["Lageplan.pdf"]


def test_a_closed_case_refuses_with_a_message_and_files_nothing(
    controller: DropController,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
    tmp_path: Path,
) -> None:
    before = documents_in(demo_copy, places.closed_case)
    mime = file_mime(_note(tmp_path, "zu spät.txt"))
    assert not controller.can_drop(mime, places.closed_case)
    assert controller.can_drop(mime, places.case)

    assert not controller.drop(mime, places.closed_case)

    [box] = visible_message_boxes(window)
    assert box.windowTitle() == "Ablage nicht möglich"
    assert "zu den Akten gelegt (zdA)" in box.text()
    assert places.closed_case.label in box.text()
    assert controller.jobs == []
    assert documents_in(demo_copy, places.closed_case) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe to hold the worker")
def test_cancel_in_the_progress_dialog(
    qtbot: QtBot,
    controller: DropController,
    demo_copy: Store,
    places: Places,
    window: QMainWindow,
    tmp_path: Path,
) -> None:
    before = documents_in(demo_copy, places.case)
    folder = tmp_path / "Stapel"
    names = [f"Scan {n:02d}.txt" for n in range(1, 13)]
    for name in names:
        if name == "Scan 05.txt":
            # A named pipe: reading it waits for a writer, like a file on a slow share.
            folder.mkdir(exist_ok=True)
            os.mkfifo(folder / name)
        else:
            _note(folder, name)
    with qtbot.waitSignal(controller.filing_finished, timeout=60_000) as finished:
        assert controller.drop(file_mime(folder), places.case)
        qtbot.waitUntil(
            lambda: any(
                d.isVisible() and d.label.text().startswith("Datei 5 von 12")
                for d in window.findChildren(FilingProgressDialog)
            ),
            timeout=30_000,
        )
        [dialog] = [d for d in window.findChildren(FilingProgressDialog) if d.isVisible()]
        assert dialog.isModal()
        dialog.cancel_button.click()
        assert dialog.label.text().startswith("Wird abgebrochen")
        assert dialog.isVisible()  # until what was read is committed

        def release() -> None:
            with (folder / "Scan 05.txt").open("wb") as pipe:
                pipe.write(b"spaet geschrieben")

        writer = threading.Thread(target=release)
        writer.start()
        writer.join(30)
    report = finished.args[0]

    assert report.cancelled
    assert [(Path(o.path).name, o.status) for o in report.outcomes] == [
        *[(name, "filed") for name in names[:4]],
        ("Scan 05.txt", "rejected"),  # it changed while being read
    ]
    assert [Path(name).name for name in report.not_reached] == names[5:]
    # The store holds exactly the filed ones, and the result list says so.
    assert documents_in(demo_copy, places.case) == sorted([*before, *names[:4]])
    rows = _result_rows(window)
    assert rows[:5] == [*[("Abgelegt", name) for name in names[:4]], ("Abgelehnt", "Scan 05.txt")]
    assert rows[5:] == [("Nicht abgelegt (abgebrochen)", name) for name in names[5:]]
    assert not any(d.isVisible() for d in window.findChildren(FilingProgressDialog))
