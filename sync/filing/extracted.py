"""What the content stage of the filing pipeline found out about a document.

This is the contract between the extractors (``sync.filing.extract``) and the pipeline
orchestrator: plain data, no I/O. German texts here are shown to the clerk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sync.errors import FilingRejectedError

#: Upper bound for extracted full text (characters). Beyond it the text is cut and
#: ``Problem.TEXT_TRUNCATED`` is reported; the search index does not need more.
MAX_TEXT_CHARS = 2_000_000

#: Thumbnail bounding box in pixels (portrait A4 at 200 px wide is about 283 px high).
THUMB_WIDTH = 200
THUMB_MAX_HEIGHT = 400


class DocType(StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    EMAIL = "email"
    OFFICE = "office"
    TEXT = "text"
    OTHER = "other"


class Problem(StrEnum):
    """Something a filed document lacks or that the clerk should know about."""

    NO_FULL_TEXT = "no_full_text"
    NO_PREVIEW = "no_preview"
    ENCRYPTED = "encrypted"
    REPAIRED = "repaired"
    TEXT_TRUNCATED = "text_truncated"
    NAME_CHANGED = "name_changed"
    ATTACHMENT_SKIPPED = "attachment_skipped"


_PROBLEM_MESSAGES: dict[Problem, str] = {
    Problem.NO_FULL_TEXT: (
        "Das Dokument hat keinen durchsuchbaren Text (z. B. ein Scan ohne Texterkennung oder "
        "ein Foto). Es ist abgelegt, sein Inhalt wird aber von der Volltextsuche nicht erfasst."
    ),
    Problem.NO_PREVIEW: (
        "Für dieses Dokument gibt es keine Vorschau. "
        "Die Datei ist unverändert abgelegt und lässt sich mit dem passenden Programm öffnen."
    ),
    Problem.ENCRYPTED: (
        "Das Dokument ist verschlüsselt (mit einem Kennwort geschützt). Es ist abgelegt, kann "
        "aber ohne Kennwort weder angezeigt noch durchsucht werden. Bitte beim Absender eine "
        "ungeschützte Fassung anfordern."
    ),
    Problem.REPAIRED: (
        "Die Datei war beschädigt und wurde beim Einlesen repariert. "
        "Bitte prüfen, ob der Inhalt vollständig ist."
    ),
    Problem.TEXT_TRUNCATED: (
        "Das Dokument enthält sehr viel Text; nur der Anfang wurde in die Volltextsuche "
        "übernommen. Die Datei selbst ist vollständig abgelegt."
    ),
    Problem.NAME_CHANGED: (
        "Der Dateiname enthielt Zeichen oder Namen, die unter Windows nicht erlaubt sind, "
        "und wurde angepasst."
    ),
    Problem.ATTACHMENT_SKIPPED: (
        "Mindestens ein Anhang der Nachricht konnte nicht übernommen werden. "
        "Die Nachricht selbst ist vollständig abgelegt."
    ),
}


_PROBLEM_LABELS: dict[Problem, str] = {
    Problem.NO_FULL_TEXT: "kein Volltext",
    Problem.NO_PREVIEW: "keine Vorschau",
    Problem.ENCRYPTED: "verschlüsselt",
    Problem.REPAIRED: "repariert",
    Problem.TEXT_TRUNCATED: "Text gekürzt",
    Problem.NAME_CHANGED: "Name angepasst",
    Problem.ATTACHMENT_SKIPPED: "Anhang fehlt",
}


def problem_label(code: str) -> str:
    """A short German label for a stored problem code (lists, badges); unknown codes as is."""
    try:
        return _PROBLEM_LABELS[Problem(code)]
    except ValueError:
        return code


def problem_message(problem: Problem) -> str:
    """The German explanation of ``problem`` for the clerk."""
    return _PROBLEM_MESSAGES[problem]


@dataclass(frozen=True)
class Attachment:
    """A file found inside a document (e-mail attachment).

    ``file_name`` is the name as the sender gave it: untrusted, so run it through
    ``sync.filing.names.clean_file_name`` like any other name before storing it.
    """

    file_name: str
    data: bytes


@dataclass
class Extracted:
    doc_type: DocType
    mime_type: str
    title: str | None = None
    sender: str | None = None
    recipient: str | None = None
    received_on: date | None = None
    document_date: date | None = None
    page_count: int | None = None
    text: str = ""
    thumbnail_png: bytes | None = None
    problems: list[Problem] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def add_problem(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def cap_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters, and whether it was cut."""
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    # Do not leave half a surrogate pair behind (text from lenient decoders may hold one).
    if cut and "\ud800" <= cut[-1] <= "\udbff":
        cut = cut[:-1]
    return cut, True


#: The municipalities' time zone: dates shown to the clerk are local dates there.
LOCAL_TZ = ZoneInfo("Europe/Berlin")


def local_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in Germany; a naive ``moment`` is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ).date()


_REJECT_MESSAGES: dict[str, str] = {
    "pdf_corrupt": (
        "Die PDF-Datei „{name}“ ist beschädigt und lässt sich nicht öffnen. "
        "Bitte die Datei neu scannen oder beim Absender neu anfordern."
    ),
    "image_corrupt": (
        "Die Bilddatei „{name}“ ist beschädigt oder unvollständig. "
        "Bitte das Bild neu scannen oder beim Absender neu anfordern."
    ),
    "image_bomb": (
        "Die Bilddatei „{name}“ ist mit über {limit} Megapixeln zu groß, um sie sicher "
        "zu verarbeiten. Bitte das Bild verkleinern (z. B. mit 300 dpi neu scannen) "
        "und erneut ablegen."
    ),
    "mail_corrupt": (
        "Die E-Mail „{name}“ ist beschädigt und lässt sich nicht lesen. "
        "Bitte die Nachricht im E-Mail-Programm erneut speichern und noch einmal ablegen."
    ),
    "office_corrupt": (
        "Die Office-Datei „{name}“ ist beschädigt oder unvollständig. "
        "Bitte die Datei in Word, Excel bzw. LibreOffice öffnen, neu speichern und erneut "
        "ablegen, oder beim Absender neu anfordern."
    ),
    "unreadable": (
        "Die Datei „{name}“ konnte nicht verarbeitet werden. "
        "Bitte die Datei prüfen und erneut ablegen; bleibt der Fehler, bitte die IT "
        "verständigen."
    ),
}


def rejection(reason: str, name: str, **details: object) -> FilingRejectedError:
    """A ``FilingRejectedError`` with the standard German message for ``reason``."""
    template = _REJECT_MESSAGES.get(reason, _REJECT_MESSAGES["unreadable"])
    return FilingRejectedError(reason, template.format(name=name, **details))
