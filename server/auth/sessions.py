"""Login, refresh-token rotation and the lockout after repeated failures."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server import audit
from server.auth.passwords import hash_password, needs_rehash, verify_password
from server.auth.principal import Principal, issue_access_token
from server.config import Settings
from server.db.tables import Municipality, RefreshToken, User, utcnow
from server.errors import ApiError
from sync.protocol.auth import MunicipalityInfo, TokenResponse, UserInfo

# After this many failures each further attempt waits (1, 2, 4 ... s) before it is even tried.
SLOWDOWN_AFTER = 3
# A refresh repeated this soon, while its answer's token is unused, is a retry after a lost
# reply, not a stolen copy (see refresh()).
RETRY_GRACE = timedelta(seconds=30)


def _invalid() -> ApiError:
    # One answer for an unknown municipality, unknown login, wrong password or disabled user.
    return ApiError(
        401,
        "invalid_credentials",
        "Anmeldung fehlgeschlagen",
        "Kommune, Benutzername oder Passwort stimmen nicht. Bitte die Eingaben prüfen.",
    )


def _locked(until: datetime, now: datetime, code: str = "locked") -> ApiError:
    wait = max(1, int((until - now).total_seconds()) + 1)
    minutes = (wait + 59) // 60
    return ApiError(
        429,
        code,
        "Anmeldung vorübergehend gesperrt",
        f"Zu viele fehlgeschlagene Anmeldungen. Bitte in {minutes} Minute(n) erneut versuchen "
        "oder die Administration um ein neues Passwort bitten.",
        details={"retry_after": wait},
        headers={"Retry-After": str(wait)},
    )


def _token_hash(token: str) -> str:
    # surrogatepass: a token with a lone surrogate is no token of ours, but hashable (no 500).
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def login(
    session: Session,
    settings: Settings,
    secret: bytes,
    server_id: str,
    municipality_slug: str,
    login_name: str,
    password: str,
) -> TokenResponse | ApiError:
    """Check the password and issue tokens. A failure is counted and audited, and returned
    rather than raised, so that the caller commits the count before answering."""
    now = utcnow()
    municipality = session.scalars(
        select(Municipality).where(Municipality.slug == municipality_slug)
    ).first()
    user = None
    if municipality is not None:
        user = session.scalars(
            select(User)
            .where(User.municipality_id == municipality.id, User.login == login_name)
            .with_for_update()
        ).first()
    if user is not None and user.locked_until is not None:
        if user.locked_until > now:
            raise _locked(user.locked_until, now)
        user.failed_logins, user.locked_until = 0, None  # the lock has run out: a fresh start
    if user is not None and user.failed_logins >= SLOWDOWN_AFTER and user.last_failed_at:
        retry_at = user.last_failed_at + timedelta(
            seconds=2 ** (user.failed_logins - SLOWDOWN_AFTER)
        )
        if retry_at > now:
            raise _locked(retry_at, now, code="slow_down")
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or municipality is None:
        raise _invalid()
    if not ok or user.disabled:
        user.failed_logins += 1
        user.last_failed_at = now
        action = "login_failed"
        if user.failed_logins >= settings.login_attempts_before_lockout:
            user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            action = "login_locked"
        audit.record(
            session,
            municipality.id,
            f"{municipality.slug}/{user.login}",
            action,
            details={"failed_logins": user.failed_logins, "disabled": user.disabled},
        )
        return _invalid()
    user.failed_logins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.record(session, municipality.id, f"{municipality.slug}/{user.login}", "login")
    refresh = _new_refresh_token(session, settings, user.id, family_id=str(uuid.uuid4()))
    return _response(settings, secret, server_id, municipality, user, refresh)


def refresh(
    session: Session, settings: Settings, secret: bytes, server_id: str, token: str
) -> TokenResponse | ApiError:
    """Exchange a refresh token for new tokens; the old one is spent (rotation). A reused
    token revokes its family; that is returned, not raised, so that it is committed."""
    now = utcnow()
    row = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == _token_hash(token)).with_for_update()
    ).first()
    expired = ApiError(
        401,
        "refresh_invalid",
        "Anmeldung abgelaufen",
        "Die gespeicherte Anmeldung ist abgelaufen oder wurde widerrufen. Bitte neu anmelden.",
    )
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise expired
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        raise expired
    municipality = session.get(Municipality, user.municipality_id)
    assert municipality is not None
    if row.used_at is not None and _retry_of_lost_reply(session, row, now):
        # The client never received the answer to its refresh (a line that drops replies)
        # and asks again at once: the unused successor is replaced instead of ending the
        # session. Only within seconds and only while the successor is unused.
        audit.record(
            session,
            municipality.id,
            f"{municipality.slug}/{user.login}",
            "refresh_retried",
            details={"family": row.family_id},
        )
        new = _new_refresh_token(session, settings, user.id, family_id=row.family_id)
        return _response(settings, secret, server_id, municipality, user, new)
    if row.used_at is not None:
        # A spent token came back: someone holds a copy. End every session of that family.
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == row.family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        audit.record(
            session,
            municipality.id,
            f"{municipality.slug}/{user.login}",
            "refresh_reused",
            details={"family": row.family_id},
        )
        return expired
    row.used_at = now
    new = _new_refresh_token(session, settings, user.id, family_id=row.family_id)
    return _response(settings, secret, server_id, municipality, user, new)


def _retry_of_lost_reply(session: Session, row: RefreshToken, now: datetime) -> bool:
    """Whether a spent token is a retry within ``RETRY_GRACE``: then its successor, issued
    in answer to it, has never been used and is revoked here (one live token per family)."""
    assert row.used_at is not None
    if now - row.used_at > RETRY_GRACE:
        return False
    successors = session.scalars(
        select(RefreshToken)
        .where(
            RefreshToken.family_id == row.family_id,
            RefreshToken.created_at >= row.used_at,
            RefreshToken.id != row.id,
        )
        .with_for_update()
    ).all()
    if any(t.used_at is not None or t.revoked_at is not None for t in successors):
        return False
    for successor in successors:
        successor.revoked_at = now
    return True


def _new_refresh_token(session: Session, settings: Settings, user_id: str, family_id: str) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            id=str(uuid.uuid4()),
            user_id=user_id,
            family_id=family_id,
            token_hash=_token_hash(token),
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        )
    )
    return token


def _response(
    settings: Settings,
    secret: bytes,
    server_id: str,
    municipality: Municipality,
    user: User,
    refresh_token: str,
) -> TokenResponse:
    principal = Principal(user.id, user.login, user.role, municipality.id, municipality.slug)
    lifetime = settings.access_token_minutes * 60
    return TokenResponse(
        access_token=issue_access_token(secret, principal, lifetime),
        expires_in=lifetime,
        refresh_token=refresh_token,
        refresh_expires_in=settings.refresh_token_days * 86400,
        user=UserInfo(
            id=user.id,
            login=user.login,
            display_name=user.display_name,
            role=user.role,  # type: ignore[arg-type]
            municipality=MunicipalityInfo(
                id=municipality.id,
                slug=municipality.slug,
                name=municipality.name,
                reference_pattern=municipality.reference_pattern,
            ),
        ),
        server_id=server_id,
    )
