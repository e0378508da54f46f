"""Numbers that must stay unique locally while the server hands them out: Aktenzeichen of
dossiers (per municipality) and version numbers (per document).

Two PCs offline can number alike. The server decides (``reference_taken``, a parallel version
numbered after the highest); here the local side gives way before a page of the changes feed
is applied, so the store's unique constraints never block a sync.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.engine.chunks import chunks
from sync.protocol.records import Record
from sync.records.model import (
    Dossier,
    Event,
    Municipality,
    PlanUnit,
    SyncProblem,
    Version,
    utcnow,
)
from sync.records.references import next_reference

log = logging.getLogger("eakte.sync.apply")


def free_references(
    session: Session,
    municipality_id: str,
    dossiers: list[Record],
    pending: Mapping[str, set[str]],
) -> list[tuple[str, str]]:
    """Aktenzeichen are unique per municipality (and locally enforced), but two PCs offline
    can hand out the same one. A local dossier the server does not know yet gives way: it gets
    the next free number (returned: renumbered after the page is applied) before its create
    is sent. Two dossiers the server holds under one
    reference (both pushed at once) keep the incoming one apart by its id, and the clerk is
    told, so the Registratur can renumber one."""
    wanted = {str(r.fields["reference"]): r for r in dossiers}
    ids = {r.id for r in dossiers}
    renumber: list[tuple[str, str]] = []  # (dossier id, its reference before)
    for chunk in chunks(list(wanted)):
        clashes = session.scalars(
            select(Dossier).where(
                Dossier.municipality_id == municipality_id, Dossier.reference.in_(chunk)
            )
        ).all()
        for local in clashes:
            incoming = wanted[local.reference]
            if local.id == incoming.id:
                continue
            if local.id in ids and "reference" not in pending.get(local.id, set()):
                # It gets its own new reference in this page: out of the way until then.
                local.reference = f"~{local.id}"
                session.flush()
                continue
            if local.server_version is None:
                # Renumbered once the page is in, so the new number misses the page's too.
                renumber.append((local.id, local.reference))
                local.reference = f"~{local.id}"
                session.flush()
            else:
                unique = f"{incoming.fields['reference']} ({incoming.id[:8]})"
                incoming.fields["reference"] = unique
                session.add(
                    SyncProblem(
                        entity_kind="dossier",
                        entity_id=incoming.id,
                        op="pull",
                        code="reference_taken",
                        title="Aktenzeichen doppelt",
                        message=(
                            f"Das Aktenzeichen {local.reference} ist auf dem Server zweimal "
                            f"vergeben. Die zweite Akte wird hier als „{unique}“ geführt; bitte "
                            "die Registratur bitten, eine der beiden neu zu nummerieren."
                        ),
                        payload={"other": local.id},
                    )
                )
    return renumber


def renumber_dossier(session: Session, local: Dossier, before: str | None = None) -> None:
    """Give a dossier the server does not have yet the next free Aktenzeichen (``before``:
    its reference if it was already moved aside)."""
    municipality = session.get_one(Municipality, local.municipality_id)
    unit = session.get_one(PlanUnit, local.plan_unit_id)
    year = local.year or (local.opened_on.year if local.opened_on else utcnow().year)
    old = before or local.reference
    local.reference, local.running_number = next_reference(session, municipality, unit.code, year)
    session.add(
        Event(
            entity_kind="dossier",
            entity_id=local.id,
            action="renumbered",
            details={"old": old, "new": local.reference, "reason": "reference_taken"},
        )
    )
    session.flush()
    log.info("dossier %s renumbered %s -> %s: taken on the server", local.id, old, local.reference)


def make_room(session: Session, versions: list[Record]) -> set[str]:
    """Move local versions off the numbers the server gives others (document, number is
    unique). A local version the server does not have yet is a parallel edit: it goes after
    the highest number, marked as a conflict, as the server will number it too. Returns the
    documents whose versions moved."""
    incoming: dict[tuple[str, int], str] = {
        (v.fields["document_id"], int(v.fields["number"])): v.id for v in versions
    }
    docs = {doc for doc, _n in incoming}
    local: list[tuple[str, str, int, int | None]] = []
    for chunk in chunks(list(docs)):
        local += [
            (row[0], row[1], row[2], row[3])
            for row in session.execute(
                select(
                    Version.id, Version.document_id, Version.number, Version.server_version
                ).where(Version.document_id.in_(chunk))
            )
        ]
    top: dict[str, int] = defaultdict(int)
    for _id, doc, number, _sv in local:
        top[doc] = max(top[doc], number)
    for doc, number in incoming:
        top[doc] = max(top[doc], number)
    moved: set[str] = set()
    for version_id, doc, number, server_version in sorted(local, key=lambda r: (r[1], r[2])):
        holder = incoming.get((doc, number))
        if holder is None or holder == version_id:
            continue
        top[doc] += 1
        values: dict[str, Any] = {"number": top[doc]}
        if server_version is None:
            values["conflict"] = True
        session.execute(update(Version).where(Version.id == version_id).values(**values))
        moved.add(doc)
    return moved
