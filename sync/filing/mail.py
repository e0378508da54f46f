"""E-mail extraction: RFC 822 (.eml, stdlib ``email``) and Outlook .msg (extract-msg).

Mail is the most malformed input there is: broken encodings, missing dates, unknown
charsets. Every field is read defensively; only a mail that cannot be parsed at all is
rejected ("mail_corrupt").
"""

from __future__ import annotations

import logging
import mimetypes
import re
from datetime import datetime
from email import policy
from email.header import Header, decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sync.filing.detect import MIME_MSG
from sync.filing.extracted import (
    Attachment,
    DocType,
    Extracted,
    Problem,
    cap_text,
    local_date,
    rejection,
)
from sync.filing.names import meaningful_title

log = logging.getLogger("eakte.filing")
# extract-msg logs liberally; without a handler Python would print WARNINGs to stderr.
logging.getLogger("extract_msg").addHandler(logging.NullHandler())

_MAX_HEADER_CHARS = 2_000


def extract_mail(path: Path, name: str, mime: str) -> Extracted:
    if mime == MIME_MSG:
        return _extract_msg(path, name)
    return _extract_eml(path, name, mime)


# --- RFC 822 ---------------------------------------------------------------------------
#
# Parsed with the compat32 policy and decoded here: the modern policy parses every header
# into objects on each access, which made a small mail cost 6 ms instead of 1.5 ms.

_BODY_TYPES = ("text/plain", "text/html")
_MESSAGE_TYPES = ("message/rfc822", "message/global")


def _extract_eml(path: Path, name: str, mime: str) -> Extracted:
    try:
        with path.open("rb") as fh:
            msg = BytesParser(policy=policy.compat32).parse(fh)
    except Exception as exc:
        raise rejection("mail_corrupt", name) from exc
    if not msg.keys():
        raise rejection("mail_corrupt", name)
    result = Extracted(doc_type=DocType.EMAIL, mime_type=mime)
    result.title = meaningful_title(_header(msg, "Subject"))
    result.sender = _header(msg, "From")
    result.recipient = _header(msg, "To")
    sent = _parse_date(msg.get("Date"))
    result.document_date = local_date(sent) if sent else None
    arrived = sent or _received_date(msg)
    result.received_on = local_date(arrived) if arrived else None

    body, html_part = _body_parts(msg)
    html = _text_content(html_part) if html_part is not None else ""
    if body is not None:
        content = _text_content(body) if body is not html_part else html_to_text(html)
        result.text, truncated = cap_text(content.strip())
        if truncated:
            result.add_problem(Problem.TEXT_TRUNCATED)
    if not result.text:
        result.add_problem(Problem.NO_FULL_TEXT)
    _collect_eml_attachments(msg, body, html, result)
    return result


def decode_words(value: object) -> str:
    """Header text with RFC 2047 encoded words decoded; unknown charsets never raise."""
    try:
        chunks = decode_header(value if isinstance(value, Header) else str(value))
    except Exception:
        return str(value)
    out: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        for candidate in (charset, "utf-8", "cp1252"):
            if not candidate or candidate == "unknown-8bit":
                continue
            try:
                out.append(chunk.decode(candidate))
                break
            except (LookupError, UnicodeDecodeError):
                continue
        else:
            out.append(chunk.decode("latin-1"))
    return "".join(out)


def _header(msg: Message, name: str) -> str | None:
    """A header as one line of decoded text; never raises on malformed input."""
    value = msg.get(name)
    if value is None:
        return None
    text = " ".join(decode_words(value).split())[:_MAX_HEADER_CHARS]
    return text or None


def _parse_date(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        return parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _received_date(msg: Message) -> datetime | None:
    """Without a usable Date header, the topmost Received header says when it arrived."""
    for value in msg.get_all("Received") or []:
        moment = _parse_date(str(value).rsplit(";", 1)[-1].strip())
        if moment is not None:
            return moment
    return None


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or _filename(part) is not None


def _body_parts(msg: Message) -> tuple[Message | None, Message | None]:
    """The body to index (plain text preferred) and the HTML body, if there is one.

    The first text part that is not an attachment, outside forwarded messages.
    """
    plain = html = None
    stack = [msg]
    while stack:
        part = stack.pop(0)
        ctype = part.get_content_type()
        if ctype in _MESSAGE_TYPES and part is not msg:
            continue
        if part.is_multipart():
            stack[:0] = _subparts(part)
        elif ctype in _BODY_TYPES and not _is_attachment(part):
            if ctype == "text/plain" and plain is None:
                plain = part
            elif ctype == "text/html" and html is None:
                html = part
    return (plain or html), html


def _text_content(part: Message) -> str:
    """The decoded text of a text part, tolerant of wrong or unknown charsets."""
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        return ""
    for charset in (part.get_content_charset(), "utf-8"):
        if charset:
            try:
                return raw.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    return raw.decode("cp1252", errors="replace")


def _collect_eml_attachments(
    msg: Message, body: Message | None, html: str, result: Extracted
) -> None:
    counter = [0]

    def visit(part: Message) -> None:
        ctype = part.get_content_type()
        if ctype in _MESSAGE_TYPES:
            _attach_nested(part, result, counter)
            return
        if part.is_multipart():
            for sub in _subparts(part):
                visit(sub)
            return
        if part is body:
            return
        filename = _filename(part)
        disposition = part.get_content_disposition()
        if filename is None and disposition != "attachment" and ctype.startswith("text/"):
            return  # an alternative rendering of the body, not a file
        cid = str(part.get("Content-ID") or "").strip("<> ")
        if cid and disposition != "attachment" and f"cid:{cid}" in html:
            return  # an image embedded in the HTML body (logo, signature)
        data = part.get_payload(decode=True)
        counter[0] += 1
        name = filename or f"Anhang {counter[0]}{mimetypes.guess_extension(ctype) or '.bin'}"
        result.attachments.append(
            Attachment(file_name=name, data=data if isinstance(data, bytes) else b"")
        )

    if msg.is_multipart():
        for sub in _subparts(msg):
            visit(sub)


def _subparts(part: Message) -> list[Message]:
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        return None
    if not name:
        return None
    # RFC 2231 is decoded by get_filename; many mailers use RFC 2047 words instead.
    text = " ".join((decode_words(name) if "=?" in name else name).split())
    return text or None


def _attach_nested(part: Message, result: Extracted, counter: list[int]) -> None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, Message):
        result.add_problem(Problem.ATTACHMENT_SKIPPED)
        return
    try:
        data = inner.as_bytes()
    except Exception:
        log.info("forwarded message cannot be serialised", exc_info=True)
        result.add_problem(Problem.ATTACHMENT_SKIPPED)
        return
    counter[0] += 1
    subject = meaningful_title(_header(inner, "Subject"))
    name = _filename(part) or f"{subject or 'Weitergeleitete Nachricht'}.eml"
    result.attachments.append(Attachment(file_name=name, data=data))


