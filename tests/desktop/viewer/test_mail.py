"""E-mails in the viewer: header fields, body, attachments that open here or outside."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.viewer.widget import DocumentViewer
from sync.demo import samples
from tests.desktop.viewer.conftest import pdf_bytes, show
from tests.support.msgfile import MsgAttachment, MsgMessage, build_msg

SENT = datetime(2025, 3, 14, 8, 30, tzinfo=UTC)


def _eml() -> bytes:
    data = samples.eml_message(
        "Bauantrag Müller – Nachreichung",
        "Jürgen Müller <j.mueller@example.org>",
        "Bauamt Sontra <bauamt@sontra.example>",
        SENT,
        "Sehr geehrte Damen und Herren,\nanbei die fehlenden Unterlagen.\n",
        [
            ("Lageplan.pdf", pdf_bytes([[]], texts=[[((40, 60), "Lageplan")]])),
            ("Kostenschätzung.docx", samples.docx(["Kosten"], title="Kosten", created=SENT)),
        ],
    )
    # A Cc header, as a forwarded or copied mail has one.
    cc = b"Cc: =?utf-8?q?K=C3=A4mmerei?= <kaemmerei@sontra.example>"
    return data.replace(b"\r\nSubject:", b"\r\n" + cc + b"\r\nSubject:", 1)


def test_an_eml_shows_its_headers_body_and_attachments(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    mail_id = file_document("Nachreichung.eml", _eml())
    show(qtbot, viewer, mail_id)
    view = viewer.mail_view
    assert viewer.stack.currentWidget() is view
    fields = {key: label.text() for key, label in view.fields.items()}
    assert fields == {
        "sender": "Jürgen Müller <j.mueller@example.org>",
        "to": "Bauamt Sontra <bauamt@sontra.example>",
        "cc": "Kämmerei <kaemmerei@sontra.example>",
        "date": "14.03.2025 09:30",  # local time in Hessen
        "subject": "Bauantrag Müller – Nachreichung",
    }
    assert "anbei die fehlenden Unterlagen." in view.body.toPlainText()
    names = view.attachment_names()
    assert len(names) == 2
    assert names[0].startswith("Kostenschätzung.docx (Office-Dokument")
    assert names[1].startswith("Lageplan.pdf (PDF-Dokument")

    # Enter on the PDF opens it in the viewer; Back returns to the mail.
    view.attachments.setFocus()
    view.attachments.setCurrentRow(1)
    with qtbot.waitSignal(viewer.document_shown, timeout=30_000):
        qtbot.keyClick(view.attachments, Qt.Key.Key_Return)
    assert viewer.stack.currentWidget() is viewer.page_view
    assert viewer.current_document_id != mail_id
    assert viewer.commands.back.isEnabled()
    with qtbot.waitSignal(viewer.document_shown, timeout=30_000):
        viewer.commands.back.trigger()
    assert viewer.current_document_id == mail_id
    assert not viewer.commands.back.isEnabled()

    # The office file cannot be shown here: it goes to the default application.
    view.attachments.setCurrentRow(0)
    with qtbot.waitSignal(viewer.open_externally_requested) as requested:
        view.open_button.click()
    assert requested.args is not None and requested.args[0] != mail_id
    assert viewer.current_document_id == mail_id


def test_an_html_mail_loads_nothing_from_outside(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    html = (
        "<p>Guten Tag, <b>hier</b> die Einladung.</p>"
        '<img src="https://tracker.example.invalid/pixel.gif">'
        '<img src="file:///etc/passwd">'
    )
    data = samples.eml_message(
        "Einladung", "a@example.org", "b@example.org", SENT, "", html_body=html
    )
    # The plain-text alternative is empty: the HTML part is what is shown.
    show(qtbot, viewer, file_document("Einladung.eml", data))
    body = viewer.mail_view.body
    assert "hier die Einladung." in body.toPlainText()
    assert "https://tracker.example.invalid/pixel.gif" in body.requested
    assert "file:///etc/passwd" in body.requested
    assert viewer.mail_view.fields["cc"].text() == "–"
    assert not viewer.mail_view.attachment_panel.isVisibleTo(viewer.mail_view)


def test_an_outlook_msg_shows_its_headers(
    qtbot: QtBot, viewer: DocumentViewer, file_document: Callable[[str, bytes], str]
) -> None:
    msg = MsgMessage(
        "Termin Ortsbegehung",
        "Anna Schäfer",
        "anna@example.de",
        "Bauamt",
        "bauamt@example.de",
        SENT,
        "Hallo,\r\nder Termin ist am Dienstag.",
        [MsgAttachment("Karte.pdf", pdf_bytes([[]]), "application/pdf")],
    )
    show(qtbot, viewer, file_document("Termin.msg", build_msg(msg)))
    view = viewer.mail_view
    assert view.fields["subject"].text() == "Termin Ortsbegehung"
    assert "Anna Schäfer" in view.fields["sender"].text()
    assert "Bauamt" in view.fields["to"].text()
    assert view.fields["date"].text() == "14.03.2025 09:30"
    assert "der Termin ist am Dienstag." in view.body.toPlainText()
    assert [n.split(" (")[0] for n in view.attachment_names()] == ["Karte.pdf"]
