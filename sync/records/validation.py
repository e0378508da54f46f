"""Validation of clerk-editable fields. Text is stored NFC so that search and sync compare
like with like (macOS and some scanners hand over NFD)."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from sync.errors import ValidationError
from sync.records.model import Disposal

MAX_TITLE = 500

EDITABLE_FIELDS: dict[str, set[str]] = {
    "dossier": {"title", "description", "retention_years", "disposal", "restricted"},
    "case": {"title", "description"},
    "document": {"title", "sender", "recipient", "received_on", "document_date"},
}

LABELS = {
    "title": "Titel",
    "description": "Beschreibung",
    "retention_years": "Aufbewahrungsfrist",
    "disposal": "Aussonderungsart",
    "restricted": "Zugriffsbeschränkung",
    "sender": "Absender",
    "recipient": "Empfänger",
    "received_on": "Posteingangsdatum",
    "document_date": "Dokumentdatum",
}


def clean_text(value: str) -> str:
    text = unicodedata.normalize("NFC", value)
    # Control characters (except newlines and tabs) only ever come from broken sources.
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


def clean_title(value: str) -> str:
    title = " ".join(clean_text(value).split())
    if not title:
        raise ValidationError("Der Titel darf nicht leer sein.")
    if len(title) > MAX_TITLE:
        raise ValidationError(
            f"Der Titel ist {len(title)} Zeichen lang; erlaubt sind höchstens {MAX_TITLE}."
        )
    return title


def validate_field(kind: str, field: str, value: Any) -> Any:
    """Return the cleaned value, or raise ValidationError with a German explanation."""
    if field not in EDITABLE_FIELDS[kind]:
        label = LABELS.get(field, field)
        raise ValidationError(f"Das Feld „{label}“ kann hier nicht geändert werden.")
    label = LABELS[field]
    if field == "title":
        if not isinstance(value, str):
            raise ValidationError("Der Titel muss ein Text sein.")
        return clean_title(value)
    if field in {"received_on", "document_date"}:
        if value is not None and not isinstance(value, date):
            raise ValidationError(f"„{label}“ muss ein Datum sein.")
        if value is not None and not date(1800, 1, 1) <= value <= date(2200, 12, 31):
            raise ValidationError(f"„{label}“ liegt außerhalb des möglichen Zeitraums.")
        return value
    if field == "retention_years":
        if value is not None and (not isinstance(value, int) or not 0 <= value <= 200):
            raise ValidationError("Die Aufbewahrungsfrist muss zwischen 0 und 200 Jahren liegen.")
        return value
    if field == "disposal":
        if value is not None and value not in {d.value for d in Disposal}:
            raise ValidationError("Die Aussonderungsart muss A, B oder V sein.")
        return value
    if field == "restricted":
        if not isinstance(value, bool):
            raise ValidationError("Die Zugriffsbeschränkung ist ja oder nein.")
        return value
    # Free text: sender, recipient, description.
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"„{label}“ muss ein Text sein.")
    cleaned = clean_text(value)
    if len(cleaned) > 10_000:
        raise ValidationError(f"„{label}“ ist zu lang.")
    if field == "description":
        return cleaned
    return cleaned or None