# --- Outlook .msg ----------------------------------------------------------------------


def _extract_msg(path: Path, name: str) -> Extracted:
    # Imported here: extract-msg and its dependencies take seconds to import, and most
    # sessions never see a .msg file.
    import extract_msg
    from extract_msg.enums import ErrorBehavior

    tolerate = (
        ErrorBehavior.ATTACH_SUPPRESS_ALL
        | ErrorBehavior.RTFDE
        | ErrorBehavior.STANDARDS_VIOLATION
        | ErrorBehavior.NAMED_NAME_STREAM
    )
    try:
        msg = extract_msg.openMsg(
            str(path), strict=False, delayAttachments=False, errorBehavior=tolerate
        )
    except Exception as exc:
        log.info("Outlook message %r cannot be opened: %s", name, exc)
        raise rejection("mail_corrupt", name) from exc
    try:
        return _read_msg(msg)
    finally:
        msg.close()  # releases the file handle (Windows cannot delete an open file)


def _safe(obj: Any, attribute: str) -> Any:
    try:
        return getattr(obj, attribute, None)
    except Exception:
        log.debug("msg property %s unreadable", attribute, exc_info=True)
        return None


def _one_line(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())[:_MAX_HEADER_CHARS]
    return text or None


def _read_msg(msg: Any) -> Extracted:
    result = Extracted(doc_type=DocType.EMAIL, mime_type=MIME_MSG)
    result.title = meaningful_title(_one_line(_safe(msg, "subject")))
    result.sender = _one_line(_safe(msg, "sender"))
    result.recipient = _one_line(_safe(msg, "to"))
    sent = _safe(msg, "date")
    arrived = sent if isinstance(sent, datetime) else _safe(msg, "receivedTime")
    if isinstance(sent, datetime):
        result.document_date = local_date(sent)
    if isinstance(arrived, datetime):
        result.received_on = local_date(arrived)
    body = _safe(msg, "body")
    if not isinstance(body, str) or not body.strip():
        html = _safe(msg, "htmlBody")
        body = html_to_text(html.decode("utf-8", "replace")) if isinstance(html, bytes) else ""
    result.text, truncated = cap_text(body.strip())
    if truncated:
        result.add_problem(Problem.TEXT_TRUNCATED)
    if not result.text:
        result.add_problem(Problem.NO_FULL_TEXT)
    for index, att in enumerate(_safe(msg, "attachments") or [], start=1):
        _collect_msg_attachment(att, index, result)
    return result


def _collect_msg_attachment(att: Any, index: int, result: Extracted) -> None:
    if _safe(att, "hidden"):
        return  # Outlook hides images that are part of the HTML body
    label = _one_line(_safe(att, "longFilename") or _safe(att, "shortFilename"))
    label = label or _one_line(_safe(att, "displayName"))
    data = _safe(att, "data")
    if isinstance(data, bytes):
        result.attachments.append(Attachment(label or f"Anhang {index}", data))
        return
    if data is not None and hasattr(data, "exportBytes"):
        try:
            exported = data.exportBytes()
        except Exception:
            log.info("embedded message %d cannot be exported", index, exc_info=True)
        else:
            inner = _one_line(_safe(data, "subject")) or f"Nachricht {index}"
            stem = label or inner
            file_name = stem if stem.lower().endswith(".msg") else f"{stem}.msg"
            result.attachments.append(Attachment(file_name, bytes(exported)))
            return
    log.info("attachment %d of type %s skipped", index, _safe(att, "type"))
    result.add_problem(Problem.ATTACHMENT_SKIPPED)


# --- HTML ------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"),
        *("nav", "ol", "p", "pre", "section", "table", "tr", "ul"),
    }
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template"})


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text from an HTML mail body (for the search index, not display)."""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:
        log.debug("HTML body only partly parsed", exc_info=True)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
