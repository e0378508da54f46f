"""The GUI side of the render process: start it, talk to it without ever waiting, replace it
when it dies or hangs.

Requests go down one pipe (small messages; the viewer keeps few renders in flight, so a send
never blocks on a full pipe). Replies come up another and are read by a thread that only
receives and hands each reply to the GUI thread through a queued signal: the GUI thread
never blocks on the pipe. Every process gets an ``epoch``; a reply or an end-of-pipe from an
older process is ignored, so a restart can never deliver a stale page.

When the process dies (MuPDF crashed on a malformed file, or it was killed), stops
answering for ``hang_timeout_ms`` while work is outstanding (counted from its ``Ready``:
starting Python and importing PyMuPDF may take seconds on a busy PC), or has not said
``Ready`` within ``startup_timeout_ms`` of its start, ``restarted`` is
emitted: every handle of the old process is gone, and the views decide whether to open
their document again or to show an error. A new process is started on the next request,
not at once, so a broken installation cannot make the viewer spawn processes in a loop.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from desktop.viewer.render_process import serve
from desktop.viewer.render_protocol import (
    CancelSearch,
    CloseDocument,
    ExtractText,
    Kind,
    OpenDocument,
    Opened,
    OpenFailed,
    Quit,
    Ready,
    Rect,
    Rendered,
    RenderFailed,
    RenderPage,
    Reply,
    Request,
    SearchDocument,
    SearchDone,
    TextExtracted,
)

log = logging.getLogger("eakte.desktop.viewer")

HANG_TIMEOUT_MS = 30_000  # no reply for this long while work is outstanding: a hang
# No "Ready" for this long after the start: hung while starting (e.g. an import blocked by a
# virus scanner). Generous: a busy PC may take seconds to start Python and import PyMuPDF.
STARTUP_TIMEOUT_MS = 120_000
STOP_TIMEOUT_S = 1.0  # at shutdown: how long a busy process gets to finish a page


class _Relay(QObject):
    """Carries what the reader thread receives to the GUI thread."""

    reply = Signal(int, object)  # epoch, Reply
    ended = Signal(int)  # epoch


def _read_replies(replies: Connection, epoch: int, relay: _Relay) -> None:  # reader thread
    try:
        while True:
            relay.reply.emit(epoch, replies.recv())
    except (EOFError, OSError):
        relay.ended.emit(epoch)


class _Process:
    """One render process with its two pipe ends and its reader thread."""

    def __init__(self, epoch: int, relay: _Relay) -> None:
        ctx = multiprocessing.get_context("spawn")
        child_requests, self.requests = ctx.Pipe(duplex=False)
        self._replies, child_replies = ctx.Pipe(duplex=False)
        self.process: BaseProcess = ctx.Process(
            target=serve,
            args=(child_requests, child_replies),
            name=f"eakte-render-{epoch}",
            daemon=True,
        )
        self.process.start()
        # Our copies of the child's ends must go, or the reader would never see EOF.
        child_requests.close()
        child_replies.close()
        self._reader = threading.Thread(
            target=_read_replies,
            args=(self._replies, epoch, relay),
            name=f"eakte-render-reader-{epoch}",
            daemon=True,
        )
        self._reader.start()

    def send(self, request: Request) -> None:
        self.requests.send(request)

    def kill(self) -> None:
        self.process.kill()

    def finished(self) -> bool:
        return not self.process.is_alive() and not self._reader.is_alive()

    def stop(self) -> None:
        """Ask the process to quit, kill it if it does not, and reap it and the reader."""
        with contextlib.suppress(OSError):  # already gone
            self.requests.send(Quit())
        self.requests.close()
        self.process.join(STOP_TIMEOUT_S)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(STOP_TIMEOUT_S)
        self._reader.join(STOP_TIMEOUT_S)
        self._replies.close()
        self.process.close()


class RenderClient(QObject):
    """Signals: ``replied(Reply)`` for every reply of the current process, on the GUI
    thread; ``restarted()`` after the process died or hung (its handles are gone)."""

    replied = Signal(object)
    restarted = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        hang_timeout_ms: int = HANG_TIMEOUT_MS,
        startup_timeout_ms: int = STARTUP_TIMEOUT_MS,
    ) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)  # handles and tickets alike: never reused
        self._epoch = 0
        self._process: _Process | None = None
        self._retired: list[_Process] = []
        self._outstanding: set[int] = set()  # tickets and handles that await a reply
        self._relay = _Relay(self)
        self._relay.reply.connect(self._on_reply, Qt.ConnectionType.QueuedConnection)
        self._relay.ended.connect(self._on_ended, Qt.ConnectionType.QueuedConnection)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(hang_timeout_ms)
        self._watchdog.timeout.connect(self._hung)
        # The watchdog counts from "Ready"; before it, only this one runs.
        self._startup = QTimer(self)
        self._startup.setSingleShot(True)
        self._startup.setInterval(startup_timeout_ms)
        self._startup.timeout.connect(self._never_ready)
        self._ready = False  # the current process has said ``Ready``
        self._closed = False

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the process now (it takes a moment to import PyMuPDF) rather than on the
        first request."""
        if self._process is None and not self._closed:
            self._epoch += 1
            self._process = _Process(self._epoch, self._relay)
            self._ready = False
            self._startup.start()
            log.debug("render process %s started", self._process.process.pid)

    @property
    def pid(self) -> int | None:
        return self._process.process.pid if self._process is not None else None

    def is_running(self) -> bool:
        return self._process is not None and self._process.process.is_alive()

    def shutdown(self) -> None:
        """Stop the process and reap everything; the client cannot be used afterwards."""
        self._closed = True
        self._watchdog.stop()
        self._startup.stop()
        for process in [*self._retired, *([self._process] if self._process else [])]:
            process.stop()
        self._retired.clear()
        self._process = None
        self._outstanding.clear()

    # -- requests -----------------------------------------------------------------------

    def open(self, path: str, kind: Kind) -> int:
        """Open a document; the answer is ``Opened`` or ``OpenFailed`` with this handle."""
        handle = next(self._ids)
        self._send(OpenDocument(handle, path, kind), awaits=handle)
        return handle

    def close(self, handle: int) -> None:
        self._outstanding.discard(handle)
        if self._process is not None:  # a dead process has closed everything anyway
            self._send(CloseDocument(handle))

    def render(self, handle: int, page: int, width: int, rotation: int) -> int:
        ticket = next(self._ids)
        self._send(RenderPage(handle, ticket, page, width, rotation), awaits=ticket)
        return ticket

    def extract_text(self, handle: int, page: int, clip: Rect | None) -> int:
        ticket = next(self._ids)
        self._send(ExtractText(handle, ticket, page, clip), awaits=ticket)
        return ticket

    def search(self, handle: int, query: str) -> int:
        ticket = next(self._ids)
        self._send(SearchDocument(handle, ticket, query), awaits=ticket)
        return ticket

    def cancel_search(self, ticket: int) -> None:
        if ticket in self._outstanding:
            self._outstanding.discard(ticket)
            self._send(CancelSearch(ticket))

    def _send(self, request: Request, *, awaits: int | None = None) -> None:
        if self._closed:
            return
        self.start()
        assert self._process is not None
        try:
            self._process.send(request)
        except OSError:
            # The process is gone; the reader reports the end and views start over.
            log.warning("render process unreachable", exc_info=True)
            return
        if awaits is not None:
            if not self._outstanding and self._ready:
                self._watchdog.start()
            self._outstanding.add(awaits)

    # -- replies ------------------------------------------------------------------------

    @Slot(int, object)
    def _on_reply(self, epoch: int, reply: Reply) -> None:
        if epoch != self._epoch or self._closed or self._process is None:
            return
        if isinstance(reply, Ready):
            self._ready = True
            self._startup.stop()
        elif isinstance(reply, Opened | OpenFailed):
            self._outstanding.discard(reply.handle)
        elif isinstance(reply, Rendered | RenderFailed | TextExtracted | SearchDone):
            self._outstanding.discard(reply.ticket)
        if self._outstanding:
            self._watchdog.start()  # progress: the process is alive
        else:
            self._watchdog.stop()
        if not isinstance(reply, Ready):
            self.replied.emit(reply)

    @Slot(int)
    def _on_ended(self, epoch: int) -> None:
        if epoch != self._epoch or self._closed or self._process is None:
            return
        log.warning("render process %s ended unexpectedly", self._process.process.pid)
        self._retire()

    def _hung(self) -> None:
        if self._process is None or not self._outstanding:
            return
        log.warning("render process %s stopped answering; replacing it", self._process.process.pid)
        self._process.kill()
        self._retire()

    def _never_ready(self) -> None:
        if self._process is None or self._ready:
            return
        log.warning("render process %s did not start; replacing it", self._process.process.pid)
        self._process.kill()
        self._retire()

    def _retire(self) -> None:
        assert self._process is not None
        dead = self._process
        self._process = None
        self._outstanding.clear()
        self._watchdog.stop()
        self._startup.stop()
        # Reaped once it has fully ended (joining now could wait); its messages are ignored.
        ending = [dead]
        for old in self._retired:
            if old.finished():
                old.stop()
            else:
                ending.append(old)
        self._retired = ending
        self.restarted.emit()
