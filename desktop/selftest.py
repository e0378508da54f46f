"""``eakte --selftest``: does this installation work? For the frozen app (PyInstaller) above
all, where a missing plugin, data file or hidden import only shows when it is used.

Each check uses the real part (Qt's plugins, the viewer's render process, the store's
migrations, the OS keyring, the embedded server) in a temporary folder and prints one line,
``ok`` or ``FEHLER`` with the reason; the report also goes to ``selftest.txt`` in the log
folder. Offscreen: it opens no window and runs on a server without a display. The exit code
is 0 only if every check passed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
RENDER_TIMEOUT_MS = 60_000  # the render process starts Python and imports PyMuPDF first
RENDER_WIDTH = 200
REQUIRED_IMAGE_FORMATS = ("png", "jpeg", "jpg", "gif", "bmp")
REPORT_NAME = "selftest.txt"  # in the log folder, see _keep


class CheckFailedError(Exception):
    """A check found a problem; the message says which (German, for the report)."""


@dataclass(frozen=True)
class Outcome:
    name: str
    passed: bool
    detail: str
    seconds: float


Check = tuple[str, Callable[[Path], str]]


def run_checks(checks: Sequence[Check], work_dir: Path) -> list[Outcome]:
    """Run every check (a failure never stops the others); each gets its own folder."""
    outcomes = []
    for index, (name, check) in enumerate(checks):
        folder = work_dir / f"{index:02d}"
        folder.mkdir()
        began = time.perf_counter()
        try:
            detail, passed = check(folder), True
        except CheckFailedError as exc:
            detail, passed = str(exc), False
        except Exception as exc:  # an unexpected error is a failed check too
            detail, passed = f"{type(exc).__name__}: {exc}", False
            traceback.print_exc(file=sys.stderr)
        outcomes.append(Outcome(name, passed, detail, time.perf_counter() - began))
    return outcomes


def report(outcomes: Sequence[Outcome], version: str) -> str:
    lines = [f"E-Akte {version} – Selbsttest ({sys.platform}, frozen: {_frozen()})"]
    for o in outcomes:
        lines.append(
            f"{'ok' if o.passed else 'FEHLER':<7} {o.name}: {o.detail} ({o.seconds:.1f} s)"
        )
    failed = sum(not o.passed for o in outcomes)
    lines.append(
        "Alle Prüfungen bestanden." if not failed else f"{failed} Prüfung(en) fehlgeschlagen."
    )
    return "\n".join(lines)


def _frozen() -> str:
    return "ja" if getattr(sys, "frozen", False) else "nein"


# --- the checks ----------------------------------------------------------------------------


def check_qt_platform(_folder: Path) -> str:
    from PySide6.QtGui import QGuiApplication

    name = QGuiApplication.platformName()
    if not name:
        raise CheckFailedError("kein Qt-Plattform-Plugin geladen")
    return f"Plugin „{name}“, Qt {_qt_version()}"


def check_image_formats(_folder: Path) -> str:
    from PySide6.QtGui import QImageReader

    supported = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = [f for f in REQUIRED_IMAGE_FORMATS if f not in supported]
    if missing:
        raise CheckFailedError(f"Bildformat-Plugins fehlen: {', '.join(missing)}")
    return ", ".join(sorted(supported))


def check_qt_translations(_folder: Path) -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    if not translator.load("qtbase_de", folder):
        raise CheckFailedError(f"Qt-Übersetzung qtbase_de nicht gefunden in {folder}")
    return f"qtbase_de aus {folder}"


def check_app_translations(folder: Path) -> str:
    from desktop.translations import compiled_catalogue

    catalogue = compiled_catalogue("en", cache_dir=folder)
    if catalogue is None:
        raise CheckFailedError("englische Übersetzung (eakte_en.qm) fehlt und ist nicht erzeugbar")
    return str(catalogue)


def check_render_process(folder: Path) -> str:
    """A page rendered by the viewer's own render process (a "spawn" child: in the frozen app
    this proves that the app can start itself as a worker)."""
    import pymupdf
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.viewer.render_client import RenderClient
    from desktop.viewer.render_protocol import Opened, OpenFailed, Rendered, RenderFailed, Reply
    from sync.demo.samples import text_pdf

    pdf = folder / "probe.pdf"
    pdf.write_bytes(text_pdf("E-Akte Selbsttest", ["Diese Seite zeichnet der Renderprozess."]))

    client = RenderClient()
    loop = QEventLoop()
    replies: list[Reply] = []

    def on_reply(reply: Reply) -> None:
        replies.append(reply)
        if isinstance(reply, Opened):
            client.render(reply.handle, 0, RENDER_WIDTH, 0)
        elif isinstance(reply, OpenFailed | Rendered | RenderFailed):
            loop.quit()

    client.replied.connect(on_reply)
    client.restarted.connect(loop.quit)
    QTimer.singleShot(RENDER_TIMEOUT_MS, loop.quit)
    try:
        client.open(str(pdf), "pdf")
        pid = client.pid
        loop.exec()
    finally:
        client.shutdown()
    rendered = next((r for r in replies if isinstance(r, Rendered)), None)
    if rendered is None:
        last = type(replies[-1]).__name__ if replies else "keine Antwort"
        raise CheckFailedError(f"Renderprozess lieferte keine Seite ({last})")
    dark = sum(1 for value in rendered.data[::3] if value < 128)
    if dark == 0:
        raise CheckFailedError("die gerenderte Seite ist leer (Text fehlt)")
    return (
        f"Seite {rendered.width}×{rendered.height} px im Renderprozess {pid}, "
        f"PyMuPDF {pymupdf.VersionBind}"
    )


def check_store(folder: Path) -> str:
    from sqlalchemy import text

    from sync.store.database import SCHEMA_HEAD, Store

    with Store.open(folder / "store") as store, store.read() as session:
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision != SCHEMA_HEAD:
        raise CheckFailedError(f"Schema {revision} statt {SCHEMA_HEAD} nach der Migration")
    return f"angelegt und migriert auf Schema {revision}"


def check_keyring(_folder: Path) -> str:
    """The OS keyring keyring picks (Windows: Credential Manager). keyring finds its backends
    through entry points: none registered means the package lost keyring's metadata."""
    from importlib.metadata import entry_points

    import keyring

    from sync.credentials import CredentialStore
    from sync.errors import EAkteError

    registered = sorted(e.name for e in entry_points(group="keyring.backends"))
    if not registered:
        raise CheckFailedError("keyring kennt keine Backends (Paket-Metadaten von keyring fehlen)")
    kind = type(keyring.get_keyring())
    chosen = f"{kind.__module__}.{kind.__qualname__}"
    try:
        CredentialStore().backend()
    except EAkteError as exc:
        raise CheckFailedError(f"{exc.message} [{chosen}]") from exc
    return f"{chosen} (registriert: {', '.join(registered)})"


