"""The cache is bound to one server instance, municipality and user (DESIGN rule 9).

The binding is written at the first login into an empty store and checked before every run:
another server, municipality or user is refused, and a store that already holds records but
was never bound (demo data, a copied folder) is never pushed into a server.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.engine.errors import ForeignCacheError
from sync.records.model import Dossier, FilePlan, Municipality, PlanUnit, StoreSetting, new_id

SERVER_ID = "binding.server_id"
SERVER_URL = "binding.server_url"
MUNICIPALITY = "binding.municipality"
MUNICIPALITY_ID = "binding.municipality_id"
LOGIN = "binding.login"
USER_ID = "binding.user_id"
CLIENT_ID = "binding.client_id"
CURSOR = "sync.cursor"
LAST_MUTATION_ID = "sync.last_mutation_id"


@dataclass(frozen=True)
class Binding:
    server_id: str
    server_url: str
    municipality: str
    municipality_id: str
    login: str
    user_id: str
    client_id: str


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(StoreSetting, key)
    return None if row is None else row.value


def put_setting(session: Session, key: str, value: str) -> None:
    row = session.get(StoreSetting, key)
    if row is None:
        session.add(StoreSetting(key=key, value=value))
    else:
        row.value = value


def current(session: Session) -> Binding | None:
    values = {key: get_setting(session, key) for key in _KEYS}
    if values[SERVER_ID] is None:
        return None
    return Binding(
        server_id=values[SERVER_ID] or "",
        server_url=values[SERVER_URL] or "",
        municipality=values[MUNICIPALITY] or "",
        municipality_id=values[MUNICIPALITY_ID] or "",
        login=values[LOGIN] or "",
        user_id=values[USER_ID] or "",
        client_id=values[CLIENT_ID] or "",
    )


def check(session: Session, *, server_id: str, municipality: str, login: str) -> Binding | None:
    """The store's binding if it matches; None for a store that may be bound now; else
    ``ForeignCacheError``."""
    bound = current(session)
    if bound is None:
        if _holds_records(session):
            raise ForeignCacheError(
                "Dieser lokale Datenbestand enthält Akten, wurde aber nie mit einem Server "
                "abgeglichen (z. B. Demodaten oder ein kopierter Ordner). Damit nichts Fremdes "
                "auf den Server gelangt, bitte einen leeren Datenbestand verwenden."
            )
        return None
    if bound.server_id != server_id:
        raise ForeignCacheError(
            "Dieser lokale Datenbestand gehört zu einem anderen Server "
            f"({bound.server_url}). Der Abgleich ist angehalten, damit nichts vermischt wird. "
            "Bitte den richtigen Server einstellen oder einen neuen Datenbestand anlegen."
        )
    if bound.municipality != municipality or bound.login != login:
        raise ForeignCacheError(
            "Dieser lokale Datenbestand gehört "
            f"{bound.municipality}/{bound.login}. Bitte mit diesem Konto anmelden oder einen "
            "eigenen Datenbestand anlegen."
        )
    return bound


def bind(
    session: Session,
    *,
    server_id: str,
    server_url: str,
    municipality: str,
    municipality_id: str,
    municipality_name: str,
    reference_pattern: str,
    login: str,
    user_id: str,
) -> Binding:
    """Bind an empty store (in the caller's transaction) and create the own municipality
    under the server's id."""
    values = {
        SERVER_ID: server_id,
        SERVER_URL: server_url,
        MUNICIPALITY: municipality,
        MUNICIPALITY_ID: municipality_id,
        LOGIN: login,
        USER_ID: user_id,
        CLIENT_ID: new_id(),
    }
    for key, value in values.items():
        put_setting(session, key, value)
    if session.get(Municipality, municipality_id) is None:
        session.add(
            Municipality(
                id=municipality_id,
                slug=municipality,
                name=municipality_name,
                reference_pattern=reference_pattern,
            )
        )
        session.flush()  # no relationship orders the two inserts
        # The wire has no file plans: the local one is bookkeeping, never journaled.
        session.add(FilePlan(municipality_id=municipality_id, title="Aktenplan"))
    bound = current(session)
    assert bound is not None
    return bound


def _holds_records(session: Session) -> bool:
    for model in (PlanUnit, Dossier):
        if session.scalar(select(func.count()).select_from(model)):
            return True
    return False


_KEYS = (SERVER_ID, SERVER_URL, MUNICIPALITY, MUNICIPALITY_ID, LOGIN, USER_ID, CLIENT_ID)
