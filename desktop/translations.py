"""The user interface language: German is the source language of every string; English comes
from ``resources/translations/eakte_en.ts``.

Compiled catalogues (.qm) are build output, not sources: an installer build may ship
``eakte_en.qm`` beside the .ts; otherwise it is compiled with Qt's ``lrelease`` into the
per-user cache folder when it is missing or older than the .ts. That happens in
``install_translations``, which the start-up code calls before the main window exists; it
takes a fraction of a second and only once per .ts (the time is logged).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

import PySide6
from platformdirs import user_cache_path
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from sync.store.paths import resources_dir

log = logging.getLogger("eakte.desktop.translations")

SOURCE_LANGUAGE = "de"
LOCALES = {
    "de": QLocale(QLocale.Language.German, QLocale.Country.Germany),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}
COMPILE_TIMEOUT_S = 60


def ts_file(language: str) -> Path:
    return resources_dir() / "translations" / f"eakte_{language}.ts"


def default_cache_dir() -> Path:
    return user_cache_path("eakte", appauthor=False) / "translations"


def lrelease_path() -> Path | None:
    """Qt's lrelease as PySide6 ships it (what ``pyside6-lrelease`` runs)."""
    name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    bundled = Path(PySide6.__file__).resolve().parent / name
    if bundled.exists():
        return bundled
    found = shutil.which("lrelease")
    return Path(found) if found else None


def _fresh(qm: Path, ts: Path) -> bool:
    return qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime


def compiled_catalogue(language: str, cache_dir: Path | None = None) -> Path | None:
    """The .qm for ``language``, compiled first if needed; None if there is no .ts or it
    cannot be compiled (the interface then stays German, and the log says why)."""
    ts = ts_file(language)
    if not ts.exists():
        log.warning("no translation source %s", ts)
        return None
    shipped = ts.with_suffix(".qm")
    if _fresh(shipped, ts):
        return shipped
    folder = cache_dir or default_cache_dir()
    qm = folder / shipped.name
    if _fresh(qm, ts):
        return qm
    lrelease = lrelease_path()
    if lrelease is None:
        log.warning("lrelease not found: %s cannot be compiled", ts)
        return None
    folder.mkdir(parents=True, exist_ok=True)
    partial = qm.with_suffix(".qm.part")  # renamed when complete: never a half catalogue
    started = time.perf_counter()
    try:
        subprocess.run(  # noqa: S603 - fixed arguments, our own files
            [str(lrelease), "-silent", str(ts), "-qm", str(partial)],
            check=True,
            capture_output=True,
            timeout=COMPILE_TIMEOUT_S,
        )
        partial.replace(qm)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("compiling %s failed: %s", ts, exc)
        partial.unlink(missing_ok=True)
        return None
    log.info("compiled %s in %.0f ms", qm, (time.perf_counter() - started) * 1000)
    return qm


def install_translations(
    app: QApplication, language: str, *, cache_dir: Path | None = None
) -> list[QTranslator]:
    """Translate Qt's own texts and ours into ``language`` ("de" or "en"; anything else is
    German) and make it the default locale for dates and numbers. Call before any window
    exists. Returns the installed translators (``app.removeTranslator`` undoes them)."""
    if language not in LOCALES:
        log.warning("unknown language %r, using German", language)
        language = SOURCE_LANGUAGE
    QLocale.setDefault(LOCALES[language])
    installed: list[QTranslator] = []
    qt_texts = QTranslator(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_texts.load(f"qtbase_{language}", qt_folder):
        installed.append(qt_texts)
    else:
        log.warning("Qt's own %s translation not found in %s", language, qt_folder)
    if language != SOURCE_LANGUAGE:
        catalogue = compiled_catalogue(language, cache_dir)
        ours = QTranslator(app)
        if catalogue is not None and ours.load(str(catalogue)):
            installed.append(ours)
        elif catalogue is not None:
            log.warning("%s could not be loaded", catalogue)
    for translator in installed:
        app.installTranslator(translator)
    return installed
