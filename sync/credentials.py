"""The refresh token in the OS keyring (Windows Credential Manager), never in a file.

One entry per server and user: service ``E-Akte <server URL>``, user name
``<municipality>/<login>``. The password is never stored, and no secret is ever logged (DESIGN
rule 13). A keyring that is missing, locked or that would write plaintext is refused with a
typed error: the sync engine pauses with its message instead of falling back to a file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from sync.errors import EAkteError

log = logging.getLogger("eakte.sync.credentials")

SERVICE_PREFIX = "E-Akte"


class CredentialsUnavailableError(EAkteError):
    """The keyring cannot be used; sync waits until it can."""

    code = "keyring_unavailable"
    title = "Anmeldedaten nicht verfügbar"


def service_name(server_url: str) -> str:
    """The keyring service for ``server_url``: scheme, host and port in lower case and the
    path without a trailing slash, so that spellings of one server share one entry."""
    parts = urlsplit(server_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a server URL: {server_url!r}")
    port = f":{parts.port}" if parts.port else ""
    path = parts.path.rstrip("/")
    return f"{SERVICE_PREFIX} {parts.scheme}://{parts.hostname.lower()}{port}{path}"


def account_name(municipality: str, login: str) -> str:
    return f"{municipality.strip().lower()}/{login.strip()}"


class CredentialStore:
    """Refresh tokens by server and user. ``backend``: the keyring to use (tests pass an
    in-memory one); by default the one the OS offers."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    def backend(self) -> KeyringBackend:
        chosen = self._backend if self._backend is not None else keyring.get_keyring()
        name = type(chosen).__name__
        if chosen.priority <= 0 or "plaintext" in name.lower():
            # keyring's "fail" backend (nothing installed), or one that writes clear text.
            raise CredentialsUnavailableError(
                "Auf diesem Rechner steht kein sicherer Anmeldespeicher zur Verfügung "
                f"({name}). Die Synchronisierung ruht. Bitte die IT-Betreuung verständigen."
            )
        return chosen

    def save_refresh_token(
        self, server_url: str, municipality: str, login: str, token: str
    ) -> None:
        service, account = service_name(server_url), account_name(municipality, login)
        with _guarded("speichern"):
            self.backend().set_password(service, account, token)
        log.info("refresh token stored for %s at %s", account, service)

    def refresh_token(self, server_url: str, municipality: str, login: str) -> str | None:
        service, account = service_name(server_url), account_name(municipality, login)
        with _guarded("lesen"):
            return self.backend().get_password(service, account)

    def forget(self, server_url: str, municipality: str, login: str) -> None:
        """Remove the entry (signing out); nothing stored is no error."""
        service, account = service_name(server_url), account_name(municipality, login)
        with _guarded("löschen"):
            try:
                self.backend().delete_password(service, account)
            except keyring.errors.PasswordDeleteError:
                return
        log.info("refresh token removed for %s at %s", account, service)


@contextmanager
def _guarded(doing: str) -> Iterator[None]:
    """Turn the keyring's errors into ``CredentialsUnavailableError`` (locked, missing,
    refused), saying what was being done ("lesen", "speichern", "löschen")."""
    try:
        yield
    except keyring.errors.KeyringLocked as exc:
        raise CredentialsUnavailableError(
            f"Der Anmeldespeicher ist gesperrt; die Anmeldedaten lassen sich nicht {doing}. "
            "Bitte den Speicher entsperren (Windows: neu anmelden); bis dahin ruht die "
            "Synchronisierung."
        ) from exc
    except keyring.errors.KeyringError as exc:
        log.warning("keyring refused to %s: %s", doing, type(exc).__name__)
        raise CredentialsUnavailableError(
            f"Der Anmeldespeicher lässt sich nicht {doing} ({type(exc).__name__}). Die "
            "Synchronisierung ruht. Bitte die IT-Betreuung verständigen."
        ) from exc
