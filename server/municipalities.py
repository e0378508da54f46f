"""The eleven municipalities, seeded from ``resources/municipalities.json``."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.tables import Municipality
from server.errors import ApiError

DEFAULT_REFERENCE_PATTERN = "{plan}-{number:04d}/{year}"
# Stable ids: the same slug gets the same id on every installation and in every test.
_NAMESPACE = uuid.UUID("5b2d4a8e-7f0e-4b8a-9a53-6e0a3f1c2d11")


def resources_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "resources"


def municipality_id(slug: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, slug))


def load_file(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or resources_dir() / "municipalities.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["municipalities"])


def seed(session: Session, path: Path | None = None) -> int:
    """Add the municipalities that are missing; returns how many were added."""
    existing = set(session.scalars(select(Municipality.slug)))
    added = 0
    for entry in load_file(path):
        if entry["slug"] in existing:
            continue
        session.add(
            Municipality(
                id=municipality_id(entry["slug"]),
                slug=entry["slug"],
                name=entry["name"],
                reference_pattern=entry.get("reference_pattern", DEFAULT_REFERENCE_PATTERN),
                change_seq=0,
                audit_seq=0,
                audit_head="0" * 64,
            )
        )
        added += 1
    return added


def by_slug(session: Session, slug: str) -> Municipality:
    row = session.scalars(select(Municipality).where(Municipality.slug == slug)).first()
    if row is None:
        raise ApiError(
            404,
            "unknown_municipality",
            "Kommune unbekannt",
            f"Die Kommune „{slug}“ ist auf diesem Server nicht eingerichtet.",
        )
    return row
