"""Logging for the whole application, configured once at start.

One rotating file (5 × 2 MB) in the per-user log folder takes everything logged under
``eakte`` (``eakte.desktop.*``, ``eakte.sync.*``, ``eakte.store``, …), so a support call can
start with "send us the log folder". Anything that looks like a secret (passwords, tokens,
authorization headers) is masked before it reaches the file, as a last line of defence: code
must not log secrets in the first place.
"""

from __future__ import annotations

import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from sync.store.paths import log_dir

LOG_FILE = "eakte.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

_SECRET = re.compile(
    r"(?i)(\b(?:password|passwort|passwd|token|secret|api[_-]?key|authorization)\b"
    r"[\"']?\s*[=:]\s*[\"']?)(?:bearer\s+|basic\s+)?[^\s\"',;&]+"
    r"|(\bbearer\s+)[A-Za-z0-9._~+/=-]+"
)


def redact(text: str) -> str:
    """``text`` with the values of password/token-like fields replaced by ``***``."""
    return _SECRET.sub(lambda m: f"{m.group(1) or m.group(2)}***", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


# (logger, handler) pairs this module added, so that a second call replaces them.
_installed: list[tuple[logging.Logger, logging.Handler]] = []


def setup_logging(
    folder: Path | None = None, *, level: int = logging.INFO, console: bool = True
) -> Path:
    """Send the ``eakte`` loggers to ``folder/eakte.log`` (default: ``log_dir()``), and
    warnings also to stderr. Calling it again replaces the previous configuration (tests);
    returns the log file."""
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    teardown_logging()
    logger = logging.getLogger("eakte")
    file_handler = RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    file_handler.setFormatter(RedactingFormatter(FORMAT))
    _installed.append((logger, file_handler))
    # Python's own warnings (deprecations in libraries) are worth having in the file too.
    logging.captureWarnings(True)
    _installed.append((logging.getLogger("py.warnings"), file_handler))
    if console and sys.stderr is not None:  # a windowed (frozen) app has no stderr
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        stream.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
        _installed.append((logger, stream))
    for owner, handler in _installed:
        owner.addHandler(handler)
    logger.setLevel(level)
    logger.info("logging to %s", path)
    return path


def teardown_logging() -> None:
    """Undo :func:`setup_logging` (closes the file; for tests and a clean exit)."""
    for owner, handler in _installed:
        owner.removeHandler(handler)
        handler.close()
    if _installed:
        logging.captureWarnings(False)
    _installed.clear()


def log_file(folder: Path | None = None) -> Path:
    return (folder or log_dir()) / LOG_FILE


def last_lines(path: Path, count: int = 50, *, max_bytes: int = 64 * 1024) -> list[str]:
    """The last ``count`` lines of a log file (empty if there is none)."""
    try:
        with path.open("rb") as source:
            source.seek(0, 2)
            size = source.tell()
            source.seek(max(0, size - max_bytes))
            tail = source.read()
    except OSError:
        return []
    lines = tail.decode("utf-8", errors="replace").splitlines()
    if size > max_bytes:
        lines = lines[1:]  # the first line is probably cut off
    return lines[-count:]


__all__ = ["LOG_FILE", "last_lines", "log_file", "redact", "setup_logging", "teardown_logging"]
