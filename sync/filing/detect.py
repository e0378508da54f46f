"""Content type detection by sniffing bytes, never by file name extension.

Clerks rename files, scanners write ".tmp", e-mail programs lose extensions; the only
trustworthy source is the content. The one heuristic is the text decision at the end.
"""

from __future__ import annotations

import codecs
import logging
import re
import zipfile
from pathlib import Path

import olefile  # type: ignore[import-untyped]

from sync.filing.extracted import DocType

log = logging.getLogger("eakte.filing")

SNIFF_BYTES = 64 * 1024
_MAX_ZIP_ENTRIES = 100_000

MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MIME_ODT = "application/vnd.oasis.opendocument.text"
MIME_ODS = "application/vnd.oasis.opendocument.spreadsheet"
MIME_ODP = "application/vnd.oasis.opendocument.presentation"
MIME_MSG = "application/vnd.ms-outlook"
MIME_EML = "message/rfc822"
#: An Office document saved with a password: an OLE2 file around the encrypted package.
MIME_OFFICE_ENCRYPTED = "application/x-ms-office-encrypted"
MIME_OCTET = "application/octet-stream"

OFFICE_TEXT_MIMES = frozenset({MIME_DOCX, MIME_XLSX, MIME_PPTX, MIME_ODT, MIME_ODS, MIME_ODP})
_ODF_MIMES = {
    MIME_ODT,
    MIME_ODS,
    MIME_ODP,
    "application/vnd.oasis.opendocument.graphics",
    "application/vnd.oasis.opendocument.text-template",
    "application/vnd.oasis.opendocument.spreadsheet-template",
}
_OOXML_FOLDERS = (("word/", MIME_DOCX), ("xl/", MIME_XLSX), ("ppt/", MIME_PPTX))

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_BMP_DIB_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})
_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")
_MIME_SHAPE = re.compile(r"[a-z]+/[a-z0-9][\w.+-]*")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Header names that (almost) only appear at the top of an RFC 822 message.
_MAIL_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "date",
        "subject",
        "received",
        "mime-version",
        "message-id",
        "return-path",
        "delivered-to",
        "content-type",
        "reply-to",
        "x-mailer",
        "user-agent",
    }
)
_MAIL_ANCHORS = frozenset({"from", "received", "mime-version", "message-id", "return-path"})
_HEADER_LINE = re.compile(rb"^([!-9;-~]+):[ \t]?")


