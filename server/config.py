"""Server settings: defaults, then a TOML file (``--config``), then environment variables.

With no database URL and no blob folder configured, the server keeps an embedded SQLite
database and its blob folder in the per-user data folder, which is what the demo and a
one-machine install need.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from platformdirs import user_data_path

from server.errors import ConfigError

ENV_PREFIX = "EAKTE_SERVER_"


def default_data_dir() -> Path:
    return user_data_path("eakte-server", appauthor=False)


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    blob_dir: Path = field(default_factory=lambda: default_data_dir() / "blobs")
    host: str = "127.0.0.1"
    port: int = 8080
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    max_body_bytes: int = 8 * 1024 * 1024  # JSON bodies; blob chunks have their own limit
    max_blob_chunk_bytes: int = 64 * 1024 * 1024
    login_attempts_before_lockout: int = 5
    lockout_minutes: int = 15
    log_level: str = "info"
    upload_expiry_hours: int = 24  # abandoned resumable uploads are removed after this
    # TLS by uvicorn itself; leave empty when a reverse proxy terminates TLS.
    tls_certfile: str = ""
    tls_keyfile: str = ""

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{default_data_dir() / 'server.sqlite3'}"


def _coerce(name: str, raw: Any, current: Any) -> Any:
    try:
        if isinstance(current, bool):
            return raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "yes", "on")
        if isinstance(current, int):
            return int(raw)
        if isinstance(current, Path):
            return Path(str(raw)).expanduser()
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"Einstellung {name}: ungültiger Wert {raw!r}.") from exc


def load_settings(config_file: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Defaults < TOML file < ``EAKTE_SERVER_*`` environment variables."""
    env = dict(os.environ) if env is None else env
    settings = Settings()
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    if config_file is not None:
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(
                f"Die Konfigurationsdatei {config_file} ist nicht lesbar: {exc}"
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"Die Konfigurationsdatei {config_file} ist kein gültiges TOML: {exc}"
            ) from exc
        section = data.get("server", data)
        unknown = set(section) - known
        if unknown:
            raise ConfigError(
                f"Unbekannte Einstellungen in {config_file}: {', '.join(sorted(unknown))}."
            )
        values.update(section)
    for name in known:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            values[name] = raw
    coerced = {k: _coerce(k, v, getattr(settings, k)) for k, v in values.items()}
    return replace(settings, **coerced)
