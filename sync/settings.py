"""The user's settings, and the machine-wide configuration that overrides them.

Two files, both optional:

- the user's ``settings.json`` in the per-user config folder, written by the Einstellungen
  dialog (atomically: a crash mid-write leaves the old file, never half a file);
- the machine-wide ``config.toml`` that IT writes (e.g. by software distribution):
  ``%PROGRAMDATA%\\E-Akte\\config.toml`` on Windows, ``/etc/eakte/config.toml`` elsewhere,
  or the file named by ``$EAKTE_MACHINE_CONFIG``. Its keys are the same as the user's, at the
  top level, e.g. ``server_url = "https://eakte.example.de"``;
- on Windows, the registry values under ``HKLM\\SOFTWARE\\E-Akte`` that the MSI writes
  from its properties (``sync.machine_registry``); they win over ``config.toml``.

Each key set machine-wide wins over the user's value and is shown read-only.

A value that is unknown or invalid in either file is ignored with a warning in the log: a
broken file must never keep the application from starting.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from platformdirs import user_config_path

from sync import machine_registry
from sync.errors import ValidationError
from sync.store.paths import resources_dir

log = logging.getLogger("eakte.sync.settings")

APP_NAME = "eakte"
USER_FILE = "settings.json"
MACHINE_CONFIG_ENV = "EAKTE_MACHINE_CONFIG"

LANGUAGES = ("de", "en")
APPEARANCES = ("system", "light", "dark")
CACHE_MB_MIN = 256
CACHE_MB_MAX = 512_000  # 500 GB: more than any town hall PC offers for one cache


@dataclass(frozen=True)
class Settings:
    """``server_url`` is empty until one is configured; ``language`` applies at next start."""

    server_url: str = ""
    language: str = "de"
    cache_mb: int = 4096
    appearance: str = "system"
    # Slug of the municipality the login dialog offers first ("" = none); set machine-wide.
    municipality: str = ""


KEYS = tuple(f.name for f in fields(Settings))


@dataclass(frozen=True)
class LoadedSettings:
    """``effective``: what the application uses. ``user``: the user's own choices (for the
    dialog to keep when it saves). ``locked``: keys the machine-wide file fixes."""

    effective: Settings
    user: Settings
    locked: frozenset[str]


def validate_server_url(value: object) -> str:
    """An http(s) URL with a host, or the empty string (no server yet)."""
    if not isinstance(value, str):
        raise ValidationError("Die Serveradresse muss ein Text sein.")
    text = value.strip()
    if not text:
        return ""
    invalid = ValidationError(
        f"„{text}“ ist keine gültige Serveradresse. Bitte eine Adresse der Form "
        "https://eakte.example.de eingeben."
    )
    if any(ch.isspace() for ch in text):
        raise invalid
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket or port 99999
        raise invalid from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise invalid
    return text.rstrip("/")


def validate_language(value: object) -> str:
    if value not in LANGUAGES:
        raise ValidationError("Die Sprache muss „de“ (Deutsch) oder „en“ (Englisch) sein.")
    return str(value)


def validate_cache_mb(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError("Die Cachegröße muss eine ganze Zahl (MB) sein.")
    if not CACHE_MB_MIN <= value <= CACHE_MB_MAX:
        raise ValidationError(
            f"Die Cachegröße muss zwischen {CACHE_MB_MIN} und {CACHE_MB_MAX} MB liegen."
        )
    return value


def validate_appearance(value: object) -> str:
    if value not in APPEARANCES:
        raise ValidationError("Die Darstellung muss „system“, „light“ oder „dark“ sein.")
    return str(value)


@functools.cache
def known_municipalities() -> frozenset[str]:
    """The slugs of ``resources/municipalities.json`` (empty if it cannot be read)."""
    path = resources_dir() / "municipalities.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return frozenset(str(m["slug"]) for m in data["municipalities"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("list of municipalities %s not readable: %s", path, exc)
        return frozenset()


def validate_municipality(value: object) -> str:
    """One of the eleven municipalities by its id (e.g. ``meinhard``), or empty."""
    if not isinstance(value, str):
        raise ValidationError("Die Kommune muss ein Text sein.")
    slug = value.strip().lower()
    if slug and slug not in known_municipalities():
        raise ValidationError(
            f"„{value}“ ist keine bekannte Kommune. Erlaubt sind: "
            f"{', '.join(sorted(known_municipalities()))}."
        )
    return slug


VALIDATORS: dict[str, Callable[[object], Any]] = {
    "server_url": validate_server_url,
    "language": validate_language,
    "cache_mb": validate_cache_mb,
    "appearance": validate_appearance,
    "municipality": validate_municipality,
}


def user_settings_path() -> Path:
    return user_config_path(APP_NAME, appauthor=False) / USER_FILE


def machine_config_path() -> Path:
    override = os.environ.get(MACHINE_CONFIG_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "E-Akte" / "config.toml"
    return Path("/etc/eakte/config.toml")


def load(
    user_path: Path | None = None,
    machine_path: Path | None = None,
    registry: Mapping[str, machine_registry.RegistryValue] | None = None,
) -> LoadedSettings:
    """Read both files and (on Windows) the registry; never raises for a missing, unreadable
    or malformed source. ``registry``: the values to use instead of reading them (tests)."""
    user_path = user_path or user_settings_path()
    machine_path = machine_path or machine_config_path()
    registry = machine_registry.read() if registry is None else registry
    user_values = _valid_values(_read_json(user_path), user_path)
    machine_values = _valid_values(_read_toml(machine_path), machine_path)
    machine_values.update(
        _valid_values(machine_registry.settings_from_values(registry), machine_registry.SOURCE)
    )
    user = replace(Settings(), **user_values)
    return LoadedSettings(
        effective=replace(user, **machine_values),
        user=user,
        locked=frozenset(machine_values),
    )


def save(settings: Settings, user_path: Path | None = None) -> Path:
    """Validate and write the user's settings atomically; returns the file written."""
    path = user_path or user_settings_path()
    data = {key: VALIDATORS[key](getattr(settings, key)) for key in KEYS}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    log.info("settings saved to %s", path)
    return path


def _read_json(path: Path) -> Mapping[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("settings file %s ignored: %s", path, exc)
        return {}
    if not isinstance(data, dict):
        log.warning("settings file %s ignored: not a JSON object", path)
        return {}
    return data


def _read_toml(path: Path) -> Mapping[str, object]:
    try:
        with path.open("rb") as source:
            return tomllib.load(source)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.warning("machine-wide configuration %s ignored: %s", path, exc)
        return {}


def _valid_values(raw: Mapping[str, object], source: Path | str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        validator = VALIDATORS.get(key)
        if validator is None:
            log.warning("%s: unknown setting %r ignored", source, key)
            continue
        try:
            values[key] = validator(value)
        except ValidationError as exc:
            log.warning("%s: setting %r ignored: %s", source, key, exc.message)
    return values


__all__ = [
    "APPEARANCES",
    "CACHE_MB_MAX",
    "CACHE_MB_MIN",
    "KEYS",
    "LANGUAGES",
    "MACHINE_CONFIG_ENV",
    "LoadedSettings",
    "Settings",
    "load",
    "machine_config_path",
    "save",
    "user_settings_path",
    "validate_appearance",
    "validate_cache_mb",
    "validate_language",
    "validate_municipality",
    "validate_server_url",
]
