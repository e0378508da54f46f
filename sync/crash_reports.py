"""Crash reports: what an unhandled exception or a hard crash leaves behind for support.

An unhandled exception (main thread, other threads, and Qt slots, whose exceptions PySide hands
to ``sys.excepthook``) writes ``crash-YYYYmmdd-HHMMSS.txt`` into the log folder: time, version,
platform, traceback and the last lines of the log. A hard crash (segfault in a C library)
cannot run Python code, so ``faulthandler`` writes the stacks into ``fault.log``; a normal
exit empties it again, and the next start turns a non-empty ``fault.log`` into a crash report.
The next start also offers the newest report nobody has seen yet; ``crash-seen.txt`` remembers
the newest one offered.
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import logging
import platform
import re
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType
from typing import TextIO

from sync.logging_setup import last_lines, log_file
from sync.store.paths import log_dir

log = logging.getLogger("eakte.sync.crash")

FAULT_FILE = "fault.log"
SEEN_FILE = "crash-seen.txt"
KEEP_REPORTS = 20
LOG_TAIL_LINES = 60
_NAME = re.compile(r"^crash-(\d{8}-\d{6})(?:-(\d+))?\.txt$")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def app_version() -> str:
    try:
        return version("eakte")
    except PackageNotFoundError:
        return "unbekannt"


def write_report(
    kind: str,
    details: str,
    *,
    folder: Path | None = None,
    now: datetime | None = None,
) -> Path:
    """Write a report; ``kind`` says what happened, ``details`` is the traceback or the
    faulthandler output. Returns the new file; old reports beyond the newest 20 are removed."""
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now().astimezone()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    header = [
        "E-Akte – Absturzbericht",
        f"Zeit: {now.isoformat(timespec='seconds')}",
        f"Art: {kind}",
        f"Version: {app_version()}",
        f"Python: {platform.python_version()} ({sys.executable})",
        f"Plattform: {platform.platform()}",
        "",
        details.rstrip(),
        "",
        f"Letzte Zeilen des Protokolls ({log_file(folder).name}):",
        *last_lines(log_file(folder), LOG_TAIL_LINES),
        "",
    ]
    text = "\n".join(header)
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        path = folder / f"crash-{stamp}{suffix}.txt"
        try:
            with path.open("x", encoding="utf-8") as out:  # never overwrite a report
                out.write(text)
        except FileExistsError:
            continue
        _prune(folder)
        return path
    raise FileExistsError(f"no free crash report name for {stamp} in {folder}")


def report_exception(
    exc_info: ExcInfo, *, thread: str | None = None, folder: Path | None = None
) -> Path:
    where = f"Unbehandelte Ausnahme im Thread „{thread}“" if thread else "Unbehandelte Ausnahme"
    details = "".join(traceback.format_exception(*exc_info))
    return write_report(where, details, folder=folder)


def reports(folder: Path | None = None) -> list[Path]:
    """The crash reports in ``folder``, oldest first."""
    folder = folder or log_dir()
    try:
        found = [p for p in folder.iterdir() if _NAME.match(p.name)]
    except OSError:
        return []
    return sorted(found, key=_order)


def newest_unseen(folder: Path | None = None) -> Path | None:
    folder = folder or log_dir()
    found = reports(folder)
    if not found:
        return None
    newest = found[-1]
    seen = _read_seen(folder)
    if seen is not None and _order(newest) <= seen:
        return None
    return newest


def mark_seen(report: Path) -> None:
    """Remember ``report`` (and everything older) as offered."""
    target = report.parent / SEEN_FILE
    temp = target.with_suffix(".tmp")
    temp.write_text(report.name + "\n", encoding="utf-8")
    temp.replace(target)


def take_unseen(folder: Path | None = None) -> Path | None:
    """The newest report not offered before, now marked as offered; None if there is none.
    Call at start, before the window exists (it reads the log folder)."""
    report = newest_unseen(folder)
    if report is not None:
        mark_seen(report)
    return report


# -- hooks -----------------------------------------------------------------------------------

_fault_stream: TextIO | None = None
_folder: Path | None = None
_our_hooks: set[object] = set()  # to recognise our hooks when installing again


def install_crash_handlers(folder: Path | None = None) -> None:
    """Write a report for every unhandled exception, and let ``faulthandler`` record hard
    crashes. Earlier hooks still run afterwards (the traceback still reaches stderr).
    Installing twice is harmless."""
    global _fault_stream, _folder
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _folder = folder
    if sys.excepthook not in _our_hooks:
        sys.excepthook = _main_hook(sys.excepthook)
        _our_hooks.add(sys.excepthook)
    if threading.excepthook not in _our_hooks:
        threading.excepthook = _thread_hook(threading.excepthook)
        _our_hooks.add(threading.excepthook)
    _salvage_fault_log(folder)
    if _fault_stream is None:
        atexit.register(_clean_exit)
    else:
        _fault_stream.close()
    # Append: a second instance of the app shares the file and must not cut off the first's.
    _fault_stream = (folder / FAULT_FILE).open("a", encoding="utf-8")
    faulthandler.enable(_fault_stream, all_threads=True)


def _clean_exit() -> None:
    """The interpreter ends normally, so whatever faulthandler wrote was no hard crash. On
    Windows it also logs exceptions that were handled (COM calls into Outlook raise some);
    left in the file they would be offered as a crash at the next start."""
    global _fault_stream
    if _fault_stream is None:
        return
    faulthandler.disable()
    _fault_stream.close()
    _fault_stream = None
    if _folder is not None:
        with contextlib.suppress(OSError):
            (_folder / FAULT_FILE).write_text("", encoding="utf-8")


def _main_hook(
    previous: Callable[[type[BaseException], BaseException, TracebackType | None], object],
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(exc_type, KeyboardInterrupt):
            _report((exc_type, exc, tb), None)
        previous(exc_type, exc, tb)

    return hook


def _thread_hook(
    previous: Callable[[threading.ExceptHookArgs], object],
) -> Callable[[threading.ExceptHookArgs], None]:
    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            name = args.thread.name if args.thread is not None else None
            _report((args.exc_type, args.exc_value, args.exc_traceback), name)
        previous(args)

    return hook


def _report(exc_info: ExcInfo, thread: str | None) -> None:
    try:
        path = report_exception(exc_info, thread=thread, folder=_folder)
    except Exception:  # the hook must never raise; the original error still gets logged
        log.exception("the crash report could not be written")
        path = None
    log.critical("unhandled exception (crash report: %s)", path, exc_info=exc_info)


def _salvage_fault_log(folder: Path) -> None:
    """Turn what faulthandler wrote during a hard crash of an earlier run into a report."""
    fault = folder / FAULT_FILE
    try:
        text = fault.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    if not text.strip():
        return
    report = write_report("Harter Absturz (vom Betriebssystem beendet)", text, folder=folder)
    fault.write_text("", encoding="utf-8")
    log.warning("the last run ended in a hard crash; report: %s", report)


def _order(path: Path) -> tuple[str, int]:
    match = _NAME.match(path.name)
    if match is None:
        return ("", 0)
    return (match.group(1), int(match.group(2) or 1))


def _read_seen(folder: Path) -> tuple[str, int] | None:
    try:
        name = (folder / SEEN_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return _order(Path(name)) if _NAME.match(name) else None


def _prune(folder: Path) -> None:
    for old in reports(folder)[:-KEEP_REPORTS]:
        old.unlink(missing_ok=True)


__all__ = [
    "app_version",
    "install_crash_handlers",
    "mark_seen",
    "newest_unseen",
    "report_exception",
    "reports",
    "take_unseen",
    "write_report",
]
