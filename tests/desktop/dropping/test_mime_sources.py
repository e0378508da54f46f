"""Which drag data becomes what to file: priorities, Windows spellings, foreign ids."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl

from desktop.dropping.mime_sources import (
    INTERNAL_MIME,
    document_ids,
    internal_payload,
    offers_files,
    read_sources,
)
from sync.filing.drop_sources import DroppedBytes, DroppedPaths, Unreadable

EML = b"From: a@example.de\r\nSubject: Anfrage\r\n\r\nText"


def test_thunderbird_offers_three_formats_and_the_file_wins(tmp_path: Path) -> None:
    eml = tmp_path / "nsmail.eml"
    mime = QMimeData()
    mime.setUrls([QUrl("mailbox-message:///C:/Profile/Mail/Inbox?number=7")])
    url = QUrl.fromLocalFile(str(eml)).toString()
    mime.setData("text/x-moz-url", f"{url}\nAnfrage".encode("utf-16-le"))
    mime.setData("message/rfc822", EML)
    assert read_sources(mime, outlook_com=False) == [DroppedPaths((eml,))]


def test_raw_mail_when_no_file_is_offered() -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("imap-message://bauamt@imap/INBOX#3")])
    mime.setData("message/rfc822", EML)
    assert read_sources(mime, outlook_com=False) == [DroppedBytes("Anfrage.eml", EML)]


def test_only_links_are_explained() -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://www.example.de/antrag.pdf")])
    assert not offers_files(mime)
    [source] = read_sources(mime, outlook_com=False)
    assert isinstance(source, Unreadable)
    assert source.shown == "https://www.example.de/antrag.pdf"
    assert "keine Datei auf diesem Rechner" in source.message


def test_moz_file_under_its_windows_spelling(tmp_path: Path) -> None:
    path = tmp_path / "Rechnung März.eml"
    mime = QMimeData()
    mime.setData(
        'application/x-qt-windows-mime;value="application/x-moz-file"',
        str(path).encode("utf-16-le"),
    )
    assert offers_files(mime)
    assert read_sources(mime, outlook_com=False) == [DroppedPaths((path,))]


def test_ids_of_another_store_are_not_a_move(tmp_path: Path) -> None:
    copy = tmp_path / "Bescheid.pdf"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(copy))])
    mime.setData(INTERNAL_MIME, internal_payload("other-store", ["doc-1"]))
    assert document_ids(mime, "this-store") is None
    assert document_ids(mime, "other-store") == ["doc-1"]
    assert read_sources(mime, outlook_com=False) == [DroppedPaths((copy,))]
    mime.setData(INTERNAL_MIME, b"{not json")
    assert document_ids(mime, "other-store") is None
