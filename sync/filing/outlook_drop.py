"""Virtual files dragged from Outlook: the ``FileGroupDescriptorW`` format, parsed without Qt.

Outlook (like Thunderbird's file promises and Explorer inside a ZIP folder) drags items that
are not files on disk. It offers a descriptor -- a count, then one ``FILEDESCRIPTORW`` per
item -- and the bytes of item *i* as ``FileContents`` with index *i*. The legacy ANSI
``FileGroupDescriptor`` is the same with 260 single-byte characters per name.

Layout (little-endian, packed; ``shlobj_core.h``)::

    FILEGROUPDESCRIPTOR  UINT cItems; FILEDESCRIPTOR fgd[cItems]
    FILEDESCRIPTOR       DWORD dwFlags; CLSID clsid (16); SIZEL sizel (8); POINTL pointl (8);
                         DWORD dwFileAttributes; FILETIME ftCreationTime, ftLastAccessTime,
                         ftLastWriteTime (8 each); DWORD nFileSizeHigh, nFileSizeLow;
                         WCHAR cFileName[260]  (CHAR in the ANSI variant)

That is 72 bytes of header plus 520 (wide) or 260 (ANSI) bytes of name per record. Windows
hands the payload over in an HGLOBAL whose size may be rounded up, so bytes after the last
record are normal and ignored; a payload shorter than its count promises is an error.

Qt passes on the contents of index 0 only. A mail dragged out of Outlook usually comes as an
``IStorage`` that Qt cannot read at all, so its contents are empty; those items are fetched
through Outlook's COM interface on Windows (``OutlookSelection``), see ``sources_from_outlook``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from sync.errors import FilingRejectedError
from sync.filing.drop_sources import DroppedBytes, DropSource, OutlookSelection, Unreadable
from sync.filing.names import clean_file_name

WIDE_RECORD = 592
ANSI_RECORD = 332
_HEADER = struct.Struct("<I16s8s8sI8s8s8sII")  # everything up to cFileName: 72 bytes
_NAME_CHARS = 260

FD_ATTRIBUTES = 0x0000_0004
FD_FILESIZE = 0x0000_0040
FILE_ATTRIBUTE_DIRECTORY = 0x0000_0010

REASON = "drop_unreadable"


class DropPayloadError(FilingRejectedError):
    """What another program dragged in cannot be read."""

    title = "Ziehen und Ablegen"

    def __init__(self, message: str) -> None:
        super().__init__(REASON, message)


@dataclass(frozen=True)
class VirtualFile:
    """One item of a descriptor. ``name`` is as the source gave it and may hold a relative
    path (``Ordner\\Brief.pdf``); ``size`` is None when the source did not say."""

    index: int
    name: str
    size: int | None
    is_folder: bool

    @property
    def file_name(self) -> str:
        """The Windows-safe base name the document gets."""
        return clean_file_name(self.name)[0]

    @property
    def is_mail_item(self) -> bool:
        return self.name.casefold().endswith(".msg")


def _unreadable(detail: str) -> DropPayloadError:
    return DropPayloadError(
        f"Die gezogenen Elemente konnten nicht gelesen werden ({detail}). Bitte sie erneut "
        "hineinziehen oder im Mailprogramm zuerst als Datei speichern und die Datei ablegen."
    )


def parse_descriptor(
    payload: bytes, *, wide: bool = True, encoding: str = "cp1252"
) -> list[VirtualFile]:
    """The items of a ``FileGroupDescriptorW`` (``wide``) or ``FileGroupDescriptor`` payload.

    ``encoding`` is the ANSI code page of the sending program (Windows-1252 in Germany).
    Raises ``DropPayloadError`` for a truncated or meaningless payload, never anything else.
    """
    record = WIDE_RECORD if wide else ANSI_RECORD
    if len(payload) < 4:
        raise _unreadable("Beschreibung fehlt oder ist zu kurz")
    (count,) = struct.unpack_from("<I", payload, 0)
    if count == 0:
        raise _unreadable("die Beschreibung nennt keine Elemente")
    if 4 + count * record > len(payload):
        raise _unreadable(
            f"Beschreibung unvollständig: {count} Elemente angekündigt, "
            f"{max(0, (len(payload) - 4) // record)} übertragen"
        )
    items = []
    for index in range(count):
        offset = 4 + index * record
        flags, _clsid, _size, _point, attributes, _c, _a, _w, high, low = _HEADER.unpack_from(
            payload, offset
        )
        raw = payload[offset + _HEADER.size : offset + record]
        text = raw.decode("utf-16-le" if wide else encoding, errors="replace")
        name = text.split("\x00", 1)[0]
        if not name.strip():
            raise _unreadable(f"Element {index + 1} hat keinen Namen")
        items.append(
            VirtualFile(
                index=index,
                name=name,
                size=(high << 32 | low) if flags & FD_FILESIZE else None,
                is_folder=bool(flags & FD_ATTRIBUTES and attributes & FILE_ATTRIBUTE_DIRECTORY),
            )
        )
    return items


def contents_of(item: VirtualFile, data: bytes) -> bytes:
    """The bytes of ``item`` from its ``FileContents``: cut to the announced size (an HGLOBAL
    may be larger than asked for), an error if fewer bytes came than announced."""
    if item.size is None:
        return data
    if len(data) < item.size:
        raise _unreadable(
            f"„{item.file_name}“ kam unvollständig an: {len(data)} von {item.size} Byte"
        )
    return data[: item.size]


def sources_from_outlook(
    descriptor: bytes,
    first_contents: bytes | None,
    *,
    wide: bool = True,
    com_available: bool = False,
) -> list[DropSource]:
    """What to file from a descriptor and the contents of its first item.

    Mails that came without contents, or several of them (Qt passes on only the first
    item's bytes), are fetched from Outlook's selection over COM where that exists. Anything
    else that came without bytes is reported as unreadable, with what to do instead.
    """
    try:
        items = [item for item in parse_descriptor(descriptor, wide=wide) if not item.is_folder]
    except DropPayloadError as exc:
        return [Unreadable("Outlook", exc.message, REASON)]
    if not items:
        return [Unreadable("Outlook", _unreadable("nur Ordner, keine Dateien").message, REASON)]
    have_first = bool(first_contents) and items[0].index == 0
    all_mail = all(item.is_mail_item for item in items)
    if com_available and all_mail and (len(items) > 1 or not have_first):
        return [OutlookSelection(tuple(item.file_name for item in items))]
    sources: list[DropSource] = []
    for item in items:
        if item.index == 0 and have_first and first_contents is not None:
            try:
                sources.append(DroppedBytes(item.name, contents_of(item, first_contents)))
            except DropPayloadError as exc:
                sources.append(Unreadable(item.name, exc.message, REASON))
        elif item.index == 0:
            sources.append(Unreadable(item.name, _no_contents(item), REASON))
        else:
            sources.append(Unreadable(item.name, _only_first(item), REASON))
    return sources


def _no_contents(item: VirtualFile) -> str:
    return (
        f"Das Mailprogramm hat den Inhalt von „{item.file_name}“ nicht übergeben. Bitte das "
        "Element dort zuerst als Datei speichern (Datei → Speichern unter) und die Datei ablegen."
    )


def _only_first(item: VirtualFile) -> str:
    return (
        f"„{item.file_name}“ wurde nicht übernommen: Beim Ziehen mehrerer Elemente wird nur "
        "das erste übergeben. Bitte die übrigen einzeln hineinziehen."
    )
