"""sync.settings: round trip, validation, tolerance of broken files, machine-wide override."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from sync import settings
from sync.errors import ValidationError
from sync.settings import Settings


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "user" / "settings.json", tmp_path / "machine" / "config.toml"


def test_defaults_without_files(paths: tuple[Path, Path]) -> None:
    loaded = settings.load(*paths)
    assert loaded.effective == loaded.user == Settings()
    assert loaded.locked == frozenset()


def test_round_trip(paths: tuple[Path, Path]) -> None:
    user, machine = paths
    chosen = Settings(
        server_url="https://eakte.example.de:8443/api",
        language="en",
        cache_mb=1024,
        appearance="dark",
    )
    assert settings.save(chosen, user) == user
    assert settings.load(user, machine).effective == chosen
    assert [p.name for p in user.parent.iterdir()] == ["settings.json"]  # no temp file left


def test_save_refuses_invalid_values_and_keeps_the_old_file(paths: tuple[Path, Path]) -> None:
    user, machine = paths
    settings.save(Settings(cache_mb=2048), user)
    with pytest.raises(ValidationError, match="zwischen 256 und"):
        settings.save(Settings(cache_mb=5), user)
    assert settings.load(user, machine).effective.cache_mb == 2048


def test_machine_wide_values_win_and_are_locked(paths: tuple[Path, Path]) -> None:
    user, machine = paths
    settings.save(Settings(server_url="https://privat.example.de", language="en"), user)
    machine.parent.mkdir(parents=True)
    machine.write_text(
        'server_url = "https://eakte.kreis.de"\nappearance = "light"\n', encoding="utf-8"
    )
    loaded = settings.load(user, machine)
    assert loaded.effective == Settings(
        server_url="https://eakte.kreis.de", language="en", appearance="light"
    )
    assert loaded.user.server_url == "https://privat.example.de"
    assert loaded.locked == {"server_url", "appearance"}


def test_machine_file_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    machine = tmp_path / "config.toml"
    monkeypatch.setenv(settings.MACHINE_CONFIG_ENV, str(machine))
    assert settings.machine_config_path() == machine
    monkeypatch.delenv(settings.MACHINE_CONFIG_ENV)
    assert settings.machine_config_path().name == "config.toml"


def test_unknown_and_invalid_values_are_ignored_with_a_warning(
    paths: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    user, machine = paths
    user.parent.mkdir(parents=True)
    user.write_text(
        json.dumps({"language": "fr", "cache_mb": 4000, "colour": "blue", "server_url": 7}),
        encoding="utf-8",
    )
    machine.parent.mkdir(parents=True)
    machine.write_text('cache_mb = "viel"\nappearance = "dark"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="eakte.sync.settings"):
        loaded = settings.load(user, machine)
    assert loaded.effective == Settings(cache_mb=4000, appearance="dark")
    assert loaded.locked == {"appearance"}
    warned = caplog.text
    assert "'colour'" in warned and "'language'" in warned and "'server_url'" in warned
    assert "'cache_mb'" in warned


@pytest.mark.parametrize(
    "content",
    ["{not json", "[1, 2]", "\xff\xfe garbage"],
)
def test_a_broken_user_file_never_stops_the_start(
    paths: tuple[Path, Path], content: str, caplog: pytest.LogCaptureFixture
) -> None:
    user, machine = paths
    user.parent.mkdir(parents=True)
    user.write_bytes(content.encode("latin-1"))
    machine.parent.mkdir(parents=True)
    machine.write_text("this is = not [toml", encoding="utf-8")
    assert settings.load(user, machine).effective == Settings()
    assert "ignored" in caplog.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("  https://eakte.example.de/  ", "https://eakte.example.de"),
        ("http://10.0.0.5:8000", "http://10.0.0.5:8000"),
        ("HTTPS://Server.Example.de/pfad", "HTTPS://Server.Example.de/pfad"),
    ],
)
def test_valid_server_urls(text: str, expected: str) -> None:
    assert settings.validate_server_url(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "eakte.example.de",
        "ftp://eakte.example.de",
        "https://",
        "http://[::1",
        "https://a b.de",
        "https://host:99999",
    ],
)
def test_invalid_server_urls(text: str) -> None:
    with pytest.raises(ValidationError, match="keine gültige Serveradresse"):
        settings.validate_server_url(text)
