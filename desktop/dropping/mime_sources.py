"""Drag data (``QMimeData``) in, plain drop sources (``sync.filing.drop_sources``) out.

Runs on the GUI thread while the drop event lasts: the data belongs to the dragging program
and is gone afterwards. Nothing here touches the disk; folders are expanded by the worker.

Qt on Windows shows clipboard formats it has no name for as
``application/x-qt-windows-mime;value="<format>"``; formats named like MIME types
(``text/x-moz-url``, ``message/rfc822``) keep their name. Both spellings are accepted.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QMimeData, QUrl

from sync.filing.drop_formats import mail_file_name, parse_moz_file, parse_moz_url
from sync.filing.drop_sources import DroppedBytes, DroppedPaths, DropSource, Unreadable
from sync.filing.outlook_drop import REASON, sources_from_outlook

log = logging.getLogger("eakte.desktop.dropping")

#: Documents dragged inside the app (JSON: store id and document ids), for moves.
INTERNAL_MIME = "application/x-eakte-document-ids"
WINDOWS_MIME = 'application/x-qt-windows-mime;value="{}"'
MOZ_URL = "text/x-moz-url"
MOZ_FILE = "application/x-moz-file"
RFC822 = "message/rfc822"
DESCRIPTOR_WIDE = "FileGroupDescriptorW"
DESCRIPTOR_ANSI = "FileGroupDescriptor"
CONTENTS = "FileContents"


def _format(mime: QMimeData, name: str) -> str | None:
    """The format under which ``mime`` offers ``name``, in either spelling."""
    if mime.hasFormat(name):
        return name
    wrapped = WINDOWS_MIME.format(name).casefold()
    return next((f for f in mime.formats() if f.casefold() == wrapped), None)


def _data(mime: QMimeData, name: str) -> bytes | None:
    found = _format(mime, name)
    if found is None:
        return None
    return bytes(mime.data(found).data())


def document_ids(mime: QMimeData, store_id: str) -> list[str] | None:
    """Ids of documents dragged inside the app on the same store, else None (a drag from
    another instance on another store is filed like any file)."""
    if not mime.hasFormat(INTERNAL_MIME):
        return None
    try:
        payload = json.loads(bytes(mime.data(INTERNAL_MIME).data()))
        if payload["store"] != store_id:
            return None
        ids = [str(doc_id) for doc_id in payload["ids"]]
    except (ValueError, KeyError, TypeError):
        log.debug("ignored malformed internal drag data")  # asked on every mouse move
        return None
    return ids or None


def internal_payload(store_id: str, ids: list[str]) -> QByteArray:
    return QByteArray(json.dumps({"store": store_id, "ids": ids}).encode())


def offers_files(mime: QMimeData) -> bool:
    """Whether the drag may carry something to file. Cheap: it reads no file contents, since
    it runs on every mouse move (Outlook would produce the mail each time)."""
    if any(url.isLocalFile() for url in mime.urls()):
        return True
    return any(
        _format(mime, name) is not None
        for name in (MOZ_URL, MOZ_FILE, DESCRIPTOR_WIDE, DESCRIPTOR_ANSI, RFC822)
    )


def read_sources(mime: QMimeData, *, outlook_com: bool) -> list[DropSource]:
    """What to file from a drop.

    The first kind of data that holds something to file wins, so one message that
    Thunderbird offers in three formats is filed once: files on disk, Thunderbird's URLs,
    virtual files (Outlook), raw mail data. Only when none holds anything to file are the
    reasons why reported (a link to a mail on an IMAP server, say).
    """
    unreadable: list[DropSource] = []
    for reader in (_from_urls, _from_moz_url, _from_moz_file, _from_descriptor, _from_mail):
        sources = reader(mime, outlook_com)
        if any(not isinstance(source, Unreadable) for source in sources):
            return sources
        unreadable = unreadable or sources
    return unreadable


def _from_urls(mime: QMimeData, _com: bool) -> list[DropSource]:
    return _sources_for([url for url in mime.urls() if not url.isEmpty()])


def _from_moz_url(mime: QMimeData, _com: bool) -> list[DropSource]:
    data = _data(mime, MOZ_URL)
    if not data:
        return []
    return _sources_for([QUrl(url) for url, _title in parse_moz_url(data)])


def _from_moz_file(mime: QMimeData, _com: bool) -> list[DropSource]:
    data = _data(mime, MOZ_FILE)
    if not data:
        return []
    entries = parse_moz_file(data)
    return _sources_for([QUrl(e) if "://" in e else QUrl.fromLocalFile(e) for e in entries])


def _from_descriptor(mime: QMimeData, outlook_com: bool) -> list[DropSource]:
    descriptor = _data(mime, DESCRIPTOR_WIDE)
    wide = descriptor is not None
    if descriptor is None:
        descriptor = _data(mime, DESCRIPTOR_ANSI)
    if descriptor is None:
        return []
    contents = _data(mime, CONTENTS)
    return sources_from_outlook(descriptor, contents, wide=wide, com_available=outlook_com)


def _from_mail(mime: QMimeData, _com: bool) -> list[DropSource]:
    mail = _data(mime, RFC822)
    return [DroppedBytes(mail_file_name(mail), mail)] if mail else []


def _sources_for(urls: list[QUrl]) -> list[DropSource]:
    local = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    sources: list[DropSource] = [DroppedPaths(tuple(local))] if local else []
    for url in urls:
        if not url.isLocalFile():
            shown = url.toDisplayString()
            sources.append(Unreadable(shown, _not_a_file(shown), REASON))
    return sources


def _not_a_file(shown: str) -> str:
    return QCoreApplication.translate(
        "DropSources",
        "„{shown}“ ist keine Datei auf diesem Rechner und kann nicht abgelegt werden. Bitte "
        "das Element zuerst als Datei speichern (bei E-Mails: Speichern unter) und die Datei "
        "hineinziehen.",
    ).format(shown=shown)