def detect(path: Path) -> tuple[DocType, str]:
    """The document type and MIME type of the file at ``path``, judged by content."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head.startswith(b"%PDF-") or _pdf_after_junk(head):
        return DocType.PDF, "application/pdf"
    for magic, mime in _IMAGE_MAGIC:
        if head.startswith(magic):
            return DocType.IMAGE, mime
    if _is_bmp(head):
        return DocType.IMAGE, "image/bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return DocType.IMAGE, "image/webp"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _detect_zip(path, head)
    if head.startswith(_OLE_MAGIC):
        return _detect_ole(path)
    if _looks_like_mail(head):
        return DocType.EMAIL, MIME_EML
    charset = text_charset(head, complete=len(head) < SNIFF_BYTES)
    if charset is not None:
        return DocType.TEXT, f"text/plain; charset={charset}"
    return DocType.OTHER, MIME_OCTET


def _pdf_after_junk(head: bytes) -> bool:
    """Readers accept up to 1 KB of junk before the PDF header (mail gateways, broken
    downloads). A text that merely mentions "%PDF-1.4" must not count, so the sniffed
    block must also contain PDF objects, and a mail stays a mail."""
    return (
        _PDF_HEADER.search(head[:1024]) is not None
        and b"endobj" in head
        and not _looks_like_mail(head)
    )


def _is_bmp(head: bytes) -> bool:
    # "BM" alone is too weak (a text file may start with it): check reserved and DIB size.
    if len(head) < 18 or not head.startswith(b"BM"):
        return False
    reserved = head[6:10]
    dib_size = int.from_bytes(head[14:18], "little")
    return reserved == b"\x00\x00\x00\x00" and dib_size in _BMP_DIB_SIZES


def _detect_zip(path: Path, head: bytes) -> tuple[DocType, str]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > _MAX_ZIP_ENTRIES:
                return DocType.OTHER, "application/zip"
            names = {info.filename for info in infos}
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size <= 200:
                    mime = zf.read(info).decode("ascii", "replace").strip()
                    if mime in _ODF_MIMES:
                        return DocType.OFFICE, mime
                    if _MIME_SHAPE.fullmatch(mime):  # EPUB and other ODF-style packages
                        return DocType.OTHER, mime
            if "[Content_Types].xml" in names:
                for folder, mime in _OOXML_FOLDERS:
                    if any(n.startswith(folder) for n in names):
                        return DocType.OFFICE, mime
            return DocType.OTHER, "application/zip"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return _detect_broken_zip(head)


def _detect_broken_zip(head: bytes) -> tuple[DocType, str]:
    """A zip whose directory is unreadable (often a cut-off download).

    If the local headers show an Office document, report it as such so the office
    extractor rejects it with a helpful message; otherwise it is just an opaque file.
    """
    first_name = head[30 : 30 + int.from_bytes(head[26:28], "little")]
    if first_name == b"mimetype":
        mime = head[38:100].split(b"PK", 1)[0].decode("ascii", "replace").strip()
        for known in _ODF_MIMES:
            if mime.startswith(known):
                return DocType.OFFICE, known
    if first_name in (b"[Content_Types].xml", b"_rels/.rels") or b"[Content_Types].xml" in head:
        for folder, mime in _OOXML_FOLDERS:
            if folder.encode() in head:  # a local header name such as "word/document.xml"
                return DocType.OFFICE, mime
    return DocType.OTHER, "application/zip"


def _detect_ole(path: Path) -> tuple[DocType, str]:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            top = {entry[0].lower() for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # olefile raises assorted errors on damaged files
        log.info("OLE2 container could not be read", exc_info=True)
        return DocType.OTHER, "application/x-ole-storage"
    if "__properties_version1.0" in top and any(n.startswith("__substg1.0_") for n in top):
        return DocType.EMAIL, MIME_MSG
    if "encryptedpackage" in top and "encryptioninfo" in top:
        return DocType.OFFICE, MIME_OFFICE_ENCRYPTED
    if "worddocument" in top:
        return DocType.OTHER, "application/msword"
    if "workbook" in top or "book" in top:
        return DocType.OTHER, "application/vnd.ms-excel"
    if "powerpoint document" in top:
        return DocType.OTHER, "application/vnd.ms-powerpoint"
    return DocType.OTHER, "application/x-ole-storage"


def _looks_like_mail(head: bytes) -> bool:
    """An RFC 822 header block: only header lines up to the first empty line."""
    lines = head.lstrip(b"\r\n").split(b"\n")
    if lines and lines[0].startswith(b"From "):  # mbox separator line
        lines = lines[1:]
    names: set[str] = set()
    for raw in lines[:500]:
        line = raw.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            if not names:
                return False
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        names.add(match.group(1).decode("ascii").lower())
    else:
        # No blank line within the sniffed block: only plausible if the block is full.
        if len(head) < SNIFF_BYTES:
            return False
    known = names & _MAIL_HEADERS
    return len(known) >= 2 and bool(names & _MAIL_ANCHORS)


# C0 controls that do not occur in text files (tab, LF, FF, CR and the DOS EOF are fine).
_BAD_CONTROLS = bytes(b for b in range(0x20) if b not in b"\t\n\r\f\x1a")


def text_charset(data: bytes, *, complete: bool) -> str | None:
    """The charset ``data`` is plain text in, or ``None`` if it does not look like text.

    ``complete`` says whether ``data`` is the whole file: if not, a multi-byte sequence
    cut at the end is not held against it.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            codecs.getincrementaldecoder("utf-16")().decode(data, final=complete)
        except UnicodeDecodeError:
            return None
        return "utf-16"
    if b"\x00" in data:
        return None
    if _too_many_controls(data):
        return None
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=complete)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    # Legacy Windows text: only if high bytes are the exception (umlauts), not the rule.
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if high > len(data) // 4 + 8:
        return None
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "windows-1252"


_HIGH_BYTES = bytes(range(0x80, 0x100))


def _too_many_controls(data: bytes) -> bool:
    controls = len(data) - len(data.translate(None, _BAD_CONTROLS))
    return controls > max(2, len(data) // 200)