def check_embedded_server(folder: Path) -> str:
    """The demo's server: in the frozen app, the app itself in its hidden server mode."""
    from sync.embedded import EmbeddedServer

    with EmbeddedServer.start(folder / "server", demo=False) as server:
        return f"gestartet und erreichbar unter {server.url}"


CHECKS: tuple[Check, ...] = (
    ("Qt-Plattform", check_qt_platform),
    ("Bildformate", check_image_formats),
    ("Qt-Übersetzungen", check_qt_translations),
    ("E-Akte-Übersetzungen", check_app_translations),
    ("PDF-Darstellung", check_render_process),
    ("Lokaler Datenbestand", check_store),
    ("Schlüsselbund", check_keyring),
    ("Eingebauter Server", check_embedded_server),
)


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return qVersion()


def main(checks: Sequence[Check] = CHECKS) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from sync.crash_reports import app_version

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="eakte-selftest-") as temp:
        outcomes = run_checks(checks, Path(temp))
    del app
    text = report(outcomes, app_version())
    print(text, flush=True)
    _keep(text)
    return EXIT_OK if all(o.passed for o in outcomes) else EXIT_FAILED


def _keep(text: str) -> None:
    """Also into the log folder: on Windows, eakte.exe is a GUI program whose printed output
    only shows when redirected (``eakte.exe --selftest > bericht.txt``)."""
    from sync.store.paths import log_dir

    path = log_dir() / REPORT_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"Bericht nicht gespeichert ({path}): {exc}", file=sys.stderr)
