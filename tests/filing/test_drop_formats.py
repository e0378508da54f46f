"""Thunderbird's drag formats and names for raw mail data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sync.demo import samples
from sync.filing.drop_formats import mail_file_name, parse_moz_file, parse_moz_url

EML_URL = "file:///C:/Users/Sachbearbeitung/AppData/Local/Temp/nsmail-1.eml"


def test_moz_url_in_utf16_as_gecko_sends_it() -> None:
    text = f"{EML_URL}\nAW: Bauantrag Müller\nimap-message://bauamt@imap/INBOX#12\nRückfrage"
    pairs = parse_moz_url(text.encode("utf-16-le"))
    assert pairs == [
        (EML_URL, "AW: Bauantrag Müller"),
        ("imap-message://bauamt@imap/INBOX#12", "Rückfrage"),
    ]


@pytest.mark.parametrize(
    "encoded",
    [
        f"{EML_URL}\r\nBetreff\x00".encode("utf-16-le"),
        f"{EML_URL}\nBetreff".encode("utf-16"),  # with BOM
        f"{EML_URL}\nBetreff".encode(),
    ],
)
def test_moz_url_with_bom_crlf_nul_or_utf8(encoded: bytes) -> None:
    assert parse_moz_url(encoded) == [(EML_URL, "Betreff")]


def test_moz_url_without_title_and_garbage() -> None:
    assert parse_moz_url(EML_URL.encode("utf-16-le")) == [(EML_URL, "")]
    assert parse_moz_url(b"") == []
    assert parse_moz_url(b"\xff\xfe\x00\xd8") == [("\ufffd", "")]


def test_moz_file_paths() -> None:
    data = "C:\\Users\\me\\AppData\\Local\\Temp\\Rechnung März.eml\n".encode("utf-16-le")
    assert parse_moz_file(data) == ["C:\\Users\\me\\AppData\\Local\\Temp\\Rechnung März.eml"]


def _mail(subject: str) -> bytes:
    return samples.eml_message(
        subject, "a@example.de", "b@example.de", datetime(2024, 5, 2, tzinfo=UTC), "Text"
    )


@pytest.mark.parametrize(
    ("subject", "name"),
    [
        ("Bauantrag Müller", "Bauantrag Müller.eml"),
        ("AW: Frage/Antwort <dringend>", "AW_ Frage_Antwort _dringend_.eml"),
        ("", "E-Mail.eml"),
        ("   ", "E-Mail.eml"),
    ],
)
def test_raw_mail_is_named_after_its_subject(subject: str, name: str) -> None:
    assert mail_file_name(_mail(subject)) == name


def test_encoded_and_long_subjects() -> None:
    raw = b"Subject: =?utf-8?q?Stra=C3=9Fenbeleuchtung_Wei=C3=9Fenborn?=\r\n\r\nText"
    assert mail_file_name(raw) == "Straßenbeleuchtung Weißenborn.eml"
    long_name = mail_file_name(_mail("Widerspruch " * 40))
    assert long_name.endswith(".eml") and len(long_name) <= 130
    assert mail_file_name(b"\x00\xff garbage without headers") == "E-Mail.eml"
