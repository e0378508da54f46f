"""The demo documents: letters, scans, e-mails, photos, faxes and office files as bytes.

Each maker turns a filing place (a case or dossier and what it is about) into a file name and
its content, using the sample generators of ``sync.demo.samples`` and the words of
``sync.demo.vocabulary``. All randomness comes from the caller's seeded ``random.Random``.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sync.demo import samples
from sync.demo import vocabulary as vocab
from sync.records.model import Municipality

LAST_DAY = date(2026, 10, 31)  # no demo record is dated later than this
SCAN_DPI = 100  # small grey scans keep the demo fast; there is no OCR anyway


@dataclass(frozen=True)
class Place:
    """A filing target (case or dossier) and what its documents are about."""

    target_id: str
    code: str
    reference: str
    dossier_title: str
    case_title: str | None
    opened_on: date

    @property
    def subject(self) -> str:
        return f"{self.dossier_title}: {self.case_title}" if self.case_title else self.dossier_title


class Words:
    """Fills vocabulary templates with random (seeded) names, streets and dates."""

    def __init__(self, rng: random.Random, municipality: Municipality) -> None:
        self.rng = rng
        self.slug = municipality.slug
        official = self.official = municipality.name
        self.short_name = official.removeprefix("Gemeinde ").removeprefix("Stadt ")
        # Hessian usage: a town is run by its Magistrat, a municipality by its Gemeindevorstand.
        town = official.startswith("Stadt ")
        self.board = f"{'Magistrat' if town else 'Gemeindevorstand'} der {official}"
        parliament = "Stadtverordnetenversammlung" if town else "Gemeindevertretung"
        self.council = f"die Mitglieder der {parliament}"
        self.districts = vocab.DISTRICTS.get(self.slug, (self.short_name,))

    def pick(self, options: tuple[str, ...]) -> str:
        return options[self.rng.randrange(len(options))]

    def person(self) -> tuple[str, str]:
        """(first name, last name)."""
        names = vocab.FEMALE_FIRST_NAMES if self.rng.random() < 0.5 else vocab.MALE_FIRST_NAMES
        return self.pick(names), self.pick(vocab.LAST_NAMES)

    def day_after(self, start: date, max_days: int) -> date:
        return min(start + timedelta(days=self.rng.randrange(max_days + 1)), LAST_DAY)

    def fill(self, template: str, *, year: int, on: date, **extra: object) -> str:
        first, last = self.person()
        fields: dict[str, object] = {
            "street": self.pick(vocab.STREETS),
            "no": self.rng.randint(1, 48),
            "district": self.pick(self.districts),
            "area": self.pick(vocab.AREAS),
            "year": year,
            "next_year": year + 1,
            "prev_year": year - 1,
            "first": first,
            "last": last,
            "small": self.rng.randint(1, 24),
            "parcel": self.rng.randint(100, 9999),
            "month": vocab.MONTHS[on.month - 1],
            "day": on.day,
            "date": german(self.day_after(on, 40)),
            "deadline": german(on + timedelta(days=self.rng.choice((14, 21, 28)))),
            "amount": f"{self.rng.randint(300, 250_000):,}".replace(",", "."),
            "municipality": self.short_name,
            "subject": "",
            "reference": "",
        }
        fields.update(extra)
        return template.format(**fields)


def german(day: date) -> str:
    return day.strftime("%d.%m.%Y")


class Made(NamedTuple):
    """A demo file: its name, its bytes and the day it came in (Posteingang)."""

    file_name: str
    data: bytes
    received_on: date


# The built-in PDF font is Latin-1 only; typographic quotes and dashes would print as "?".
_LATIN1 = str.maketrans({"„": '"', "“": '"', "”": '"', "–": "-", "€": "EUR"})
_UNSAFE_NAME = str.maketrans({c: " " for c in '<>:"/\\|?*„“'})
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})


def _latin1(text: str) -> str:
    return text.translate(_LATIN1)


def _file_name(stem: str, ext: str, limit: int = 80) -> str:
    """A Windows-safe name, cut at a word boundary (Explorer shows long names badly)."""
    name = " ".join(stem.translate(_UNSAFE_NAME).split())
    if len(name) > limit:
        name = name[:limit].rsplit(" ", 1)[0].rstrip(" ,.")
    return name + ext


def _moment(day: date, rng: random.Random) -> datetime:
    clock = time(rng.randint(7, 16), rng.randint(0, 59), rng.randint(0, 59))
    return datetime.combine(day, clock, tzinfo=UTC)


def _arrival(w: Words, written: date) -> date:
    """Post takes a day or three; the Posteingang is never before the letter."""
    return w.day_after(written, 3)


@dataclass(frozen=True)
class Letter:
    kind: str
    on: date
    author: str  # the person who signs
    sender: str  # letterhead: the person, firm, authority or the municipality itself
    lines: list[str]  # paragraphs, letterhead to signature

    @property
    def title(self) -> str:
        """Document titles as a registry writes them: kind and sender."""
        return f"{self.kind} {self.sender}"


def _letter(w: Words, p: Place) -> Letter:
    kind, writers, body = w.rng.choice(vocab.LETTERS)
    on = w.day_after(p.opened_on, 60)
    first, last = w.person()
    town, addressee = w.pick(w.districts), w.board
    signer = f"i. A. {first} {last}"
    writer = w.rng.choice(writers)
    if writer == "c":  # a citizen
        sender = signer = f"{first} {last}"
    elif writer == "f":  # a firm in the area
        sender = w.pick(vocab.COMPANIES)
    elif writer == "a":  # an authority
        sender, town = vocab.AUTHORITIES[w.rng.randrange(len(vocab.AUTHORITIES))]
    else:  # the municipality writing to its council
        sender, town, addressee = w.board, w.short_name, w.council
    extra = w.rng.sample(vocab.SENTENCES, k=w.rng.randint(1, 3))
    lines = [
        f"{sender}\n{w.pick(vocab.STREETS)} {w.rng.randint(1, 48)}, {town}",
        f"An {addressee}" if writer == "m" else f"An den {addressee}",
        f"{town}, den {german(on)}",
        f"Betreff: {kind}: {p.subject}\nAktenzeichen: {p.reference}",
        "Sehr geehrte Damen und Herren,",
        *(
            w.fill(t, year=on.year, on=on, subject=p.subject, reference=p.reference)
            for t in (*body, *extra)
        ),
        f"Mit freundlichen Grüßen\n\n{signer}",
    ]
    return Letter(kind, on, f"{first} {last}", sender, lines)


def _letter_bytes(letter: Letter, rng: random.Random) -> bytes:
    return samples.text_pdf(
        _latin1(letter.title),
        [_latin1(line) for line in letter.lines],
        created=_moment(letter.on, rng),
    )


def letter_pdf(w: Words, p: Place) -> Made:
    letter = _letter(w, p)
    name = _file_name(f"{letter.on:%Y-%m-%d} {letter.title}", ".pdf")
    return Made(name, _letter_bytes(letter, w.rng), _arrival(w, letter.on))


def scan(w: Words, p: Place) -> Made:
    letter = _letter(w, p)
    lines = [row for line in letter.lines for part in line.split("\n") for row in _wrap(part)]
    data = samples.scanned_pdf(
        lines, pages=w.rng.randint(1, 2), seed=w.rng.randrange(1 << 30), dpi=SCAN_DPI
    )
    received = _arrival(w, letter.on)
    # Named like a network scanner names its files: date and time of the scan.
    return Made(f"Scan_{_moment(received, w.rng):%Y%m%d_%H%M%S}.pdf", data, received)


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, 72) or [""]


def mail(w: Words, p: Place) -> Made:
    letter = _letter(w, p)
    first, last = letter.author.split(maxsplit=1)
    address = f"{first.lower().translate(_ASCII)}.{last.lower().translate(_ASCII)}@example.org"
    attachments = [(_file_name(letter.title, ".pdf"), _letter_bytes(letter, w.rng))]
    if w.rng.random() < 0.25:
        caption = w.fill(w.pick(vocab.PHOTO_CAPTIONS), year=letter.on.year, on=letter.on)
        photo = samples.jpeg_image(
            640, 480, text=caption, seed=w.rng.randrange(1 << 30), taken=None, quality=70
        )
        attachments.append((f"Foto {letter.on:%d.%m.%Y}.jpg", photo))
    body = (
        "Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie das Schreiben zum Vorgang "
        f"„{p.subject}“ (Aktenzeichen {p.reference}).\n\n"
        + "\n".join(letter.lines[5:-1])
        + f"\n\nMit freundlichen Grüßen\n{letter.author}\n{letter.sender}\n"
    )
    subject = f"{letter.kind}: {p.case_title or p.dossier_title} (Az. {p.reference})"
    data = samples.eml_message(
        subject,
        f"{letter.author} <{address}>",
        f"{w.official} <poststelle@{w.slug}.example>",
        _moment(letter.on, w.rng),
        body,
        attachments,
    )
    return Made(_file_name(subject, ".eml"), data, letter.on)


def photo(w: Words, p: Place) -> Made:
    on = w.day_after(p.opened_on, 60)
    caption = w.fill(w.pick(vocab.PHOTO_CAPTIONS), year=on.year, on=on)
    taken = _moment(on, w.rng)
    data = samples.jpeg_image(800, 600, text=caption, seed=w.rng.randrange(1 << 30), taken=taken)
    return Made(f"IMG_{taken:%Y%m%d_%H%M%S}.jpg", data, on)


def tiff(w: Words, p: Place) -> Made:
    on = w.day_after(p.opened_on, 60)
    data = samples.multipage_tiff(w.rng.randint(2, 3), seed=w.rng.randrange(1 << 30))
    return Made(f"Fax_{on:%Y-%m-%d}.tif", data, on)


def _paragraphs(w: Words, on: date, heading: str) -> list[str]:
    sentences = w.rng.sample(vocab.SENTENCES, k=w.rng.randint(3, 5))
    return [heading, *(w.fill(s, year=on.year, on=on) for s in sentences)]


def docx(w: Words, p: Place) -> Made:
    on = w.day_after(p.opened_on, 60)
    heading = (
        f"Beschlussvorschlag: Die Gemeindevertretung stimmt der Maßnahme „{p.subject}“ "
        f"(Aktenzeichen {p.reference}) zu und stellt die erforderlichen Mittel bereit."
    )
    data = samples.docx(
        _paragraphs(w, on, heading),
        title=f"Beschlussvorlage {p.dossier_title}",
        created=_moment(on, w.rng),
    )
    return Made(_file_name(f"Beschlussvorlage {p.dossier_title}", ".docx"), data, on)


def odt(w: Words, p: Place) -> Made:
    on = w.day_after(p.opened_on, 60)
    heading = f"Protokoll des Ortstermins am {german(on)} zum Vorgang „{p.subject}“."
    data = samples.odt(
        _paragraphs(w, on, heading), title=f"Protokoll {german(on)}", created=_moment(on, w.rng)
    )
    return Made(f"Protokoll Ortstermin {on:%Y-%m-%d}.odt", data, on)


def xlsx(w: Words, p: Place) -> Made:
    """A cost estimate for building matters, a list of participants for everything else."""
    on = w.day_after(p.opened_on, 60)
    rows: list[list[str | int | float]]
    if p.code[0] in "67":
        title = f"Kostenschätzung {p.dossier_title}"
        rows = [["Position", "Menge", "Einheit", "Preis EUR", "Summe EUR"]]
        for item, unit in vocab.COST_ITEMS:
            amount, price = w.rng.randint(1, 400), round(w.rng.uniform(8, 2500), 2)
            rows.append([item, amount, unit, price, round(amount * price, 2)])
    else:
        title = f"Teilnehmerliste {german(on)}"
        rows = [["Name", "Vorname", "Ortsteil", "Anwesend"]]
        for _ in range(w.rng.randint(5, 15)):
            first, last = w.person()
            rows.append([last, first, w.pick(w.districts), w.pick(("ja", "ja", "nein"))])
    data = samples.xlsx(rows, sheet_name="Tabelle1", title=title, created=_moment(on, w.rng))
    return Made(_file_name(title, ".xlsx"), data, on)


def note(w: Words, p: Place) -> Made:
    on = w.day_after(p.opened_on, 60)
    template = w.pick(vocab.PHONE_NOTES)
    text = w.fill(template, year=on.year, on=on, date=german(on), subject=p.subject)
    return Made(f"{text.split(maxsplit=1)[0]} {on:%Y-%m-%d}.txt", text.encode("utf-8"), on)


MAKERS: dict[str, Callable[[Words, Place], Made]] = {
    "letter": letter_pdf,
    "scan": scan,
    "mail": mail,
    "photo": photo,
    "note": note,
    "docx": docx,
    "tiff": tiff,
    "odt": odt,
    "xlsx": xlsx,
}
