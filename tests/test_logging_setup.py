"""sync.logging_setup: one rotating file for the eakte loggers, secrets masked."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync import logging_setup
from sync.logging_setup import last_lines, redact, setup_logging, teardown_logging


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    teardown_logging()


def test_eakte_loggers_go_to_the_file(log_folder: Path) -> None:
    path = setup_logging(log_folder, console=False)
    assert path == log_folder / "eakte.log"
    logging.getLogger("eakte.desktop.viewer").info("Seite 3 gerendert")
    logging.getLogger("eakte.sync.settings").warning("Wert ignoriert")
    logging.getLogger("sqlalchemy.engine").warning("not ours")
    lines = last_lines(path)
    assert any(
        "INFO" in line and "eakte.desktop.viewer" in line and "Seite 3" in line for line in lines
    )
    assert any("WARNING" in line and "eakte.sync.settings" in line for line in lines)
    assert not any("not ours" in line for line in lines)


def test_configuring_again_does_not_double_lines(log_folder: Path) -> None:
    setup_logging(log_folder, console=False)
    path = setup_logging(log_folder, console=False)
    logging.getLogger("eakte.desktop").info("einmal")
    assert sum("einmal" in line for line in last_lines(path)) == 1


def test_files_rotate(log_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2_000)
    setup_logging(log_folder, console=False)
    log = logging.getLogger("eakte.sync.test")
    for number in range(400):
        log.info("Zeile %04d %s", number, "x" * 60)
    names = sorted(p.name for p in log_folder.iterdir())
    assert names == ["eakte.log", *(f"eakte.log.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size <= 2_000 for p in log_folder.iterdir())
    assert "Zeile 0399" in last_lines(log_folder / "eakte.log")[-1]


def test_secrets_are_masked(log_folder: Path) -> None:
    path = setup_logging(log_folder, console=False)
    logging.getLogger("eakte.sync.auth").info(
        "login user=meier password=Geheim123 token: abc.def Authorization: Bearer eyJhbGci.x"
    )
    text = path.read_text(encoding="utf-8")
    assert "user=meier" in text
    for secret in ("Geheim123", "abc.def", "eyJhbGci"):
        assert secret not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"password": "x1"}', '{"password": "***"}'),
        ("Passwort=abc; weiter", "Passwort=***; weiter"),
        ("api_key=k-123&x=1", "api_key=***&x=1"),
        ("Bearer abc123", "Bearer ***"),
        ("Akte 022.1-0007/2026 geöffnet", "Akte 022.1-0007/2026 geöffnet"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_last_lines_of_a_missing_file(tmp_path: Path) -> None:
    assert last_lines(tmp_path / "none.log") == []
