"""One side of a content conflict: the first page of a version, rendered by the viewer's render
process (never in this process: PyMuPDF would hold the GIL), and who made it, when and how
large it is. A version whose bytes are not on this PC is downloaded first, if it can be."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.dialogs.fields import format_time
from desktop.metadata.fields import format_size
from desktop.viewer.render_client import RenderClient
from desktop.viewer.render_protocol import Kind, Opened, OpenFailed, Rendered, RenderFailed
from sync.engine.conflicts import VersionSide

log = logging.getLogger("eakte.desktop.sync")

PREVIEW_WIDTH = 300  # device pixels of the rendered first page
PAGED = frozenset({"pdf", "image"})

# fetch(sha256, size, on_done, on_error): download a blob (SyncController.fetch).
Fetch = Callable[[str, int, Callable[[object], None], Callable[[Exception], None]], None]


@dataclass(frozen=True)
class PreviewSource:
    side: VersionSide
    doc_type: str
    path: str  # where the blob is (or will be) in the store
    present: bool


class VersionPreview(QWidget):
    """``shown()`` once the preview is final: a page, or the reason there is none."""

    shown = Signal()

    def __init__(
        self,
        heading: str,
        client: RenderClient | None,
        fetch: Fetch | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._fetch = fetch
        self._source: PreviewSource | None = None
        self._handle: int | None = None
        self._ticket: int | None = None
        self.heading = QLabel(heading)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(220, 280)
        self.image.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.facts)
        if client is not None:
            client.replied.connect(self._reply)
            client.restarted.connect(self._restarted)

    def has_page(self) -> bool:
        pixmap = self.image.pixmap()
        return pixmap is not None and not pixmap.isNull()

    def show_version(self, source: PreviewSource) -> None:
        self._close_handle()
        self._source = source
        side = source.side
        self.facts.setText(
            self.tr("Version %1 · %2 · %3 · %4")
            .replace("%1", str(side.number))
            .replace("%2", side.created_by or self.tr("unbekannt"))
            .replace("%3", format_time(side.created_at))
            .replace("%4", format_size(side.size))
        )
        self.image.clear()
        if source.doc_type not in PAGED or self._client is None:
            self._say(self.tr("Keine Vorschau für diese Art von Datei."))
            return
        if source.present:
            self._render()
            return
        if self._fetch is None:
            self._say(self.tr("Diese Version ist nicht auf diesem PC gespeichert."))
            return
        self._say(self.tr("Wird geladen …"), final=False)
        wanted = side.version_id

        def fetched(_result: object) -> None:
            if self._source is not None and self._source.side.version_id == wanted:
                self._render()

        def failed(exc: Exception) -> None:
            if self._source is not None and self._source.side.version_id == wanted:
                message = getattr(exc, "message", "")
                self._say(self.tr("Keine Vorschau: %1").replace("%1", message or str(exc)))

        self._fetch(side.blob_sha256, side.size, fetched, failed)

    def _render(self) -> None:
        assert self._source is not None and self._client is not None
        kind: Kind = "pdf" if self._source.doc_type == "pdf" else "image"
        self._say(self.tr("Vorschau wird erstellt …"), final=False)
        self._handle = self._client.open(self._source.path, kind)

    def _say(self, text: str, *, final: bool = True) -> None:
        self.image.clear()
        self.image.setText(text)
        if final:
            self.shown.emit()

    @Slot(object)
    def _reply(self, reply: object) -> None:
        client = self._client
        if client is None or self._handle is None:
            return
        if isinstance(reply, Opened) and reply.handle == self._handle:
            self._ticket = client.render(reply.handle, 0, PREVIEW_WIDTH, 0)
        elif isinstance(reply, OpenFailed) and reply.handle == self._handle:
            self._handle = None
            self._say(self.tr("Keine Vorschau: die Datei lässt sich nicht öffnen."))
        elif isinstance(reply, Rendered | RenderFailed) and reply.ticket == self._ticket:
            self._ticket = None
            self._close_handle()
            if isinstance(reply, RenderFailed):
                self._say(self.tr("Keine Vorschau: die erste Seite lässt sich nicht darstellen."))
                return
            packed = QImage(
                reply.data, reply.width, reply.height, 3 * reply.width, QImage.Format.Format_RGB888
            )
            pixmap = QPixmap.fromImage(packed.copy())  # owns its pixels: the reply can go
            pixmap.setDevicePixelRatio(max(1.0, self.devicePixelRatioF()))
            self.image.setText("")
            self.image.setPixmap(pixmap)
            self.shown.emit()

    @Slot()
    def _restarted(self) -> None:
        if self._handle is not None:
            self._handle = self._ticket = None
            self._say(self.tr("Keine Vorschau: die Darstellung ist abgebrochen."))

    def _close_handle(self) -> None:
        if self._handle is not None and self._client is not None:
            self._client.close(self._handle)
        self._handle = self._ticket = None

    def release(self) -> None:
        """Close what is open in the render process and stop listening to it."""
        self._close_handle()
        client = self._client
        if client is not None:
            client.replied.disconnect(self._reply)
            client.restarted.disconnect(self._restarted)
            self._client = None
