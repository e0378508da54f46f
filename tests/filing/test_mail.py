"""E-mail extraction: .eml (RFC 822) and Outlook .msg."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path

import extract_msg
import pytest

from sync.demo import samples
from sync.errors import FilingRejectedError
from sync.filing.detect import MIME_MSG
from sync.filing.extract import extract
from sync.filing.extracted import DocType, Extracted, Problem
from sync.filing.mail import html_to_text
from tests.support.msgfile import (
    MsgAttachment,
    MsgMessage,
    build_cfb,
    build_msg,
    message_storage,
)

Run = Callable[..., Extracted]

FORWARDED = samples.eml_message(
    "Ursprüngliche Anfrage",
    "Anna Schäfer <anna@example.de>",
    "bauamt@example.de",
    datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
    "Bitte um Rückruf.",
)
PLAN = samples.text_pdf("Lageplan", ["Flurstück 12/3"])


def test_eml_with_umlauts_attachment_and_forwarded_message(run: Run) -> None:
    data = samples.eml_message(
        "AW: Bauantrag Müller – Ergänzung",
        "Jürgen Müller <j.mueller@example.de>",
        "Bauamt Großalmerode <bauamt@example.de>",
        datetime(2024, 3, 15, 23, 30, tzinfo=UTC),  # 16 March 00:30 in Germany
        "Sehr geehrte Damen und Herren,\n\nanbei der Lageplan. Grüße aus Weißenborn",
        [("Lageplan Flurstück.pdf", PLAN), ("Anfrage.eml", FORWARDED)],
    )
    assert b"=?utf-8?" in data  # the subject really is RFC 2047 encoded on the wire
    result = run(data, "nachricht.eml")
    assert result.doc_type is DocType.EMAIL
    assert result.mime_type == "message/rfc822"
    assert result.title == "AW: Bauantrag Müller – Ergänzung"
    assert result.sender == "Jürgen Müller <j.mueller@example.de>"
    assert result.recipient == "Bauamt Großalmerode <bauamt@example.de>"
    assert result.received_on == date(2024, 3, 16)
    assert result.document_date == date(2024, 3, 16)
    assert "Grüße aus Weißenborn" in result.text
    assert result.problems == []
    assert [a.file_name for a in result.attachments] == ["Lageplan Flurstück.pdf", "Anfrage.eml"]
    assert result.attachments[0].data == PLAN
    nested = message_from_bytes(result.attachments[1].data, policy=policy.default)
    assert nested["Subject"] == "Ursprüngliche Anfrage"
    assert "Bitte um Rückruf." in nested.get_body().get_content()  # type: ignore[union-attr]


def test_attachments_are_files_again(put: Callable[[bytes, str], Path], run: Run) -> None:
    data = samples.eml_message(
        "Weiterleitung", "a@example.de", "b@example.de", None, "s. u.", [("Anfrage.eml", FORWARDED)]
    )
    inner = run(data, "fw.eml").attachments[0]
    again = extract(put(inner.data, "x"), inner.file_name)
    assert again.doc_type is DocType.EMAIL
    assert again.title == "Ursprüngliche Anfrage"


def test_missing_date_falls_back_to_received_header(run: Run) -> None:
    body = samples.eml_message("Ohne Datum", "a@example.de", "b@example.de", None, "Text")
    received = (
        b"Received: from mx.example.de by mail.example.de; Sun, 17 Mar 2024 23:10:00 +0000\r\n"
    )
    result = run(received + body, "ohne_datum.eml")
    assert result.received_on == date(2024, 3, 18)
    assert result.document_date is None


def test_no_date_at_all(run: Run) -> None:
    data = samples.eml_message("Ohne Datum", "a@example.de", "b@example.de", None, "Text")
    result = run(data, "x.eml")
    assert (result.received_on, result.document_date) == (None, None)


def test_date_in_other_time_zone(run: Run) -> None:
    moment = datetime(2024, 7, 1, 20, 0, tzinfo=timezone(timedelta(hours=-6)))  # 04:00 CEST
    data = samples.eml_message("Sommer", "a@example.de", "b@example.de", moment, "Text")
    assert run(data, "x.eml").received_on == date(2024, 7, 2)


def test_html_only_mail_and_embedded_images(run: Run) -> None:
    raw = (
        b"From: Stadtwerke <info@stadtwerke.example>\r\n"
        b"To: bauamt@example.de\r\n"
        b"Subject: =?iso-8859-1?q?Abschlagsbetr=E4ge_2024?=\r\n"
        b"Date: Mon, 4 Mar 2024 08:00:00 +0100\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="B"\r\n\r\n'
        b"--B\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p {color: red}</style></head><body><p>Sehr geehrte Damen,</p>"
        b"<table><tr><td>Strom</td><td>45&nbsp;&euro;</td></tr></table>"
        b'<img src="cid:logo@x"><script>alert(1)</script></body></html>\r\n'
        b"--B\r\n"
        b"Content-Type: image/png\r\nContent-ID: <logo@x>\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
        b"--B--\r\n"
    )
    result = run(raw, "x.eml")
    assert result.title == "Abschlagsbeträge 2024"
    assert "Sehr geehrte Damen," in result.text
    assert "Strom\t45\xa0€" in result.text or "Strom 45 €" in result.text.replace("\xa0", " ")
    assert "color" not in result.text and "alert" not in result.text
    assert result.attachments == []  # the logo belongs to the HTML body


def test_unknown_charset_and_broken_headers_do_not_crash(run: Run) -> None:
    raw = (
        b"From: =?x-unknown?q?M=FCller?= <m@example.de>\r\n"
        b"To: <<<>>>\r\n"
        b"Subject: Gr\xfc\xdfe\r\n"
        b"Date: 32 Foo 2024 99:99:99\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=x-unknown\r\n\r\n"
        b"Gr\xfc\xdfe aus Sontra\r\n"
    )
    result = run(raw, "seltsam.eml")
    assert result.doc_type is DocType.EMAIL
    assert result.title == "Grüße"  # raw 8-bit header, read as Windows-1252
    assert result.text.startswith("Grüße aus Sontra")
    assert result.received_on is None
    assert result.sender


def test_attachment_without_name_gets_one(run: Run) -> None:
    raw = (
        b"From: a@example.de\r\nSubject: Anhang\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n--X\r\n'
        b"Content-Type: text/plain\r\n\r\nText\r\n--X\r\n"
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=\r\n--X--\r\n"
    )
    (attachment,) = run(raw, "x.eml").attachments
    assert attachment.file_name == "Anhang 1.pdf"
    assert attachment.data == b"%PDF-1.4"


def test_encoded_attachment_names(run: Run) -> None:
    raw = (
        b"From: a@example.de\r\nSubject: Namen\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n--X\r\n'
        b"Content-Type: text/plain\r\n\r\nText\r\n--X\r\n"
        b'Content-Type: application/pdf; name="=?UTF-8?Q?Lagepl=C3=A4ne.pdf?="\r\n'
        b"Content-Disposition: attachment\r\n\r\n%PDF-1.4\r\n--X\r\n"
        b"Content-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''Stra%C3%9Fe.pdf\r\n\r\n"
        b"%PDF-1.4\r\n--X--\r\n"
    )
    names = [a.file_name for a in run(raw, "x.eml").attachments]
    assert names == ["Lagepläne.pdf", "Straße.pdf"]


def test_html_to_text() -> None:
    assert html_to_text("<p>Eins</p><p>Zwei<br>Drei</p>") == "Eins\n\nZwei\nDrei"
    assert html_to_text("<p>Unclosed <b>tags") == "Unclosed tags"
    assert html_to_text("&lt;kein Tag&gt; &amp; &auml;") == "<kein Tag> & ä"


# --- Outlook .msg ----------------------------------------------------------------------

INNER = MsgMessage(
    "Ursprüngliche Anfrage",
    "Anna Schäfer",
    "anna@example.de",
    "Bauamt",
    "bauamt@example.de",
    datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
    "Bitte um Rückruf.",
)


def _outlook(**changes: object) -> MsgMessage:
    msg = MsgMessage(
        "Bauantrag Müller – Ergänzung",
        "Jürgen Müller",
        "j.mueller@example.de",
        "Bauamt Sontra",
        "bauamt@sontra.invalid",
        datetime(2024, 3, 15, 23, 30, tzinfo=UTC),
        "Sehr geehrte Damen und Herren,\r\nanbei die Unterlagen.\r\nGrüße aus Wehretal",
        [
            MsgAttachment("Grundriss.pdf", PLAN, "application/pdf"),
            MsgAttachment("Anfrage", embedded=INNER),
            MsgAttachment("image001.png", b"\x89PNG", "image/png", hidden=True),
        ],
    )
    for key, value in changes.items():
        setattr(msg, key, value)
    return msg


def test_outlook_msg(run: Run) -> None:
    result = run(build_msg(_outlook()), "Bauantrag.msg")
    assert result.doc_type is DocType.EMAIL
    assert result.mime_type == MIME_MSG
    assert result.title == "Bauantrag Müller – Ergänzung"
    assert result.sender == "Jürgen Müller <j.mueller@example.de>"
    assert result.recipient is not None and "bauamt@sontra.invalid" in result.recipient
    assert result.received_on == date(2024, 3, 16)
    assert "Grüße aus Wehretal" in result.text
    assert result.problems == []
    names = [a.file_name for a in result.attachments]
    assert names == ["Grundriss.pdf", "Anfrage.msg"]  # the hidden inline image is left out
    assert result.attachments[0].data == PLAN
    inner = extract_msg.openMsg(result.attachments[1].data)
    try:
        assert inner.subject == "Ursprüngliche Anfrage"
        assert inner.body == "Bitte um Rückruf."
    finally:
        inner.close()


def test_msg_with_html_body_only(run: Run) -> None:
    msg = _outlook(body="", html=b"<p>Nur <b>HTML</b> hier</p>", attachments=[])
    result = run(build_msg(msg), "x.msg")
    assert "Nur HTML hier" in result.text


def test_msg_without_date(run: Run) -> None:
    result = run(build_msg(_outlook(sent=None)), "x.msg")
    assert result.received_on is None


def test_msg_file_is_closed(put: Callable[[bytes, str], Path]) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc")
    path = put(build_msg(_outlook()), "offen.msg")
    extract(path, "offen.msg")
    open_files = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")}
    assert str(path.resolve()) not in open_files


@pytest.mark.parametrize(
    ("stream", "content"),
    [
        ("__properties_version1.0", b"\x00" * 5),  # shorter than its header
        ("__substg1.0_001A001F", "IPM.Note".encode("utf-16-le")[:-1]),  # odd UTF-16
    ],
)
def test_damaged_msg_is_rejected(
    put: Callable[[bytes, str], Path], stream: str, content: bytes
) -> None:
    storage = message_storage(_outlook(), embedded=False)
    storage[stream] = content
    with pytest.raises(FilingRejectedError) as info:
        extract(put(build_cfb(storage), "x"), "kaputt.msg")
    assert info.value.reason == "mail_corrupt"
    assert "kaputt.msg" in info.value.message


def test_unreadable_compound_file_is_filed_as_other(run: Run) -> None:
    data = bytearray(build_msg(_outlook()))
    data[600:4000] = b"\xff" * 3400  # FAT and directory overwritten
    result = run(bytes(data), "kaputt.msg")
    assert result.doc_type is DocType.OTHER
    assert set(result.problems) == {Problem.NO_PREVIEW, Problem.NO_FULL_TEXT}


def test_other_ole_files_are_not_mail(run: Run) -> None:
    word97 = build_cfb({"WordDocument": b"\x00" * 100, "1Table": b"\x00" * 10})
    result = run(word97, "alt.doc")
    assert (result.doc_type, result.mime_type) == (DocType.OTHER, "application/msword")
    assert set(result.problems) >= {Problem.NO_PREVIEW, Problem.NO_FULL_TEXT}
