"""``eakte --selftest``: the real command in a subprocess (offscreen), passing and failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import selftest
from desktop.selftest import CheckFailedError, run_checks
from sync.store.paths import log_dir

ROOT = Path(__file__).resolve().parents[2]
MEMORY_KEYRING = "tests.support.keyrings.MemoryKeyring"


def _eakte_selftest(keyring_backend: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("eakte")  # the console script `uv run eakte` runs
    command = [str(script)] if script.exists() else [sys.executable, "-m", "desktop.cli"]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # for the tests' in-memory keyring
        "PYTHON_KEYRING_BACKEND": keyring_backend,
    }
    env.pop("QT_QPA_PLATFORM", None)  # the selftest must choose offscreen by itself
    return subprocess.run(
        [*command, "--selftest"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )


@pytest.mark.slow
def test_selftest_passes_and_reports_every_check() -> None:
    run = _eakte_selftest(MEMORY_KEYRING)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("E-Akte 0.1.0 – Selbsttest")
    for name, _check in selftest.CHECKS:
        assert any(line.startswith(f"ok      {name}: ") for line in lines), (name, run.stdout)
    assert "Plugin „offscreen“" in run.stdout
    assert "im Renderprozess" in run.stdout  # rendered by the viewer's own process
    assert "keyrings.MemoryKeyring" in run.stdout
    assert lines[-1] == "Alle Prüfungen bestanden."
    kept = log_dir() / selftest.REPORT_NAME  # the subprocess shares the tests' XDG folders
    assert kept.read_text(encoding="utf-8") == run.stdout


@pytest.mark.slow
def test_a_keyring_that_cannot_keep_secrets_fails_the_selftest() -> None:
    run = _eakte_selftest("keyring.backends.fail.Keyring")
    assert run.returncode == 1, run.stdout + run.stderr
    (failed,) = [line for line in run.stdout.splitlines() if line.startswith("FEHLER")]
    assert failed.startswith("FEHLER  Schlüsselbund: ")
    assert "kein sicherer Anmeldespeicher" in failed and "keyring.backends.fail.Keyring" in failed
    assert run.stdout.splitlines()[-1] == "1 Prüfung(en) fehlgeschlagen."


def test_every_check_runs_even_after_failures(tmp_path: Path) -> None:
    ran: list[str] = []

    def passes(folder: Path) -> str:
        ran.append("passes")
        assert folder.is_dir()
        return "fein"

    def refuses(_folder: Path) -> str:
        ran.append("refuses")
        raise CheckFailedError("geht nicht")

    def crashes(_folder: Path) -> str:
        ran.append("crashes")
        raise RuntimeError("kaputt")

    outcomes = run_checks([("A", refuses), ("B", crashes), ("C", passes)], tmp_path)
    assert ran == ["refuses", "crashes", "passes"]
    assert [(o.name, o.passed, o.detail) for o in outcomes] == [
        ("A", False, "geht nicht"),
        ("B", False, "RuntimeError: kaputt"),
        ("C", True, "fein"),
    ]
    text = selftest.report(outcomes, "9.9")
    assert "FEHLER  A: geht nicht" in text and "ok      C: fein" in text
    assert text.endswith("2 Prüfung(en) fehlgeschlagen.")
