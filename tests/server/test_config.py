"""Settings: defaults, then the TOML file, then environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.config import Settings, load_settings
from server.errors import ConfigError


def test_defaults_are_embedded_sqlite_in_the_user_data_folder() -> None:
    settings = load_settings(env={})
    assert settings.resolved_database_url().startswith("sqlite:///")
    assert settings.resolved_database_url().endswith("server.sqlite3")
    assert settings.blob_dir.name == "blobs"


def test_environment_overrides_file(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text(
        '[server]\nport = 9000\nblob_dir = "/srv/eakte/blobs"\n'
        'database_url = "postgresql://a@db/eakte"\n',
        encoding="utf-8",
    )
    settings = load_settings(config, env={"EAKTE_SERVER_PORT": "9100"})
    assert settings.port == 9100
    assert settings.blob_dir == Path("/srv/eakte/blobs")
    assert settings.database_url == "postgresql://a@db/eakte"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("[server]\nprot = 1\n", "Unbekannte Einstellungen"),
        ("port = [", "kein gültiges TOML"),
        ('[server]\nport = "viele"\n', "ungültiger Wert"),
    ],
)
def test_bad_config_files_say_what_is_wrong(tmp_path: Path, content: str, needle: str) -> None:
    config = tmp_path / "server.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle):
        load_settings(config, env={})


def test_missing_config_file() -> None:
    with pytest.raises(ConfigError, match="nicht lesbar"):
        load_settings(Path("/nonexistent/server.toml"), env={})


def test_settings_are_immutable() -> None:
    with pytest.raises(AttributeError):
        Settings().port = 1  # type: ignore[misc]
