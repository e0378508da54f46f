"""Outlook's FileGroupDescriptor(W) payloads, built byte for byte as Windows lays them out."""

from __future__ import annotations

import random
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.filing.drop_sources import DroppedBytes, OutlookSelection, Unreadable
from sync.filing.outlook_drop import (
    ANSI_RECORD,
    WIDE_RECORD,
    DropPayloadError,
    VirtualFile,
    contents_of,
    parse_descriptor,
    sources_from_outlook,
)
from tests.support.msgfile import MsgMessage, build_msg

FD_CLSID = 0x1
FD_SIZEPOINT = 0x2
FD_ATTRIBUTES = 0x4
FD_WRITESTIME = 0x20
FD_FILESIZE = 0x40
FD_PROGRESSUI = 0x4000
FD_UNICODE = 0x8000_0000
FILE_ATTRIBUTE_DIRECTORY = 0x10
FILE_ATTRIBUTE_NORMAL = 0x80
# 2024-03-15 23:30 UTC as a FILETIME (100 ns ticks since 1601).
WRITE_TIME = 133_550_190_000_000_000
OUTLOOK_FLAGS = FD_WRITESTIME | FD_FILESIZE | FD_PROGRESSUI | FD_UNICODE


def record(
    name: str,
    size: int = 0,
    *,
    flags: int = OUTLOOK_FLAGS,
    attributes: int = FILE_ATTRIBUTE_NORMAL,
    wide: bool = True,
    raw_name: bytes | None = None,
) -> bytes:
    """One FILEDESCRIPTOR(W): the fields in declaration order, then cFileName[260]."""
    head = b"".join(
        [
            struct.pack("<I", flags),  # dwFlags
            bytes(16),  # clsid
            struct.pack("<ii", 0, 0),  # sizel
            struct.pack("<ii", 0, 0),  # pointl
            struct.pack("<I", attributes),  # dwFileAttributes
            struct.pack("<Q", 0),  # ftCreationTime
            struct.pack("<Q", 0),  # ftLastAccessTime
            struct.pack("<Q", WRITE_TIME),  # ftLastWriteTime
            struct.pack("<I", size >> 32),  # nFileSizeHigh
            struct.pack("<I", size & 0xFFFF_FFFF),  # nFileSizeLow
        ]
    )
    assert len(head) == 72
    width = 520 if wide else 260
    encoded = raw_name if raw_name is not None else name.encode("utf-16-le" if wide else "cp1252")
    encoded = encoded[:width]
    result = head + encoded + bytes(width - len(encoded))
    assert len(result) == (WIDE_RECORD if wide else ANSI_RECORD)
    return result


def descriptor(*records: bytes, padding: int = 0) -> bytes:
    """cItems, the records, and the slack an HGLOBAL may have at its end."""
    return struct.pack("<I", len(records)) + b"".join(records) + bytes(padding)


MAIL = build_msg(
    MsgMessage(
        "AW: Bauantrag Müller – Ergänzung",
        "Jürgen Müller",
        "j.mueller@example.de",
        "Bauamt Sontra",
        "bauamt@sontra.invalid",
        None,
        "Sehr geehrte Damen und Herren,\r\nanbei die Unterlagen.",
    )
)


def test_one_mail_with_umlauts_and_hglobal_slack() -> None:
    name = "AW Bauantrag Müller – Ergänzung.msg"
    payload = descriptor(record(name, len(MAIL)), padding=12)
    [item] = parse_descriptor(payload)
    assert item == VirtualFile(0, name, len(MAIL), is_folder=False)
    assert item.file_name == name
    # The contents' HGLOBAL is rounded up too: cut to the announced size.
    sources = sources_from_outlook(payload, MAIL + bytes(7))
    assert sources == [DroppedBytes(name, MAIL)]


def test_sizes_above_4_gib_use_the_high_word() -> None:
    [item] = parse_descriptor(descriptor(record("Sicherung.zip", 5 * 1024**3 + 17)))
    assert item.size == 5 * 1024**3 + 17


def test_size_unknown_without_the_flag() -> None:
    [item] = parse_descriptor(descriptor(record("Brief.pdf", 999, flags=FD_PROGRESSUI)))
    assert item.size is None
    assert contents_of(item, b"abc") == b"abc"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("CON.msg", "CON_.msg"),
        ("aux", "aux_"),
        ("LPT1.txt", "LPT1_.txt"),
        ("Ordner\\Unterordner\\Brief.pdf", "Brief.pdf"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("Frage: Termin?.msg", "Frage_ Termin_.msg"),
        ("Ende mit Punkt.", "Ende mit Punkt"),
    ],
)
def test_odd_names_are_read_as_given_and_filed_under_a_safe_name(raw: str, safe: str) -> None:
    [item] = parse_descriptor(descriptor(record(raw, 3)))
    assert item.name == raw
    assert item.file_name == safe


def test_names_of_255_and_more_characters() -> None:
    long_259 = "Ä" * 255 + ".msg"  # 259 WCHARs and the terminating NUL fill the buffer
    unterminated = "x" * 256 + ".pdf"  # 260 WCHARs: no room for a NUL at all
    items = parse_descriptor(descriptor(record(long_259, 1), record(unterminated, 1)))
    assert [item.name for item in items] == [long_259, unterminated]
    for item in items:
        assert len(item.file_name.encode("utf-16-le")) // 2 <= 150
    assert items[0].file_name.endswith(".msg") and items[1].file_name.endswith(".pdf")


