"""Deterministic demo data: a municipality, the demo file plan, dossiers, cases and documents.

Every document goes through the real filing pipeline (``Filer.file_bytes``), so the demo
exercises detection, extraction, thumbnails, the search index and the journal exactly like a
clerk's drag and drop. The content depends only on ``seed``: dates and years are drawn from
it (2024-2026), never from the clock. Record ids (UUIDs) and timestamps are not content.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.demo import vocabulary as vocab
from sync.demo.documents import MAKERS, Place, Words
from sync.errors import ValidationError
from sync.filing.pipeline import Filer
from sync.records import operations as ops
from sync.records.model import Case, Document, Dossier, FilePlan, Municipality, PlanUnit
from sync.store.database import Store
from sync.store.paths import resources_dir

log = logging.getLogger("eakte.demo")

ACTOR = "demo"
YEARS = (2024, 2025, 2026)
# How often each kind of document appears (relative weights).
KIND_WEIGHTS: dict[str, int] = {
    "letter": 38,
    "scan": 17,
    "mail": 15,
    "photo": 7,
    "note": 7,
    "docx": 6,
    "tiff": 4,
    "odt": 3,
    "xlsx": 3,
}


class Filed(NamedTuple):
    document_id: str
    place: Place
    received_on: date


def load_municipalities() -> list[dict[str, str]]:
    """The eleven municipalities from ``resources/municipalities.json``."""
    path = resources_dir() / "municipalities.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return list(data["municipalities"])


def load_demo_plan() -> dict[str, Any]:
    path = resources_dir() / "demo" / "aktenplan.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def generate_demo_store(
    store: Store,
    *,
    dossiers: int,
    documents: int,
    seed: int,
    municipality_slug: str = "meinhard",
) -> str:
    """Fill ``store`` with demo records and return a one-line German summary.

    Creates the municipality and the demo file plan if missing, then ``dossiers`` dossiers with
    1-4 cases each and ``documents`` filed files (e-mail attachments come on top).
    """
    if dossiers < 1 or documents < 0:
        raise ValidationError("Es braucht mindestens eine Akte und keine negative Dokumentzahl.")
    rng = random.Random(seed)
    with store.write() as session:
        municipality = ensure_municipality(session, municipality_slug)
        plan, leaves = ensure_demo_plan(session, municipality)
        words = Words(rng, municipality)
        places = _create_dossiers(session, leaves, dossiers, words)
        name, unit_count = municipality.name, len(plan.units)
    case_places = [p for p in places if p.case_title is not None]
    dossier_places = [p for p in places if p.case_title is None]
    filer = Filer(store, actor=ACTOR)
    filed: list[Filed] = []
    counts: Counter[str] = Counter()
    for kind in _document_kinds(documents, rng):
        place = _pick_place(case_places, dossier_places, rng)
        made = MAKERS[kind](words, place)
        outcome = filer.file_bytes(made.data, made.file_name, place.target_id)
        counts[outcome.status] += 1
        counts["attachments"] += len(outcome.attachment_ids)
        if outcome.document_id and outcome.status == "filed":
            filed.append(Filed(outcome.document_id, place, made.received_on))
        elif outcome.status == "rejected":
            log.warning("demo document %s rejected: %s", made.file_name, outcome.message)
    tags, notes, closed = _decorate(store, places, filed, words)
    restricted = sum(1 for p in dossier_places if p.code in vocab.RESTRICTED_CODES)
    summary = (
        f"Demodaten für {name} (Seed {seed}): Aktenplan mit {unit_count} Einheiten, "
        f"{_n(dossiers, 'Akte', 'Akten')} ({restricted} beschränkt), "
        f"{_n(len(case_places), 'Vorgang', 'Vorgänge')} ({closed} zdA), "
        f"{_n(counts['filed'], 'Dokument', 'Dokumente')} abgelegt "
        f"(+{_n(counts['attachments'], 'E-Mail-Anhang', 'E-Mail-Anhänge')}), "
        f"{_n(tags, 'Schlagwort-Zuordnung', 'Schlagwort-Zuordnungen')}, "
        f"{_n(notes, 'Notiz', 'Notizen')}"
    )
    extra = [f"{counts[s]} {label}" for s, label in _ODD_OUTCOMES if counts[s]]
    return summary + (f"; {', '.join(extra)}." if extra else ".")


_ODD_OUTCOMES = (("duplicate", "Duplikate"), ("rejected", "abgelehnt"))


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# -- municipality and plan -----------------------------------------------------------------


def ensure_municipality(session: Session, slug: str) -> Municipality:
    existing = session.scalars(select(Municipality)).all()
    if existing:
        # A client store belongs to exactly one municipality; never mix a second one in.
        if existing[0].slug != slug or len(existing) > 1:
            raise ValidationError(
                f"Dieser Datenbestand gehört bereits zu {existing[0].name}. Demodaten für "
                f"„{slug}“ bitte in einem eigenen Ordner anlegen."
            )
        return existing[0]
    known = {m["slug"]: m for m in load_municipalities()}
    if slug not in known:
        raise ValidationError(
            f"„{slug}“ ist keine der elf Kommunen. Bekannt sind: {', '.join(sorted(known))}."
        )
    return ops.create_municipality(session, slug, known[slug]["name"])


def ensure_demo_plan(
    session: Session, municipality: Municipality
) -> tuple[FilePlan, list[PlanUnit]]:
    """The municipality's demo file plan (created from the resource if missing) and its
    leaf units in code order."""
    plan = session.scalar(
        select(FilePlan).where(
            FilePlan.municipality_id == municipality.id,
            FilePlan.is_demo.is_(True),
            FilePlan.deleted_at.is_(None),
        )
    )
    if plan is None:
        spec = load_demo_plan()
        plan = ops.create_file_plan(session, municipality, spec["title"], is_demo=True)
        for node in spec["units"]:
            _add_units(session, plan, node, None)
    units = list(
        session.scalars(
            select(PlanUnit).where(PlanUnit.file_plan_id == plan.id, PlanUnit.deleted_at.is_(None))
        )
    )
    parents = {u.parent_id for u in units}
    leaves = sorted((u for u in units if u.id not in parents), key=lambda u: u.code)
    return plan, leaves


def _add_units(
    session: Session, plan: FilePlan, node: dict[str, Any], parent: PlanUnit | None
) -> None:
    unit = ops.add_plan_unit(
        session,
        plan,
        node["code"],
        node["title"],
        parent=parent,
        retention_years=node.get("retention_years"),
        disposal=node.get("disposal"),
    )
    for child in node.get("children", ()):
        _add_units(session, plan, child, unit)


# -- dossiers and cases --------------------------------------------------------------------


def _create_dossiers(
    session: Session, leaves: list[PlanUnit], count: int, words: Words
) -> list[Place]:
    """``count`` dossiers with 1-4 cases each. Returns one place per dossier (documents
    filed directly into it) followed by one per case."""
    rng = words.rng
    by_code = {u.code: u for u in leaves}
    themed = [c for c in vocab.DOSSIER_TITLES if c in by_code]
    codes = [c for c in vocab.SHOWCASE_CODES if c in by_code][:count]
    codes += [rng.choice(themed or sorted(by_code)) for _ in range(count - len(codes))]
    places: list[Place] = []
    titles: set[str] = set()
    for code in codes:
        unit = by_code[code]
        year = rng.choice(YEARS)
        opened = words.day_after(date(year, 1, 2), 300)
        templates = vocab.DOSSIER_TITLES.get(code, (unit.title + " {year}",))
        for _ in range(5):  # two dossiers with the same title would confuse, so redraw
            title = words.fill(words.pick(templates), year=year, on=opened)
            if title not in titles:
                break
        titles.add(title)
        dossier = ops.create_dossier(
            session,
            unit,
            title,
            actor=ACTOR,
            year=year,
            opened_on=opened,
            restricted=code in vocab.RESTRICTED_CODES,
        )
        places.append(Place(dossier.id, code, dossier.reference, title, None, opened))
        options = vocab.CASE_TITLES.get(code, vocab.DEFAULT_CASE_TITLES)
        for template in rng.sample(options, k=min(len(options), rng.randint(1, 4))):
            case_opened = words.day_after(opened, 30)
            case_title = words.fill(template, year=year, on=case_opened)
            case = ops.create_case(session, dossier, case_title, actor=ACTOR, opened_on=case_opened)
            places.append(Place(case.id, code, dossier.reference, title, case_title, case_opened))
    return places


def _pick_place(cases: list[Place], dossiers: list[Place], rng: random.Random) -> Place:
    """Mostly a case; now and then the dossier itself (loose papers without a Vorgang)."""
    if cases and rng.random() < 0.88:
        return cases[rng.randrange(len(cases))]
    return dossiers[rng.randrange(len(dossiers))]


def _document_kinds(count: int, rng: random.Random) -> list[str]:
    """One of each kind first (so small demos show every type), the rest by weight."""
    kinds = list(KIND_WEIGHTS)[:count]
    kinds += rng.choices(
        list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=count - len(kinds)
    )
    rng.shuffle(kinds)
    return kinds


# -- tags, notes, zdA ----------------------------------------------------------------------


def _decorate(
    store: Store, places: list[Place], filed: list[Filed], w: Words
) -> tuple[int, int, int]:
    """What a clerk does after filing: correct the Posteingangsdatum to the date on the
    entry stamp (the pipeline assumes "today" for anything but mails), tag and annotate some
    records, and close one case that holds documents (zdA).
    Returns (tag assignments, notes, closed cases)."""
    rng = w.rng
    tags = notes = 0
    with store.write() as session:
        for item in filed:
            document = session.get_one(Document, item.document_id)
            if document.doc_type != "email" and document.received_on != item.received_on:
                ops.update_fields(session, document, {"received_on": item.received_on}, actor=ACTOR)
            roll = rng.random()
            if roll < 0.15:
                for name in rng.sample(vocab.TAGS, k=rng.randint(1, 2)):
                    ops.add_tag(session, document, name, actor=ACTOR)
                    tags += 1
            elif roll < 0.18:
                ops.add_note(session, document, _note_text(w, item.place), actor=ACTOR)
                notes += 1
        for place in places:
            if rng.random() < 0.25:
                target: Dossier | Case = (
                    session.get_one(Case, place.target_id)
                    if place.case_title
                    else session.get_one(Dossier, place.target_id)
                )
                ops.add_note(session, target, _note_text(w, place), actor=ACTOR)
                notes += 1
        with_documents = [f.place for f in filed if f.place.case_title is not None]
        candidates = with_documents or [p for p in places if p.case_title is not None]
        ops.close(session, session.get_one(Case, candidates[0].target_id), actor=ACTOR)
    return tags, notes, 1


def _note_text(w: Words, place: Place) -> str:
    return w.fill(w.pick(vocab.NOTES), year=place.opened_on.year, on=place.opened_on)
