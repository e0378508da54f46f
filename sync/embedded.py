"""The central server on this machine, for ``eakte demo``: a child process on 127.0.0.1 with
its SQLite database, blob folder, config and log inside one data folder.

``sync`` may not import ``server`` (layers), so the server runs as its own process, started as
an administrator would start it: ``eakte-server serve --demo`` (``--demo`` first does what
``init --demo`` does, in the same process; a separate ``init`` process would cost one more
interpreter start, ~2.5 s, on every start, and re-running it also upgrades the schema of an
older data folder, which a "skip if initialised" shortcut would miss). The child reports its
free port through a ready file and stops by itself when this process is gone, even after a
crash (``--parent-pid``).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from sync.errors import EAkteError
from sync.transport import Backoff, ServerClient

log = logging.getLogger("eakte.sync.embedded")

# The demo account that ``init --demo`` creates (server/demo.py documents the same values).
DEMO_MUNICIPALITY = "meinhard"
DEMO_LOGIN = "demo"
DEMO_PASSWORD = "demo-passwort-2026"  # noqa: S105 - the documented demo password
DEMO_PASSWORD_ENV = "EAKTE_DEMO_PASSWORD"  # noqa: S105 - overrides it, on both sides

CONFIG_NAME = "server.toml"
DATABASE_NAME = "server.sqlite3"
BLOB_DIR_NAME = "blobs"
LOG_NAME = "server.log"
READY_NAME = "server.ready.json"
SERVER_ENV_PREFIX = "EAKTE_SERVER_"
LOG_TAIL_LINES = 20
POLL_SECONDS = 0.05
# A GUI app on Windows would otherwise open a console window for the child.
if sys.platform == "win32":
    _NO_CONSOLE = subprocess.CREATE_NO_WINDOW
else:
    _NO_CONSOLE = 0


def demo_password() -> str:
    """The demo password the embedded server gets (and keeps: existing accounts are never
    re-passworded, so a changed ``EAKTE_DEMO_PASSWORD`` applies to a new data folder only)."""
    return os.environ.get(DEMO_PASSWORD_ENV) or DEMO_PASSWORD


class EmbeddedServerError(EAkteError):
    """The embedded server did not start; ``log_tail`` holds the end of its log."""

    code = "embedded_server"
    title = "Eingebauter Server startet nicht"

    def __init__(self, what: str, *, log_path: Path, log_tail: str) -> None:
        super().__init__(
            f"{what}\n\nLetzte Zeilen aus dem Protokoll {log_path}:\n{log_tail}\n\n"
            "Bitte die Anwendung neu starten. Bleibt der Fehler, das Protokoll an die "
            "IT-Betreuung geben."
        )
        self.log_path = log_path
        self.log_tail = log_tail


class EmbeddedServer:
    """A running embedded server. ``start`` returns once it answers ``/health``."""

    url: str
    pid: int  # of the server process, as it reported itself
    server_id: str
    startup_seconds: float

    def __init__(self, process: subprocess.Popen[bytes], data_dir: Path) -> None:
        self._process = process
        self.data_dir = data_dir
        self.log_path = data_dir / LOG_NAME
        self._ready_file = data_dir / READY_NAME

    @classmethod
    def start(cls, data_dir: Path, *, demo: bool = True, timeout: float = 60.0) -> EmbeddedServer:
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        config = data_dir / CONFIG_NAME
        if not config.exists():  # an existing one is kept: it may have been adjusted
            config.write_text(_config_text(data_dir), encoding="utf-8")
        (data_dir / READY_NAME).unlink(missing_ok=True)  # left over after a hard kill
        _keep_previous_log(data_dir / LOG_NAME)
        began = time.perf_counter()
        command = [
            *_server_command(),
            "--config",
            str(config),
            "serve",
            "--demo" if demo else "--init",
            "--port",
            "0",
            "--ready-file",
            str(data_dir / READY_NAME),
            "--parent-pid",
            str(os.getpid()),
        ]
        with (data_dir / LOG_NAME).open("wb") as log_file:
            process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=_child_env(),
                cwd=data_dir,  # not the caller's folder: nothing there may shadow a module
                creationflags=_NO_CONSOLE,
            )
        server = cls(process, data_dir)
        try:
            server._await_ready(timeout)
        except BaseException:
            server.stop()
            raise
        server.startup_seconds = time.perf_counter() - began
        log.info(
            "Embedded server %s ready in %.1f s (init + serve), data in %s",
            server.url,
            server.startup_seconds,
            data_dir,
        )
        return server

    def _await_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while (ready := _read_ready(self._ready_file)) is None:
            code = self._process.poll()
            if code is not None:
                raise self._error(
                    f"Der eingebaute Server hat sich beim Start beendet (Code {code})."
                )
            if time.monotonic() > deadline:
                raise self._error(
                    f"Der eingebaute Server hat sich nach {timeout:.0f} Sekunden nicht gemeldet."
                )
            time.sleep(POLL_SECONDS)
        self.url, self.pid = str(ready["url"]), int(ready["pid"])
        # Loopback only: proxy settings from the environment must not apply.
        session = requests.Session()
        session.trust_env = False
        try:
            self.server_id = self._health(session)
        finally:
            session.close()

    def _health(self, session: requests.Session) -> str:
        client = ServerClient(self.url, session=session, backoff=Backoff(attempts=3))
        try:
            return client.health().server_id
        except EAkteError as exc:
            raise self._error(
                f"Der eingebaute Server unter {self.url} antwortet nicht richtig: {exc.message}"
            ) from exc

    def _error(self, what: str) -> EmbeddedServerError:
        return EmbeddedServerError(what, log_path=self.log_path, log_tail=_tail(self.log_path))

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the server to stop, and kill it if it has not after ``timeout`` seconds.

        POSIX: SIGTERM, on which uvicorn finishes open requests. Windows: terminate() ends
        the process at once; SQLite (WAL) and the blob store (verified, renamed into place)
        stay consistent, an upload in flight is resumed by the client later.
        """
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("Embedded server did not stop within %.0f s: killing it", timeout)
                self._process.kill()
                self._process.wait(timeout)
        self._ready_file.unlink(missing_ok=True)

    def __enter__(self) -> EmbeddedServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _config_text(data_dir: Path) -> str:
    # json.dumps gives a valid TOML basic string (same escapes); forward slashes work on
    # Windows too and keep backslashes out of the SQLite URL.
    database_url = f"sqlite:///{(data_dir / DATABASE_NAME).resolve().as_posix()}"
    blob_dir = (data_dir / BLOB_DIR_NAME).resolve().as_posix()
    return (
        "# Embedded server of `eakte demo` (written once; edits are kept).\n"
        "[server]\n"
        f"database_url = {json.dumps(database_url)}\n"
        f"blob_dir = {json.dumps(blob_dir)}\n"
        'host = "127.0.0.1"\n'
    )


