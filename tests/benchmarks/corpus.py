"""A deterministic folder of mixed documents as a town hall receives them, for the filing run.

Proportions follow what a Hessian town hall files in a typical week: mostly letters as text
PDFs and scans, then mails (almost always with a PDF attached), photos from site visits and
multi-page faxes, a few office files and plain notes. Every file has unique content, so the
pipeline never short-cuts a file as a duplicate.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sync.demo import samples
from tests.benchmarks.cache import REPO_ROOT, cached_dir, source_digest

#: Share of each kind in the corpus (sums to 1).
MIX: dict[str, float] = {
    "text_pdf": 0.40,
    "scanned_pdf": 0.25,
    "mail": 0.15,
    "photo": 0.07,
    "tiff": 0.03,
    "docx": 0.05,
    "text": 0.05,
}

SUBJECTS = [
    "Bauantrag",
    "Baugenehmigung",
    "Bauvoranfrage",
    "Gewerbeanmeldung",
    "Hundesteuer",
    "Grundsteuerbescheid",
    "Friedhofsgebühren",
    "Straßenbeleuchtung",
    "Kindergartenplatz",
    "Widerspruch",
    "Sondernutzungserlaubnis",
    "Abwassergebühren",
    "Feuerwehreinsatz",
    "Bebauungsplan",
    "Wasserrohrbruch",
    "Haushaltssatzung",
    "Baumfällung",
    "Fundsache",
]
NAMES = [
    "Müller",
    "Schäfer",
    "Weiß",
    "Groß",
    "Köhler",
    "Schröder",
    "Bäcker",
    "Hoffmann",
    "Krüger",
    "Wagner",
    "Jünemann",
    "Döring",
    "Fuchs",
    "Schmidt",
    "Günther",
]
STREETS = [
    "Mühlenweg",
    "Hauptstraße",
    "Kirchstraße",
    "Am Brückentor",
    "Schulstraße",
    "Gartenstraße",
    "Lindenweg",
    "Werrastraße",
    "Am Sälzerturm",
]
TOWNS = [
    "Bad Sooden-Allendorf",
    "Sontra",
    "Waldkappel",
    "Witzenhausen",
    "Meinhard",
    "Berkatal",
    "Herleshausen",
    "Neu-Eichenberg",
    "Ringgau",
    "Wehretal",
    "Weißenborn",
]
SENTENCES = [
    "wir bestätigen den Eingang Ihres Schreibens vom {date} zum {subject} für das Grundstück "
    "{street} {no} in {town}.",
    "Nach Prüfung der eingereichten Unterlagen fehlen noch der Lageplan und die "
    "Baubeschreibung. Bitte reichen Sie diese bis zum {date} nach.",
    "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch beim "
    "Magistrat der Stadt {town} erhoben werden.",
    "Die Gebühr in Höhe von {no},00 EUR ist innerhalb von vierzehn Tagen auf das Konto der "
    "Stadtkasse zu überweisen. Bitte geben Sie das Aktenzeichen {ref} an.",
    "Der Ortstermin in der {street} findet am {date} um 10 Uhr statt; Herr {name} vom Bauamt "
    "nimmt teil.",
    "Die Angelegenheit wurde in der Sitzung des Ausschusses für Bau, Umwelt und Verkehr "
    "beraten und zur Entscheidung an die Stadtverordnetenversammlung verwiesen.",
    "Nach § {no} der Hessischen Bauordnung (HBO) ist das Vorhaben genehmigungsfrei, sofern "
    "die Abstandsflächen eingehalten werden.",
    "Für Rückfragen steht Ihnen Frau {name} unter der Telefonnummer 05542 {no}0 zur Verfügung.",
]


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    kind: str


def _counts(total: int) -> dict[str, int]:
    """Exact per-kind counts by largest remainder, so small corpora keep the mix."""
    raw = {kind: share * total for kind, share in MIX.items()}
    counts = {kind: int(value) for kind, value in raw.items()}
    rest = sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)
    for kind in rest[: total - sum(counts.values())]:
        counts[kind] += 1
    return counts


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def _date(self) -> datetime:
        return datetime(2024, 1, 8, 9, tzinfo=UTC) + timedelta(
            days=self.rng.randrange(700), minutes=self.rng.randrange(600)
        )

    def _fill(self, template: str, n: int) -> str:
        r = self.rng
        return template.format(
            date=self._date().strftime("%d.%m.%Y"),
            subject=r.choice(SUBJECTS),
            street=r.choice(STREETS),
            no=r.randrange(1, 120),
            town=r.choice(TOWNS),
            name=r.choice(NAMES),
            ref=f"{r.choice(['022.1', '621.4', '632.0', '751.2'])}-{n:04d}/2024",
        )

    def paragraphs(self, n: int, count: int) -> list[str]:
        head = self.rng.choice(
            ["Sehr geehrte Damen und Herren,", f"Sehr geehrte Frau {self.rng.choice(NAMES)},"]
        )
        body = [
            " ".join(self._fill(self.rng.choice(SENTENCES), n) for _ in range(3))
            for _ in range(count)
        ]
        return [head, *body, "Mit freundlichen Grüßen", "Ihr Bauamt"]

    def title(self, n: int) -> str:
        r = self.rng
        return f"{r.choice(SUBJECTS)} {r.choice(NAMES)}, {r.choice(STREETS)} {n}"

    # One method per kind: (file name, bytes). ``n`` makes every file's content unique.

    def text_pdf(self, n: int) -> tuple[str, bytes]:
        pages = self.rng.randint(1, 5)
        title = self.title(n)
        data = samples.text_pdf(title, self.paragraphs(n, 3 * pages), pages=pages)
        return f"{n:04d} {title}.pdf", data

    def scanned_pdf(self, n: int) -> tuple[str, bytes]:
        pages = self.rng.randint(1, 3)
        lines = [self.title(n), *self._fill(SENTENCES[0], n).split(", ")]
        # 150 dpi grey JPEG: what the town halls' multifunction printers send by default.
        data = samples.scanned_pdf(lines, pages, seed=n, dpi=150)
        return f"Scan_{20240000 + n}.pdf", data

    def mail(self, n: int) -> tuple[str, bytes]:
        title = self.title(n)
        attachment = samples.text_pdf(title, self.paragraphs(n, 3), pages=self.rng.randint(1, 2))
        name = self.rng.choice(NAMES)
        data = samples.eml_message(
            f"AW: {title}",
            f"{name} <{name.lower().replace('ü', 'ue')}@example.de>",
            "bauamt@witzenhausen.invalid",
            self._date(),
            "\n\n".join(self.paragraphs(n, 1)),
            [(f"Anlage {n}.pdf", attachment)],
        )
        return f"{n:04d} AW {title}.eml", data

    def photo(self, n: int) -> tuple[str, bytes]:
        # Half small (mail attachments, resized), half 8 MP camera originals.
        width, height = self.rng.choice([(1600, 1200), (3264, 2448)])
        data = samples.jpeg_image(width, height, text=f"Ortstermin {n}", seed=n, taken=self._date())
        return f"IMG_{4000 + n}.jpg", data

    def tiff(self, n: int) -> tuple[str, bytes]:
        return f"Fax_{n:04d}.tif", samples.multipage_tiff(self.rng.randint(2, 4), seed=n)

    def docx(self, n: int) -> tuple[str, bytes]:
        title = self.title(n)
        return f"{n:04d} Vermerk {title}.docx", samples.docx(self.paragraphs(n, 4), title=title)

    def text(self, n: int) -> tuple[str, bytes]:
        lines = [f"Telefonnotiz {n}", *self.paragraphs(n, 2)]
        return f"{n:04d} Telefonnotiz.txt", "\n".join(lines).encode()


CORPUS_SOURCES = (
    REPO_ROOT / "tests/benchmarks/corpus.py",
    REPO_ROOT / "sync/demo/samples.py",
    REPO_ROOT / "sync/demo/office_samples.py",
)


def corpus(total: int, seed: int) -> tuple[list[CorpusFile], float | None]:
    """The corpus of ``total`` files, generated once into ``.bench/`` and reused afterwards.
    Returns the files in filing order and the generation time (None if reused)."""
    key = f"corpus-{total}-s{seed}-{source_digest(*CORPUS_SOURCES)}"
    seconds: list[float] = []

    def build(folder: Path) -> None:
        started = time.perf_counter()
        writer = _Writer(seed)
        kinds = [kind for kind, count in _counts(total).items() for _ in range(count)]
        random.Random(seed).shuffle(kinds)
        manifest = []
        for n, kind in enumerate(kinds, start=1):
            make: Callable[[int], tuple[str, bytes]] = getattr(writer, kind)
            name, data = make(n)
            (folder / name).write_bytes(data)
            manifest.append({"name": name, "kind": kind})
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
        seconds.append(time.perf_counter() - started)

    folder, _reused = cached_dir(key, build)
    manifest = json.loads((folder / "manifest.json").read_text())
    files = [CorpusFile(folder / item["name"], item["kind"]) for item in manifest]
    return files, (seconds[0] if seconds else None)
