"""Machine-wide settings from HKLM\\SOFTWARE\\E-Akte (what the MSI writes): the mapping of
registry values to settings, and their precedence over config.toml and the user's file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sync import machine_registry, settings
from sync.errors import ValidationError
from sync.machine_registry import REG_DWORD, REG_SZ, settings_from_values
from sync.settings import Settings

REG_BINARY = 3


def test_text_values_become_settings() -> None:
    values = {
        "server_url": ("https://eakte.kreis.de", REG_SZ),
        "municipality": ("meinhard", REG_SZ),
        "cache_mb": ("8192", REG_SZ),  # the MSI writes every property as text
        "language": ("en", REG_SZ),
    }
    assert settings_from_values(values) == {
        "server_url": "https://eakte.kreis.de",
        "municipality": "meinhard",
        "cache_mb": 8192,
        "language": "en",
    }


def test_a_dword_cache_size_is_accepted_and_empty_text_is_not_set() -> None:
    values = {"cache_mb": (2048, REG_DWORD), "server_url": ("  ", REG_SZ)}
    assert settings_from_values(values) == {"cache_mb": 2048}


def test_values_of_the_wrong_type_are_skipped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="eakte.sync.settings"):
        raw = settings_from_values(
            {"server_url": (b"\x00", REG_BINARY), "language": (7, REG_DWORD)}
        )
    assert raw == {}
    assert "'server_url' of registry type 3 ignored" in caplog.text
    assert "'language' of registry type 4 ignored" in caplog.text


def test_reading_the_registry_off_windows_finds_nothing() -> None:
    assert machine_registry.read() == {}


def test_registry_beats_config_toml_beats_the_user(tmp_path: Path) -> None:
    user, machine = tmp_path / "settings.json", tmp_path / "config.toml"
    settings.save(Settings(server_url="https://privat.example.de", cache_mb=1024), user)
    machine.write_text(
        'server_url = "https://toml.example.de"\nlanguage = "en"\n', encoding="utf-8"
    )
    registry = {
        "server_url": ("https://eakte.kreis.de", REG_SZ),
        "municipality": ("sontra", REG_SZ),
    }
    loaded = settings.load(user, machine, registry=registry)
    assert loaded.effective == Settings(
        server_url="https://eakte.kreis.de", language="en", cache_mb=1024, municipality="sontra"
    )
    assert loaded.locked == {"server_url", "language", "municipality"}
    assert loaded.user.server_url == "https://privat.example.de"


def test_a_bad_registry_value_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    registry = {
        "cache_mb": ("viel", REG_SZ),
        "municipality": ("kassel", REG_SZ),
        "x": ("1", REG_SZ),
    }
    with caplog.at_level(logging.WARNING, logger="eakte.sync.settings"):
        loaded = settings.load(tmp_path / "u.json", tmp_path / "m.toml", registry=registry)
    assert loaded.effective == Settings() and loaded.locked == frozenset()
    assert "HKLM\\SOFTWARE\\E-Akte: setting 'cache_mb' ignored" in caplog.text
    assert "„kassel“ ist keine bekannte Kommune" in caplog.text
    assert "unknown setting 'x' ignored" in caplog.text


def test_municipality_is_one_of_the_eleven_or_empty() -> None:
    assert settings.validate_municipality(" Meinhard ") == "meinhard"
    assert settings.validate_municipality("") == ""
    assert len(settings.known_municipalities()) == 11
    with pytest.raises(ValidationError, match="keine bekannte Kommune"):
        settings.validate_municipality("kassel")
    with pytest.raises(ValidationError):
        settings.validate_municipality(7)
