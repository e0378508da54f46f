"""Refresh tokens in the keyring: an in-memory backend stands in for the OS keyring (never a
file); locked, missing and plaintext keyrings are refused with a German message."""

from __future__ import annotations

import logging

import keyring.errors
import pytest

from sync.credentials import (
    CredentialStore,
    CredentialsUnavailableError,
    account_name,
    service_name,
)
from tests.support.keyrings import MemoryKeyring

SERVER = "https://eakte.werra-meissner.example/"
TOKEN = "r3fr3sh-t0k3n-d0-n0t-l0g"


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


class PlaintextKeyring(MemoryKeyring):
    pass


@pytest.fixture
def memory() -> MemoryKeyring:
    return MemoryKeyring()


def test_a_token_is_kept_per_server_and_user(memory: MemoryKeyring, caplog) -> None:
    store = CredentialStore(memory)
    with caplog.at_level(logging.DEBUG, logger="eakte"):
        store.save_refresh_token(SERVER, "Meinhard", "mueller", TOKEN)
    assert memory.entries == {
        ("E-Akte https://eakte.werra-meissner.example", "meinhard/mueller"): TOKEN
    }
    # Another spelling of the same server finds it; another user or server does not.
    assert store.refresh_token("HTTPS://EAKTE.werra-meissner.example", "meinhard", "mueller")
    assert store.refresh_token(SERVER, "meinhard", "schmidt") is None
    assert store.refresh_token("https://other.example", "meinhard", "mueller") is None
    assert TOKEN not in caplog.text  # never a secret in the log
    store.forget(SERVER, "meinhard", "mueller")
    store.forget(SERVER, "meinhard", "mueller")  # gone already: no error
    assert memory.entries == {}


def test_names() -> None:
    assert service_name("http://127.0.0.1:8080/api/") == "E-Akte http://127.0.0.1:8080/api"
    assert account_name(" Sontra ", "lehmann") == "sontra/lehmann"
    with pytest.raises(ValueError):
        service_name("eakte.example")


def test_a_locked_keyring_pauses_with_a_german_message() -> None:
    store = CredentialStore(LockedKeyring())
    with pytest.raises(CredentialsUnavailableError) as refused:
        store.refresh_token(SERVER, "meinhard", "mueller")
    assert "gesperrt" in refused.value.message and "lesen" in refused.value.message
    with pytest.raises(CredentialsUnavailableError):
        store.save_refresh_token(SERVER, "meinhard", "mueller", TOKEN)


def test_no_keyring_and_plaintext_keyrings_are_refused(monkeypatch) -> None:
    from keyring.backends import fail

    with pytest.raises(CredentialsUnavailableError) as missing:
        CredentialStore(fail.Keyring()).refresh_token(SERVER, "meinhard", "mueller")
    assert "kein sicherer Anmeldespeicher" in missing.value.message
    plain = PlaintextKeyring()
    with pytest.raises(CredentialsUnavailableError):
        CredentialStore(plain).save_refresh_token(SERVER, "meinhard", "mueller", TOKEN)
    assert plain.entries == {}  # nothing written in clear text
