"""User administration (used by ``eakte-server user ...``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.auth.passwords import MIN_LENGTH, hash_password
from server.auth.principal import ROLES
from server.db.tables import Municipality, RefreshToken, User, utcnow
from server.errors import ApiError, ServerError
from server.municipalities import by_slug
from sync.protocol.types import Login


class UserAdminError(ServerError):
    title = "Benutzerverwaltung"


_login = TypeAdapter(Login)


@dataclass(frozen=True)
class UserView:
    municipality: str
    login: str
    display_name: str
    role: str
    disabled: bool


def check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise UserAdminError(f"Das Passwort muss mindestens {MIN_LENGTH} Zeichen lang sein.")


def add_user(
    session: Session,
    municipality: str,
    login: str,
    role: str,
    password: str,
    display_name: str = "",
) -> User:
    if role not in ROLES:
        raise UserAdminError(f"Unbekannte Rolle {role!r}; erlaubt sind: {', '.join(ROLES)}.")
    try:
        login = _login.validate_python(login)
    except PydanticValidationError as exc:
        raise UserAdminError(f"Ungültiger Anmeldename {login!r}.") from exc
    mun = _municipality(session, municipality)
    check_password(password)
    if _find(session, mun.id, login) is not None:
        raise UserAdminError(f"Den Benutzer {login} gibt es in {municipality} schon.")
    user = User(
        id=str(uuid.uuid4()),
        municipality_id=mun.id,
        login=login,
        display_name=display_name or login,
        role=role,
        password_hash=hash_password(password),
        disabled=False,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, municipality: str, login: str, password: str) -> None:
    check_password(password)
    user = _get(session, municipality, login)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    revoke_refresh_tokens(session, user.id)


def disable(session: Session, municipality: str, login: str) -> None:
    user = _get(session, municipality, login)
    user.disabled = True
    revoke_refresh_tokens(session, user.id)


def list_users(session: Session, municipality: str | None = None) -> list[UserView]:
    query = select(User, Municipality.slug).join(
        Municipality, User.municipality_id == Municipality.id
    )
    if municipality:
        query = query.where(Municipality.slug == _municipality(session, municipality).slug)
    rows = session.execute(query.order_by(Municipality.slug, User.login)).all()
    return [UserView(slug, u.login, u.display_name, u.role, u.disabled) for u, slug in rows]


def revoke_refresh_tokens(session: Session, user_id: str) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _municipality(session: Session, slug: str) -> Municipality:
    try:
        return by_slug(session, slug)
    except ApiError as exc:
        raise UserAdminError(exc.message) from exc


def _find(session: Session, municipality_id: str, login: str) -> User | None:
    return session.scalars(
        select(User).where(User.municipality_id == municipality_id, User.login == login)
    ).first()


def _get(session: Session, municipality: str, login: str) -> User:
    user = _find(session, _municipality(session, municipality).id, login)
    if user is None:
        raise UserAdminError(f"Den Benutzer {login} gibt es in {municipality} nicht.")
    return user
