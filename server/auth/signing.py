"""Compact HMAC-signed tokens for access tokens and changes-feed cursors.

``<base64url(json)>.<base64url(hmac-sha256)>`` — a few hundred bytes, well under the 1 KB that
Windows Credential Manager allows, and checkable without a database query.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: bytes, purpose: str, claims: dict[str, Any]) -> str:
    body = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    mac = hmac.new(secret, f"{purpose}.{body}".encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def verify(secret: bytes, purpose: str, token: str) -> dict[str, Any] | None:
    """The claims if ``token`` was signed with ``secret`` for ``purpose``; else None."""
    if len(token) > 4096 or token.count(".") != 1:
        return None
    body, mac = token.split(".")
    try:
        expected = hmac.new(secret, f"{purpose}.{body}".encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return None
        claims = json.loads(_unb64(body))
    except (ValueError, UnicodeError):
        return None
    return claims if isinstance(claims, dict) else None
