"""Aktenzeichen (dossier references), numbered per municipality, plan code and year.

The default pattern gives ``022.1-0007/2026``. A municipality may configure another
``str.format`` pattern using ``{plan}``, ``{number}`` and ``{year}``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.errors import ValidationError
from sync.records.model import Dossier, Municipality, ReferenceCounter

DEFAULT_PATTERN = "{plan}-{number:04d}/{year}"


def validate_pattern(pattern: str) -> None:
    try:
        sample = pattern.format(plan="022.1", number=7, year=2026)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(
            f"Das Muster für Aktenzeichen „{pattern}“ ist ungültig. Erlaubt sind die Platzhalter "
            "{plan}, {number} (z. B. {number:04d}) und {year}."
        ) from exc
    if "{number" not in pattern:
        raise ValidationError(
            "Das Muster für Aktenzeichen braucht die laufende Nummer {number}, sonst wären "
            f"Aktenzeichen nicht eindeutig (Beispiel jetzt: „{sample}“)."
        )


def format_reference(pattern: str, plan_code: str, number: int, year: int) -> str:
    return pattern.format(plan=plan_code, number=number, year=year)


def next_reference(
    session: Session, municipality: Municipality, plan_code: str, year: int
) -> tuple[str, int]:
    """Reserve the next free running number and return ``(reference, number)``.

    Numbers are never reused, even if a dossier is deleted; a number that is already taken
    (e.g. a dossier imported with an explicit reference) is skipped.
    """
    counter = session.get(ReferenceCounter, (municipality.id, plan_code, year))
    if counter is None:
        counter = ReferenceCounter(
            municipality_id=municipality.id, plan_code=plan_code, year=year, last_number=0
        )
        session.add(counter)
    while True:
        counter.last_number += 1
        reference = format_reference(
            municipality.reference_pattern, plan_code, counter.last_number, year
        )
        taken = session.scalar(
            select(Dossier.id).where(
                Dossier.municipality_id == municipality.id, Dossier.reference == reference
            )
        )
        if taken is None:
            return reference, counter.last_number


def suggest_reference(
    session: Session, municipality: Municipality, plan_code: str, year: int
) -> str:
    """What :func:`next_reference` would hand out, without reserving it (for dialogs)."""
    counter = session.get(ReferenceCounter, (municipality.id, plan_code, year))
    number = (counter.last_number if counter else 0) + 1
    return format_reference(municipality.reference_pattern, plan_code, number, year)
