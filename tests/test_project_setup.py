"""The test setup itself: Qt runs offscreen and a Qt warning fails a test (pytest-qt)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

pytest_plugins = ["pytester"]


def test_qt_runs_offscreen(qapp):
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert qapp.platformName() == "offscreen"


def test_a_qt_warning_fails_the_test(pytester):
    """Run a warning-emitting test under the project's own pytest-qt settings."""
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    options = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    pytester.makeini(
        f"""
        [pytest]
        qt_api = {options["qt_api"]}
        qt_log_level_fail = {options["qt_log_level_fail"]}
        """
    )
    pytester.makepyfile(
        """
        from PySide6 import QtCore

        def test_warns(qapp):
            QtCore.qWarning("etwas stimmt nicht")
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
