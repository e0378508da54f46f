"""Login and the access token: the password goes to the server once, the refresh token into the
OS keyring, the short-lived access token stays in memory (DESIGN rule 13)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sync.credentials import CredentialStore
from sync.engine.errors import LoginRequiredError
from sync.protocol.auth import LoginRequest, RefreshRequest, TokenResponse
from sync.transport import ServerClient, ServerRefusedError

log = logging.getLogger("eakte.sync.auth")

# Renew a little before the server's expiry, so a token never runs out mid-request.
EXPIRY_MARGIN_S = 30.0


@dataclass(frozen=True)
class Account:
    server_url: str
    municipality: str
    login: str

    def label(self) -> str:
        return f"{self.municipality}/{self.login} auf {self.server_url}"


class Authenticator:
    """Access tokens for one account. Thread-safe; every rotated refresh token is saved at
    once, because the server spends the old one (a reused token ends the session)."""

    def __init__(
        self, client: ServerClient, credentials: CredentialStore, account: Account
    ) -> None:
        self.client = client
        self.credentials = credentials
        self.account = account
        self.last_answer: TokenResponse | None = None
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def login(self, password: str) -> TokenResponse:
        body = LoginRequest(
            municipality=self.account.municipality, login=self.account.login, password=password
        )
        answer = TokenResponse.model_validate(
            self.client.request("POST", "/auth/login", json=body.model_dump()).json()
        )
        with self._lock:
            self._accept(answer)
        log.info("logged in as %s", self.account.label())
        return answer

    def logout(self) -> None:
        with self._lock:
            self._token = None
            self.credentials.forget(
                self.account.server_url, self.account.municipality, self.account.login
            )

    def has_login(self) -> bool:
        saved = self.credentials.refresh_token(
            self.account.server_url, self.account.municipality, self.account.login
        )
        return saved is not None

    def token(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires:
                self._refresh()
            assert self._token is not None
            return self._token

    def renew(self) -> str:
        """After a 401: a fresh access token from the saved refresh token."""
        with self._lock:
            self._refresh()
            assert self._token is not None
            return self._token

    def _refresh(self) -> None:
        # Read from the keyring each time: another instance may have rotated it meanwhile.
        saved = self.credentials.refresh_token(
            self.account.server_url, self.account.municipality, self.account.login
        )
        if saved is None:
            raise LoginRequiredError(
                f"Für {self.account.label()} ist keine Anmeldung gespeichert. "
                "Bitte anmelden (Synchronisierung → Anmelden … oder „eakte login“)."
            )
        try:
            response = self.client.request(
                "POST", "/auth/refresh", json=RefreshRequest(refresh_token=saved).model_dump()
            )
        except ServerRefusedError as exc:
            if exc.status == 401:
                raise LoginRequiredError(
                    f"{exc.message} Die Änderungen dieses Arbeitsplatzes bleiben gespeichert."
                ) from exc
            raise
        self._accept(TokenResponse.model_validate(response.json()))

    def _accept(self, answer: TokenResponse) -> None:
        self.credentials.save_refresh_token(
            self.account.server_url,
            self.account.municipality,
            self.account.login,
            answer.refresh_token,
        )
        self._token = answer.access_token
        self._expires = time.monotonic() + max(0.0, answer.expires_in - EXPIRY_MARGIN_S)
        self.last_answer = answer
