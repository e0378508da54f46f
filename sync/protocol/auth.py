"""Login, token refresh and who the user is."""

from __future__ import annotations

from typing import Literal

from sync.protocol.common import WireModel
from sync.protocol.types import Login, Password, Slug

Role = Literal["clerk", "registrar", "admin"]


class LoginRequest(WireModel):
    municipality: Slug
    login: Login
    password: Password


class RefreshRequest(WireModel):
    refresh_token: str


class MunicipalityInfo(WireModel):
    id: str
    slug: Slug
    name: str
    reference_pattern: str


class UserInfo(WireModel):
    id: str
    login: str
    display_name: str
    role: Role
    municipality: MunicipalityInfo


class TokenResponse(WireModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 scheme name
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    user: UserInfo
    server_id: str