def test_a_lone_surrogate_in_a_name_does_not_raise() -> None:
    raw = "Brief".encode("utf-16-le") + b"\x00\xd8" + ".pdf".encode("utf-16-le")
    [item] = parse_descriptor(descriptor(record("", 1, raw_name=raw)))
    assert item.name == "Brief\ufffd.pdf"


def test_legacy_ansi_descriptor_in_windows_1252() -> None:
    payload = descriptor(
        record("Rückmeldung Größe.msg", 10, wide=False), record("Übersicht.pdf", 20, wide=False)
    )
    items = parse_descriptor(payload, wide=False)
    assert [(i.name, i.size) for i in items] == [
        ("Rückmeldung Größe.msg", 10),
        ("Übersicht.pdf", 20),
    ]


def test_folders_are_skipped_and_their_files_keep_their_index() -> None:
    payload = descriptor(
        record("Anlagen", flags=FD_ATTRIBUTES, attributes=FILE_ATTRIBUTE_DIRECTORY),
        record("Anlagen\\Plan.pdf", 4, flags=FD_ATTRIBUTES | FD_FILESIZE),
    )
    items = parse_descriptor(payload)
    assert [i.is_folder for i in items] == [True, False]
    sources = sources_from_outlook(payload, b"%PDF")
    # Index 0 is the folder, so the file's bytes (index 1) never came through Qt.
    assert len(sources) == 1 and isinstance(sources[0], Unreadable)
    assert "nur das erste" in sources[0].message


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"", "zu kurz"),
        (b"\x01\x00\x00", "zu kurz"),
        (struct.pack("<I", 0), "keine Elemente"),
        (descriptor(record("a.msg", 1))[:-1], "unvollständig"),
        (struct.pack("<I", 2) + record("a.msg", 1), "2 Elemente angekündigt, 1 übertragen"),
        (struct.pack("<I", 0xFFFF_FFFF) + record("a.msg", 1), "unvollständig"),
        (descriptor(record("", 1)), "keinen Namen"),
        (descriptor(record("\x00", 1, raw_name=b" \x00 \x00")), "keinen Namen"),
    ],
)
def test_truncated_or_meaningless_payloads_give_a_german_error(payload: bytes, words: str) -> None:
    with pytest.raises(DropPayloadError) as caught:
        parse_descriptor(payload)
    assert words in caught.value.message
    assert caught.value.title == "Ziehen und Ablegen"
    assert "erneut hineinziehen" in caught.value.message
    # The caller that maps descriptors to sources turns it into a reported item.
    [source] = sources_from_outlook(payload, b"data")
    assert isinstance(source, Unreadable) and words in source.message


def test_contents_shorter_than_announced_are_reported() -> None:
    payload = descriptor(record("Plan.pdf", 100))
    [source] = sources_from_outlook(payload, b"%PDF-1.7 too short")
    assert isinstance(source, Unreadable)
    assert "unvollständig" in source.message and "18 von 100 Byte" in source.message


@given(st.binary(max_size=3 * WIDE_RECORD))
def test_garbage_never_raises_anything_but_the_typed_error(payload: bytes) -> None:
    try:
        items = parse_descriptor(payload)
    except DropPayloadError:
        return
    assert items and all(item.name.strip() for item in items)
    assert sources_from_outlook(payload, b"x", com_available=True)


def test_random_records_after_a_valid_count_never_raise() -> None:
    rng = random.Random(4)
    for _ in range(200):
        count = rng.randint(1, 4)
        body = rng.randbytes(rng.randint(0, count * WIDE_RECORD + 8))
        sources = sources_from_outlook(struct.pack("<I", count) + body, rng.randbytes(20))
        assert sources


# --- what to file ------------------------------------------------------------------------


def test_several_mails_come_from_outlook_over_com_where_there_is_com() -> None:
    payload = descriptor(record("Erste.msg", len(MAIL)), record("Zweite.msg", 2000))
    assert sources_from_outlook(payload, MAIL, com_available=True) == [
        OutlookSelection(("Erste.msg", "Zweite.msg"))
    ]


def test_without_com_the_first_is_filed_and_the_others_are_explained() -> None:
    payload = descriptor(record("Erste.msg", len(MAIL)), record("Zweite.msg", 2000))
    first, second = sources_from_outlook(payload, MAIL, com_available=False)
    assert first == DroppedBytes("Erste.msg", MAIL)
    assert isinstance(second, Unreadable) and second.shown == "Zweite.msg"
    assert "einzeln hineinziehen" in second.message


def test_a_mail_without_contents_uses_com_or_says_what_to_do() -> None:
    payload = descriptor(record("Nur Speicher.msg", 4096))
    assert sources_from_outlook(payload, None, com_available=True) == [
        OutlookSelection(("Nur Speicher.msg",))
    ]
    [source] = sources_from_outlook(payload, b"", com_available=False)
    assert isinstance(source, Unreadable)
    assert "Speichern unter" in source.message


def test_attachments_are_never_fetched_over_com() -> None:
    # Dragged out of an open mail: the names are the attachments', not mails.
    payload = descriptor(record("Grundriss.pdf", 4), record("Foto.jpg", 3))
    first, second = sources_from_outlook(payload, b"%PDF", com_available=True)
    assert first == DroppedBytes("Grundriss.pdf", b"%PDF")
    assert isinstance(second, Unreadable)