def _server_command() -> list[str]:
    """How to run ``eakte-server``: with this interpreter, or, in the frozen (PyInstaller)
    app, which has no ``-m``, as the app itself in its hidden server mode (see
    installer/launcher.py)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--serve-embedded"]
    return [sys.executable, "-m", "server.cli.main"]


def _child_env() -> dict[str, str]:
    # EAKTE_SERVER_* would override the config file (e.g. point at another database).
    env = {k: v for k, v in os.environ.items() if not k.startswith(SERVER_ENV_PREFIX)}
    env[DEMO_PASSWORD_ENV] = demo_password()  # both sides agree on the demo password
    env["PYTHONUNBUFFERED"] = "1"  # the log file is current when we read its tail
    return env


def _keep_previous_log(path: Path) -> None:
    """One generation: the log of the last session survives one restart."""
    if path.exists():
        path.replace(path.with_name(path.name + ".1"))


def _read_ready(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # being replaced right now (Windows): next poll
        return None
    return data if isinstance(data, dict) and "url" in data and "pid" in data else None


def _tail(path: Path) -> str:
    try:
        text = path.read_bytes()[-16384:].decode("utf-8", errors="replace")
    except OSError as exc:
        return f"(Protokoll nicht lesbar: {exc})"
    lines = text.splitlines()[-LOG_TAIL_LINES:]
    return "\n".join(lines) if lines else "(Protokoll leer)"
