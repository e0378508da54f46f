"""Drops from Outlook as Qt on Windows hands them over: descriptor and contents of item 0."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QMimeData
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.dropping import DropController
from desktop.dropping.mime_sources import read_sources
from sync.demo import samples
from sync.filing.drop_sources import OutlookSelection
from sync.records.model import Document
from sync.store.database import Store
from tests.desktop.dropping.support import Places, documents_in, drop_and_wait
from tests.filing.test_outlook_drop import descriptor, record
from tests.support.msgfile import MsgAttachment, MsgMessage, build_msg

DESCRIPTOR_W = 'application/x-qt-windows-mime;value="FileGroupDescriptorW"'
DESCRIPTOR_A = 'application/x-qt-windows-mime;value="FileGroupDescriptor"'
CONTENTS = 'application/x-qt-windows-mime;value="FileContents"'

PLAN = samples.text_pdf("Grundriss", ["Grundriss Erdgeschoss"], pages=1)


def _mail(subject: str) -> bytes:
    return build_msg(
        MsgMessage(
            subject,
            "Jürgen Müller",
            "j.mueller@example.de",
            "Bauamt",
            "bauamt@example.de",
            datetime(2024, 3, 15, 9, 0, tzinfo=UTC),
            "Sehr geehrte Damen und Herren,\r\nanbei der Grundriss.",
            [MsgAttachment("Grundriss.pdf", PLAN, "application/pdf")],
        )
    )


def _outlook_mime(names_and_sizes: list[tuple[str, int]], first: bytes, *, wide: bool = True):
    mime = QMimeData()
    records = [record(name, size, wide=wide) for name, size in names_and_sizes]
    mime.setData(DESCRIPTOR_W if wide else DESCRIPTOR_A, descriptor(*records, padding=8))
    mime.setData(CONTENTS, first)
    return mime


def test_a_mail_dragged_from_outlook_is_filed_with_its_attachment(
    qtbot: QtBot, controller: DropController, demo_copy: Store, places: Places
) -> None:
    mail = _mail("AW: Bauantrag Müller – Grundriss")
    name = "AW Bauantrag Müller – Grundriss.msg"
    mime = _outlook_mime([(name, len(mail))], mail + bytes(5))
    assert controller.can_drop(mime, places.case)

    [outcome] = drop_and_wait(qtbot, controller, mime, places.case).outcomes

    assert outcome.status == "filed", outcome.message
    assert name in documents_in(demo_copy, places.case)
    with demo_copy.read() as session:
        document = session.get_one(Document, outcome.document_id)
        assert document.doc_type == "email"
        assert document.sender and "Müller" in document.sender
        attachments = session.scalars(
            select(Document.file_name).where(Document.parent_document_id == document.id)
        )
        assert list(attachments) == ["Grundriss.pdf"]


def test_an_attachment_dragged_from_an_open_mail_ansi(
    qtbot: QtBot, controller: DropController, demo_copy: Store, places: Places
) -> None:
    mime = _outlook_mime([("Übersicht Größe.pdf", len(PLAN))], PLAN, wide=False)
    [outcome] = drop_and_wait(qtbot, controller, mime, places.case).outcomes
    assert outcome.status == "filed"
    assert "Übersicht Größe.pdf" in documents_in(demo_copy, places.case)


def test_several_mails_without_com_file_the_first_and_explain_the_rest(
    qtbot: QtBot, controller: DropController, demo_copy: Store, places: Places
) -> None:
    first = _mail("Erste Nachricht")
    mime = _outlook_mime([("Erste Nachricht.msg", len(first)), ("Zweite.msg", 4000)], first)
    messages: list[str] = []
    controller.status_message.connect(messages.append)

    report = drop_and_wait(qtbot, controller, mime, places.case)

    assert [(o.path, o.status) for o in report.outcomes] == [
        ("Erste Nachricht.msg", "filed"),
        ("Zweite.msg", "rejected"),
    ]
    assert "Erste Nachricht.msg" in documents_in(demo_copy, places.case)
    assert "Zweite.msg" not in documents_in(demo_copy, places.case)
    assert "einzeln hineinziehen" in messages[-1]


def test_with_com_several_mails_are_fetched_from_outlook(places: Places) -> None:
    mail = _mail("Erste")
    mime = _outlook_mime([("Erste.msg", len(mail)), ("Zweite.msg", 4000)], mail)
    assert read_sources(mime, outlook_com=True) == [OutlookSelection(("Erste.msg", "Zweite.msg"))]


def test_a_garbled_descriptor_is_reported_and_nothing_filed(
    qtbot: QtBot, controller: DropController, demo_copy: Store, places: Places
) -> None:
    before = documents_in(demo_copy, places.case)
    mime = QMimeData()
    mime.setData(DESCRIPTOR_W, descriptor(record("Abgeschnitten.msg", 10))[:300])
    mime.setData(CONTENTS, b"x" * 10)
    messages: list[str] = []
    controller.status_message.connect(messages.append)

    [outcome] = drop_and_wait(qtbot, controller, mime, places.case).outcomes

    assert outcome.status == "rejected"
    assert "konnten nicht gelesen werden" in messages[-1]
    assert documents_in(demo_copy, places.case) == before
