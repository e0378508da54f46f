"""Who is calling: the verified access token, as the request handlers see it."""

from __future__ import annotations

import time
from dataclasses import dataclass

from server.auth.signing import sign, verify

ROLES = ("clerk", "registrar", "admin")


@dataclass(frozen=True)
class Principal:
    user_id: str
    login: str
    role: str
    municipality_id: str
    municipality: str  # slug

    @property
    def actor(self) -> str:
        """How the audit log and ``updated_by`` name this user."""
        return f"{self.municipality}/{self.login}"

    @property
    def may_manage_records(self) -> bool:
        """File plan, zdA and reopening, retention, restriction and sharing."""
        return self.role in ("registrar", "admin")


def issue_access_token(secret: bytes, principal: Principal, lifetime_s: int) -> str:
    claims = {
        "sub": principal.user_id,
        "login": principal.login,
        "role": principal.role,
        "mid": principal.municipality_id,
        "mun": principal.municipality,
        "exp": int(time.time()) + lifetime_s,
    }
    return sign(secret, "access", claims)


def read_access_token(secret: bytes, token: str) -> Principal | None:
    claims = verify(secret, "access", token)
    if claims is None:
        return None
    try:
        if int(claims["exp"]) < time.time() or claims["role"] not in ROLES:
            return None
        return Principal(
            user_id=str(claims["sub"]),
            login=str(claims["login"]),
            role=str(claims["role"]),
            municipality_id=str(claims["mid"]),
            municipality=str(claims["mun"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
