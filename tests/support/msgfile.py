"""Outlook .msg files for tests, written from scratch.

extract-msg can only read, and no package on PyPI ships sample .msg files we may copy, so
this module writes them: a minimal Compound File Binary writer ([MS-CFB], version 3,
512-byte sectors, mini stream for small streams) and the property layout of an Outlook
message ([MS-OXMSG]: property streams, recipients, attachments, embedded messages).

It is written against the specifications, not against extract-msg, so reading these files
with extract-msg is a real test of both sides. It supports what tests need: up to 109 FAT
sectors (about 7 MB) and no DIFAT chain.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime

# --- Compound File Binary -------------------------------------------------------------

_SECTOR = 512
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096
_FREESECT = 0xFFFFFFFF
_ENDOFCHAIN = 0xFFFFFFFE
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF

#: A storage is a dict of name → bytes (stream) or dict (sub-storage).
Storage = dict[str, "bytes | Storage"]


@dataclass
class _Node:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Node] = field(default_factory=list)
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    start: int = _ENDOFCHAIN
    sid: int = 0


def _cfb_key(name: str) -> tuple[int, str]:
    # Directory siblings are ordered by name length first, then by upper-cased name.
    return len(name.encode("utf-16-le")), name.upper()


def _build_nodes(storage: Storage, parent: _Node, nodes: list[_Node]) -> None:
    for name, value in storage.items():
        if len(name) > 31:
            raise ValueError(f"CFB names are at most 31 characters: {name!r}")
        if isinstance(value, dict):
            node = _Node(name, 1)
            nodes.append(node)
            _build_nodes(value, node, nodes)
        else:
            node = _Node(name, 2, bytes(value))
            nodes.append(node)
        parent.children.append(node)


def _balanced(siblings: list[_Node]) -> int:
    """Link sorted siblings into a balanced binary tree (all black); return its root sid."""
    if not siblings:
        return _NOSTREAM
    mid = len(siblings) // 2
    root = siblings[mid]
    root.left = _balanced(siblings[:mid])
    root.right = _balanced(siblings[mid + 1 :])
    return root.sid


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else _ENDOFCHAIN


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\x00" * (-len(data) % size)


def _dir_entry(node: _Node, size: int) -> bytes:
    encoded = (node.name + "\x00").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        node.kind,
        1,  # black
        node.left,
        node.right,
        node.child,
        b"\x00" * 16,  # CLSID
        0,  # state bits
        0,  # creation time
        0,  # modification time
        node.start,
        size,
    )


def build_cfb(storage: Storage) -> bytes:
    """A compound file whose root storage holds ``storage``."""
    root = _Node("Root Entry", 5)
    nodes = [root]
    _build_nodes(storage, root, nodes)
    for sid, node in enumerate(nodes):
        node.sid = sid
    for node in nodes:
        if node.kind != 2:
            node.child = _balanced(sorted(node.children, key=lambda n: _cfb_key(n.name)))

    mini = bytearray()
    minifat: list[int] = []
    big: list[_Node] = []
    for node in nodes:
        if node.kind != 2:
            continue
        if len(node.data) >= _MINI_CUTOFF:
            big.append(node)
        elif node.data:
            node.start = len(mini) // _MINI_SECTOR
            count = -(-len(node.data) // _MINI_SECTOR)
            minifat.extend([0] * count)
            _chain(minifat, node.start, count)
            mini += _pad(node.data, _MINI_SECTOR)

    dir_sectors = -(-len(nodes) * 128 // _SECTOR)
    minifat_sectors = -(-len(minifat) * 4 // _SECTOR)
    mini_sectors = -(-len(mini) // _SECTOR)
    big_sectors = [-(-len(n.data) // _SECTOR) for n in big]
    payload = dir_sectors + minifat_sectors + mini_sectors + sum(big_sectors)
    fat_sectors = 1
    while fat_sectors * (_SECTOR // 4) < payload + fat_sectors:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("file too large for this simple writer")

    fat = [_FREESECT] * (fat_sectors * _SECTOR // 4)
    for i in range(fat_sectors):
        fat[i] = _FATSECT
    cursor = fat_sectors
    dir_start = cursor
    _chain(fat, cursor, dir_sectors)
    cursor += dir_sectors
    minifat_start = cursor if minifat_sectors else _ENDOFCHAIN
    _chain(fat, cursor, minifat_sectors)
    cursor += minifat_sectors
    root.start = cursor if mini_sectors else _ENDOFCHAIN
    _chain(fat, cursor, mini_sectors)
    cursor += mini_sectors
    for node, count in zip(big, big_sectors, strict=True):
        node.start = cursor
        _chain(fat, cursor, count)
        cursor += count

    directory = b"".join(
        _dir_entry(node, len(mini) if node.kind == 5 else len(node.data) if node.kind == 2 else 0)
        for node in nodes
    )
    empty = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, *[_NOSTREAM] * 3, b"", 0, 0, 0, 0, 0)
    directory += empty * (dir_sectors * 4 - len(nodes))
    difat = list(range(fat_sectors)) + [_FREESECT] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # little endian
        9,  # sector shift
        6,  # mini sector shift
        b"\x00" * 6,
        0,  # directory sectors (always 0 in version 3)
        fat_sectors,
        dir_start,
        0,  # transaction signature
        _MINI_CUTOFF,
        minifat_start,
        minifat_sectors,
        _ENDOFCHAIN,  # no DIFAT sectors
        0,
    ) + struct.pack("<109I", *difat)
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    body += _pad(struct.pack(f"<{len(minifat)}I", *minifat), _SECTOR) if minifat else b""
    body += _pad(bytes(mini), _SECTOR)
    body += b"".join(_pad(n.data, _SECTOR) for n in big)
    return header + body


# --- Outlook message ------------------------------------------------------------------

PT_LONG = 0x0003
PT_BOOLEAN = 0x000B
PT_OBJECT = 0x000D
PT_UNICODE = 0x001F
PT_SYSTIME = 0x0040
PT_BINARY = 0x0102
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


@dataclass
class MsgAttachment:
    file_name: str
    data: bytes = b""
    mime_type: str = "application/octet-stream"
    embedded: MsgMessage | None = None  # an attached Outlook item instead of a file
    hidden: bool = False  # Outlook hides images that belong to the HTML body


@dataclass
class MsgMessage:
    subject: str
    sender_name: str
    sender_email: str
    to_name: str
    to_email: str
    sent: datetime | None
    body: str
    attachments: list[MsgAttachment] = field(default_factory=list)
    html: bytes | None = None
    message_class: str = "IPM.Note"


def _filetime(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - _FILETIME_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


_Props = list[tuple[int, int, object]]  # (property id, type, value)


def _property_storage(props: _Props, header: bytes) -> Storage:
    """The ``__properties_version1.0`` stream plus one stream per variable-size value."""
    storage: Storage = {}
    entries = bytearray(header)
    for prop_id, prop_type, value in props:
        tag = (prop_id << 16) | prop_type
        if prop_type == PT_UNICODE:
            assert isinstance(value, str)
            data = value.encode("utf-16-le")
            storage[f"__substg1.0_{tag:08X}"] = data
            entries += struct.pack("<IIII", tag, 6, len(data) + 2, 0)
        elif prop_type == PT_BINARY:
            assert isinstance(value, bytes)
            storage[f"__substg1.0_{tag:08X}"] = value
            entries += struct.pack("<IIII", tag, 6, len(value), 0)
        elif prop_type == PT_OBJECT:
            assert isinstance(value, dict)
            storage[f"__substg1.0_{tag:08X}"] = value
            entries += struct.pack("<IIII", tag, 6, 0xFFFFFFFF, 0)
        elif prop_type == PT_SYSTIME:
            assert isinstance(value, datetime)
            entries += struct.pack("<IIQ", tag, 6, _filetime(value))
        else:  # PT_LONG, PT_BOOLEAN: inline
            assert isinstance(value, int)
            entries += struct.pack("<IIQ", tag, 6, value)
    storage["__properties_version1.0"] = bytes(entries)
    return storage


def message_storage(msg: MsgMessage, *, embedded: bool) -> Storage:
    props: _Props = [
        (0x001A, PT_UNICODE, msg.message_class),
        (0x0037, PT_UNICODE, msg.subject),
        (0x0C1A, PT_UNICODE, msg.sender_name),
        (0x0C1F, PT_UNICODE, msg.sender_email),
        (0x5D01, PT_UNICODE, msg.sender_email),
        (0x0E04, PT_UNICODE, msg.to_name),
        (0x0E07, PT_LONG, 1),  # MSGFLAG_READ; not MSGFLAG_UNSENT, so it counts as sent
        (0x1000, PT_UNICODE, msg.body),
        (0x340D, PT_LONG, 0x00040000),  # STORE_UNICODE_OK: strings are UTF-16
        (0x3FFD, PT_LONG, 65001),  # message code page: UTF-8
    ]
    if msg.sent is not None:
        props += [(0x0039, PT_SYSTIME, msg.sent), (0x0E06, PT_SYSTIME, msg.sent)]
    if msg.html is not None:
        props.append((0x1013, PT_BINARY, msg.html))
    counts = struct.pack("<IIII", 1, len(msg.attachments), 1, len(msg.attachments))
    header = b"\x00" * 8 + counts + (b"" if embedded else b"\x00" * 8)
    storage = _property_storage(props, header)
    storage["__recip_version1.0_#00000000"] = _property_storage(
        [
            (0x0C15, PT_LONG, 1),  # MAPI_TO
            (0x3000, PT_LONG, 0),  # row id
            (0x3001, PT_UNICODE, msg.to_name),
            (0x3002, PT_UNICODE, "SMTP"),
            (0x3003, PT_UNICODE, msg.to_email),
            (0x39FE, PT_UNICODE, msg.to_email),
        ],
        b"\x00" * 8,
    )
    for index, att in enumerate(msg.attachments):
        storage[f"__attach_version1.0_#{index:08X}"] = _attachment_storage(att, index)
    if not embedded:
        storage["__nameid_version1.0"] = {
            "__substg1.0_00020102": b"",
            "__substg1.0_00030102": b"",
            "__substg1.0_00040102": b"",
        }
    return storage


def _attachment_storage(att: MsgAttachment, index: int) -> Storage:
    ext = "." + att.file_name.rsplit(".", 1)[-1] if "." in att.file_name else ""
    props: _Props = [
        (0x0E21, PT_LONG, index),  # attach number
        (0x3001, PT_UNICODE, att.file_name),  # display name
        (0x3703, PT_UNICODE, ext),
        (0x3704, PT_UNICODE, att.file_name[:12]),  # 8.3 name, roughly
        (0x3707, PT_UNICODE, att.file_name),
        (0x370B, PT_LONG, 0xFFFFFFFF),  # rendering position: none
    ]
    if att.embedded is not None:
        props.append((0x3705, PT_LONG, 5))  # ATTACH_EMBEDDED_MSG
        props.append((0x3701, PT_OBJECT, message_storage(att.embedded, embedded=True)))
    else:
        props.append((0x3705, PT_LONG, 1))  # ATTACH_BY_VALUE
        props.append((0x3701, PT_BINARY, att.data))
        props.append((0x370E, PT_UNICODE, att.mime_type))
    if att.hidden:
        props.append((0x7FFE, PT_BOOLEAN, 1))
    return _property_storage(props, b"\x00" * 8)


def build_msg(msg: MsgMessage) -> bytes:
    """The bytes of an Outlook .msg file for ``msg``."""
    return build_cfb(message_storage(msg, embedded=False))
