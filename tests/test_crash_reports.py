"""sync.crash_reports: reports of unhandled exceptions and hard crashes, offered once."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from sync import crash_reports
from sync.logging_setup import setup_logging, teardown_logging

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter after the crash handlers were installed."""
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from sync.crash_reports import install_crash_handlers
        from sync.logging_setup import setup_logging
        folder = Path({str(folder)!r})
        setup_logging(folder, console=False)
        install_crash_handlers(folder)
        """
    ) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_report_has_time_version_platform_traceback_and_log_tail(tmp_path: Path) -> None:
    setup_logging(tmp_path, console=False)
    try:
        logging.getLogger("eakte.desktop.viewer").info("opened document 42")
        try:
            {}["missing"]
        except KeyError as exc:
            exc_info = (KeyError, exc, exc.__traceback__)
            report = crash_reports.report_exception(exc_info, folder=tmp_path)
    finally:
        teardown_logging()
    assert report.parent == tmp_path
    text = report.read_text(encoding="utf-8")
    assert report.name.startswith("crash-") and report.suffix == ".txt"
    assert "Zeit: " in text and f"Version: {crash_reports.app_version()}" in text
    assert "Plattform: " in text and "Python: " in text
    assert "KeyError: 'missing'" in text and "Traceback (most recent call last)" in text
    assert "opened document 42" in text.split("Letzte Zeilen des Protokolls")[1]


def test_reports_in_one_second_get_their_own_files(tmp_path: Path) -> None:
    now = datetime(2026, 3, 1, 9, 30, 5).astimezone()
    first = crash_reports.write_report("a", "eins", folder=tmp_path, now=now)
    second = crash_reports.write_report("b", "zwei", folder=tmp_path, now=now)
    assert (first.name, second.name) == ("crash-20260301-093005.txt", "crash-20260301-093005-2.txt")
    assert crash_reports.reports(tmp_path) == [first, second]
    assert crash_reports.newest_unseen(tmp_path) == second


def test_newest_report_offered_once(tmp_path: Path) -> None:
    assert crash_reports.take_unseen(tmp_path) is None
    old = crash_reports.write_report(
        "a", "alt", folder=tmp_path, now=datetime(2026, 1, 1, 8).astimezone()
    )
    new = crash_reports.write_report(
        "b", "neu", folder=tmp_path, now=datetime(2026, 1, 2, 8).astimezone()
    )
    assert old.exists()
    assert crash_reports.take_unseen(tmp_path) == new
    assert crash_reports.take_unseen(tmp_path) is None
    newer = crash_reports.write_report(
        "c", "neuer", folder=tmp_path, now=datetime(2026, 1, 3, 8).astimezone()
    )
    assert crash_reports.take_unseen(tmp_path) == newer


def test_only_the_newest_twenty_are_kept(tmp_path: Path) -> None:
    for day in range(1, 26):
        crash_reports.write_report(
            "x", "y", folder=tmp_path, now=datetime(2026, 1, day, 8).astimezone()
        )
    kept = crash_reports.reports(tmp_path)
    assert len(kept) == crash_reports.KEEP_REPORTS
    assert kept[0].name == "crash-20260106-080000.txt"


def test_unhandled_exception_in_the_main_thread(tmp_path: Path) -> None:
    result = run_python("raise RuntimeError('Ablage kaputt')", tmp_path)
    assert result.returncode == 1
    assert "RuntimeError: Ablage kaputt" in result.stderr  # the previous hook still ran
    (report,) = crash_reports.reports(tmp_path)
    text = report.read_text(encoding="utf-8")
    assert "Art: Unbehandelte Ausnahme\n" in text and "RuntimeError: Ablage kaputt" in text
    assert "unhandled exception" in (tmp_path / "eakte.log").read_text(encoding="utf-8")


def test_unhandled_exception_in_another_thread(tmp_path: Path) -> None:
    code = """
        import threading
        def work():
            raise ValueError("im Hintergrund")
        thread = threading.Thread(target=work, name="Indexer")
        thread.start()
        thread.join()
    """
    result = run_python(code, tmp_path)
    assert result.returncode == 0
    (report,) = crash_reports.reports(tmp_path)
    text = report.read_text(encoding="utf-8")
    assert "Thread „Indexer“" in text and "ValueError: im Hintergrund" in text


def test_hard_crash_becomes_a_report_at_the_next_start(tmp_path: Path) -> None:
    crashed = run_python("import faulthandler; faulthandler._sigsegv()", tmp_path)
    assert crashed.returncode != 0
    assert crash_reports.reports(tmp_path) == []
    assert "Segmentation fault" in (tmp_path / crash_reports.FAULT_FILE).read_text()

    run_python("", tmp_path)  # the next start
    (report,) = crash_reports.reports(tmp_path)
    text = report.read_text(encoding="utf-8")
    assert "Harter Absturz" in text and "Segmentation fault" in text
    assert (tmp_path / crash_reports.FAULT_FILE).read_text() == ""
    run_python("", tmp_path)  # and only once
    assert len(crash_reports.reports(tmp_path)) == 1


def test_faulthandler_output_of_a_normal_run_is_no_crash(tmp_path: Path) -> None:
    # On Windows faulthandler also logs exceptions that were handled (e.g. in COM calls).
    noise = """
        with (folder / "fault.log").open("a") as fault:
            fault.write("Windows fatal exception: code 0x8001010d\\n")
    """
    assert run_python(noise, tmp_path).returncode == 0
    assert (tmp_path / crash_reports.FAULT_FILE).read_text() == ""
    run_python("", tmp_path)
    assert crash_reports.reports(tmp_path) == []


def test_keyboard_interrupt_writes_no_report(tmp_path: Path) -> None:
    run_python("raise KeyboardInterrupt", tmp_path)
    assert crash_reports.reports(tmp_path) == []


@pytest.mark.parametrize("name", ["crash-2026.txt", "notes.txt", "crash-20260101-080000.log"])
def test_other_files_are_not_reports(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("x")
    assert crash_reports.reports(tmp_path) == []
