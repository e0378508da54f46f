"""An e-mail as the viewer shows it: header fields and the body, read from a filed .eml or
Outlook .msg.

Built on the same defensive parsing as filing (``sync.filing.mail``), so a mail that could
be filed can be shown. Attachments are not read here: filing stored each of them as a
document of its own (``queries.attachments_of``), and the viewer lists those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from sync.errors import FilingRejectedError
from sync.filing.detect import MIME_MSG
from sync.filing.extracted import rejection
from sync.filing.mail import (
    _body_parts,
    _header,
    _one_line,
    _parse_date,
    _received_date,
    _safe,
    _text_content,
)

#: Most characters of a body shown; a longer one is cut with a note.
MAX_BODY_CHARS = 1_000_000


@dataclass(frozen=True)
class MailContent:
    """``text``: the plain-text body ("" if the mail has none); ``html``: the HTML body, if
    the mail has one. Either is cut at ``MAX_BODY_CHARS`` (then ``truncated``)."""

    subject: str | None
    sender: str | None
    to: str | None
    cc: str | None
    date: datetime | None
    text: str
    html: str | None
    truncated: bool = False


def read_mail(path: Path, mime: str, name: str = "") -> MailContent:
    """Read the mail at ``path``. Raises ``FilingRejectedError("mail_corrupt")`` (German
    message) if it cannot be parsed at all."""
    if mime == MIME_MSG:
        return _read_msg(path, name)
    return _read_eml(path, name)


def _capped(text: str) -> tuple[str, bool]:
    return (text, False) if len(text) <= MAX_BODY_CHARS else (text[:MAX_BODY_CHARS], True)


def _read_eml(path: Path, name: str) -> MailContent:
    try:
        with path.open("rb") as fh:
            msg = BytesParser(policy=policy.compat32).parse(fh)
    except Exception as exc:
        raise rejection("mail_corrupt", name) from exc
    if not msg.keys():
        raise rejection("mail_corrupt", name)
    body, html_part = _body_parts(msg)
    plain = _text_content(body) if body is not None and body is not html_part else ""
    text, cut_text = _capped(plain)
    html, cut_html = _capped(_text_content(html_part)) if html_part is not None else (None, False)
    return MailContent(
        subject=_header(msg, "Subject"),
        sender=_header(msg, "From"),
        to=_header(msg, "To"),
        cc=_header(msg, "Cc"),
        date=_parse_date(msg.get("Date")) or _received_date(msg),
        text=text,
        html=html,
        truncated=cut_text or cut_html,
    )


def _read_msg(path: Path, name: str) -> MailContent:
    import extract_msg  # slow to import; see sync.filing.mail
    from extract_msg.enums import ErrorBehavior

    tolerate = (
        ErrorBehavior.ATTACH_SUPPRESS_ALL
        | ErrorBehavior.RTFDE
        | ErrorBehavior.STANDARDS_VIOLATION
        | ErrorBehavior.NAMED_NAME_STREAM
    )
    try:
        msg = extract_msg.openMsg(str(path), strict=False, errorBehavior=tolerate)
    except Exception as exc:
        raise rejection("mail_corrupt", name) from exc
    try:
        return _msg_content(msg)
    except FilingRejectedError:
        raise
    except Exception as exc:
        raise rejection("mail_corrupt", name) from exc
    finally:
        msg.close()


def _msg_content(msg: Any) -> MailContent:
    raw_html = _safe(msg, "htmlBody")
    html, cut_html = (
        _capped(raw_html.decode("utf-8", "replace"))
        if isinstance(raw_html, bytes)
        else (None, False)
    )
    body = _safe(msg, "body")
    text, cut_text = _capped(body if isinstance(body, str) else "")
    sent = _safe(msg, "date")
    if not isinstance(sent, datetime):
        sent = _safe(msg, "receivedTime")
    return MailContent(
        subject=_one_line(_safe(msg, "subject")),
        sender=_one_line(_safe(msg, "sender")),
        to=_one_line(_safe(msg, "to")),
        cc=_one_line(_safe(msg, "cc")),
        date=sent if isinstance(sent, datetime) else None,
        text=text,
        html=html,
        truncated=cut_text or cut_html,
    )
