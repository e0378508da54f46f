"""What changes in the frozen (PyInstaller) app: resources from the bundle folder, and the
embedded server started as the app itself in its hidden server mode (installer/launcher.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sync import embedded
from sync.store.paths import resources_dir

ROOT = Path(__file__).resolve().parents[1]


def test_resources_come_from_the_checkout_unfrozen() -> None:
    assert resources_dir() == ROOT / "resources"
    assert (resources_dir() / "municipalities.json").is_file()


def test_resources_come_from_the_bundle_when_frozen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"


def test_the_frozen_app_runs_the_embedded_server_as_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert embedded._server_command() == [sys.executable, "-m", "server.cli.main"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert embedded._server_command() == [sys.executable, "--serve-embedded"]


def launcher(*args: str) -> subprocess.CompletedProcess[str]:
    """Run installer/launcher.py, the frozen app's entry point, from the source tree."""
    return subprocess.run(
        [sys.executable, str(ROOT / "installer" / "launcher.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_the_launcher_hands_the_server_mode_to_eakte_server() -> None:
    run = launcher("--serve-embedded", "--help")
    assert run.returncode == 0, run.stderr
    assert "serve" in run.stdout and "--config" in run.stdout


def test_the_launcher_hands_everything_else_to_eakte() -> None:
    run = launcher("--help")
    assert run.returncode == 0, run.stderr
    assert "usage: eakte" in run.stdout
