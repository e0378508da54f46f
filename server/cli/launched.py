"""``serve`` started by another program (``eakte demo`` runs the server as its child).

The launcher learns the address from a small JSON file written once the server accepts
connections (``--ready-file``), so it needs neither a fixed port nor to parse logs; and the
server stops by itself when the launcher is gone, even after it crashed (``--parent-pid``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any

import uvicorn

log = logging.getLogger("eakte.server.cli")

POLL_SECONDS = 1.0


def write_ready_file(path: Path, url: str) -> None:
    """Write ``{"url", "pid"}`` atomically: a reader sees no file or a whole one."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
    tmp.replace(path)


def listening_url(sockname: tuple[Any, ...], *, tls: bool) -> str:
    host, port = str(sockname[0]), int(sockname[1])
    everywhere = {"0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104 - compared, not bound
    host = everywhere.get(host, host)  # listening on all interfaces: loopback reaches it
    if ":" in host:
        host = f"[{host}]"
    return f"{'https' if tls else 'http'}://{host}:{port}"


class ParentWatch:
    """Whether the launching process still runs, asked about once a second.

    POSIX: ``os.kill(pid, 0)``; when the launcher is our direct parent we also notice being
    re-parented, which happens at its death even while it is an unreaped zombie (that
    ``kill(pid, 0)`` would still call alive). Windows: a handle opened at start, which stays
    bound to that very process (no confusion by a reused pid) and is signalled when it ends.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        if sys.platform == "win32":
            self._handle = _open_process(pid)
        else:
            self._is_parent = os.getppid() == pid

    def alive(self) -> bool:
        if sys.platform == "win32":
            return _process_running(self._handle)
        if self._is_parent and os.getppid() != self.pid:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # it exists, under another account
            return True
        return True


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    _SYNCHRONIZE = 0x00100000
    _WAIT_TIMEOUT = 0x102
    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _kernel32.OpenProcess.restype = wintypes.HANDLE
    _kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    _kernel32.WaitForSingleObject.restype = wintypes.DWORD
    _kernel32.WaitForSingleObject.argtypes = (wintypes.HANDLE, wintypes.DWORD)

    def _open_process(pid: int) -> int | None:
        handle: int | None = _kernel32.OpenProcess(_SYNCHRONIZE, False, pid)
        return handle or None  # None: no such process (any more)

    def _process_running(handle: int | None) -> bool:
        return handle is not None and _kernel32.WaitForSingleObject(handle, 0) == _WAIT_TIMEOUT


class LaunchedServer(uvicorn.Server):
    """uvicorn's single-process server plus the ready file and the parent watch."""

    def __init__(
        self, config: uvicorn.Config, *, ready_file: Path | None, parent: ParentWatch | None
    ) -> None:
        super().__init__(config)
        self.ready_file = ready_file
        self.ready_written = False
        self.parent = parent
        self._watch: asyncio.Task[None] | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.started:
            return
        if self.parent is not None:
            self._watch = asyncio.get_running_loop().create_task(self._watch_parent(self.parent))
        if self.ready_file is not None:
            # Listening now: connections are accepted from here on.
            address = self.servers[0].sockets[0].getsockname()
            write_ready_file(self.ready_file, listening_url(address, tls=self.config.is_ssl))
            self.ready_written = True

    async def _watch_parent(self, parent: ParentWatch) -> None:
        while not self.should_exit:
            await asyncio.sleep(POLL_SECONDS)
            if not parent.alive():
                log.warning("Process %d that started this server is gone: stopping.", parent.pid)
                self.should_exit = True  # uvicorn's main loop sees it within 0.1 s

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # Here, not after run(): uvicorn re-raises a captured SIGTERM once it has shut down,
        # which ends the process before any code after run() could remove the file.
        self.remove_ready_file()
        await super().shutdown(sockets=sockets)

    def remove_ready_file(self) -> None:
        """A stale file must not announce a server that is gone."""
        if self.ready_file is not None and self.ready_written:
            self.ready_file.unlink(missing_ok=True)
            self.ready_written = False
