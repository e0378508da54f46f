"""A dossier's ``members`` (restricted dossiers) and ``shares`` (other municipalities) become
``DossierAccess`` rows, and each share a ``share`` record in the grantee's municipality, so
that the grantee's client learns about it from its own changes feed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import audit
from server.auth.principal import Principal
from server.db.tables import DossierAccess, Municipality, RecordRow, User, utcnow
from server.records.rejections import invalid
from server.records.sequence import Sequencer

_MARKER_NS = uuid.UUID("0f7c1f0e-1a7e-4f55-9d0c-3b8e2a6d9c41")


def marker_id(dossier_id: str, user_id: str) -> str:
    return str(uuid.uuid5(_MARKER_NS, f"{dossier_id}/{user_id}"))


def _users(session: Session, municipality_id: str, logins: list[str]) -> dict[str, User]:
    if not logins:
        return {}
    rows = session.scalars(
        select(User).where(User.municipality_id == municipality_id, User.login.in_(logins))
    )
    return {u.login: u for u in rows}


Wanted = dict[str, tuple[str, User, Municipality | None]]


def resolve_grants(session: Session, municipality_id: str, data: dict[str, Any]) -> Wanted:
    """The access a dossier's fields ask for, by user id; refuses unknown users. Reads only,
    so a refusal leaves nothing to undo."""
    wanted: Wanted = {}
    members = list(data.get("members") or [])
    found = _users(session, municipality_id, members)
    unknown = [m for m in members if m not in found]
    if unknown:
        raise invalid(f"Unbekannte Benutzer in der Zugriffsliste: {', '.join(unknown)}.")
    for user in found.values():
        wanted[user.id] = ("member", user, None)
    for grant in data.get("shares") or []:
        municipality = session.scalars(
            select(Municipality).where(Municipality.slug == grant["municipality"])
        ).first()
        if municipality is None:
            raise invalid(f"Unbekannte Kommune „{grant['municipality']}“ in der Freigabe.")
        if municipality.id == municipality_id:
            raise invalid(
                "Freigaben gelten für andere Kommunen; eigene Kolleginnen und "
                "Kollegen sehen die Akte ohnehin (oder über die Zugriffsliste)."
            )
        grantee = _users(session, municipality.id, [grant["login"]]).get(grant["login"])
        if grantee is None:
            raise invalid(f"Unbekannter Benutzer {grant['login']} in {municipality.slug}.")
        wanted[grantee.id] = (grant["mode"], grantee, municipality)
    return wanted


def apply_grants(
    session: Session,
    sequencer: Sequencer,
    principal: Principal,
    dossier: RecordRow,
    wanted: Wanted,
) -> None:
    """Make ``dossier``'s access rows and share markers what ``resolve_grants`` found."""

    current = {
        a.user_id: a
        for a in session.scalars(
            select(DossierAccess).where(DossierAccess.dossier_id == dossier.id)
        )
    }
    for user_id, access in current.items():
        if user_id not in wanted:
            session.delete(access)
    for user_id, (mode, _user, _m) in wanted.items():
        if user_id in current:
            current[user_id].mode = mode
        else:
            session.add(DossierAccess(dossier_id=dossier.id, user_id=user_id, mode=mode))
    session.flush()
    _sync_markers(session, sequencer, principal, dossier, wanted, current)


def _sync_markers(
    session: Session,
    sequencer: Sequencer,
    principal: Principal,
    dossier: RecordRow,
    wanted: Wanted,
    before: dict[str, DossierAccess],
) -> None:
    owner = session.get(Municipality, dossier.municipality_id)
    assert owner is not None
    shared_now = {uid: w for uid, w in wanted.items() if w[0] in ("read", "write")}
    shared_before = {uid for uid, a in before.items() if a.mode in ("read", "write")}
    for user_id in sorted(shared_before | shared_now.keys()):
        marker = session.get(RecordRow, marker_id(dossier.id, user_id))
        if user_id in shared_now:
            mode, user, municipality = shared_now[user_id]
            assert municipality is not None
            data = {
                "dossier_id": dossier.id,
                "owner": owner.slug,
                "login": user.login,
                "mode": mode,
            }
            if marker is not None and marker.data == data and not marker.deleted:
                continue
            action = "share_granted"
            seq = sequencer.next(municipality.id)  # before the new row exists: no autoflush
            if marker is None:
                marker = RecordRow(
                    id=marker_id(dossier.id, user_id),
                    municipality_id=municipality.id,
                    kind="share",
                    version=0,
                    seq=seq,
                    dossier_id=None,
                    parent_id=dossier.id,
                    created_by=principal.actor,
                    updated_by=principal.actor,
                    data=data,
                )
                session.add(marker)
            marker.data = data
            marker.deleted = False
        else:
            if marker is None or marker.deleted:
                continue
            action = "share_revoked"
            seq = sequencer.next(marker.municipality_id)
            marker.deleted = True
        marker.version += 1
        marker.seq = seq
        marker.updated_at = utcnow()
        marker.updated_by = principal.actor
        audit.record(
            session,
            dossier.municipality_id,
            principal.actor,
            action,
            kind="dossier",
            record_id=dossier.id,
            details={
                "grantee": marker.data["login"],
                "mode": marker.data["mode"],
                "grantee_municipality": marker.municipality_id,
            },
        )
