"""Outlook's COM interface: the fallback when a drag from Outlook carries no mail contents.

Windows only, and untested outside Windows: Outlook hands a dragged mail over as an OLE
``IStorage`` that Qt cannot read, and passes on only the first of several items. The
dragged items are the selection of Outlook's active window, so they are saved from there
as Unicode .msg files and filed like any file (``sync.filing.drop_sources.file_drop``
calls ``save_selection`` in its worker thread and deletes the folder afterwards).

``win32com`` and ``pythoncom`` come from pywin32, a Windows-only dependency; they are
imported when needed and treated as ``Any``.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from sync.errors import EAkteError
from sync.filing.drop_formats import name_from_subject
from sync.filing.drop_sources import SelectionChangedError

log = logging.getLogger("eakte.desktop.dropping")

OL_MSG_UNICODE = 9  # OlSaveAsType.olMSGUnicode


class OutlookUnavailableError(EAkteError):
    code = "outlook_unavailable"
    title = "Outlook"


def available() -> bool:
    return sys.platform == "win32"


def save_selection(names: Sequence[str], folder: Path) -> list[Path]:
    """Save the mails selected in Outlook's active window into ``folder`` as .msg files.

    ``names`` are what the drag announced. Raises ``SelectionChangedError`` when Outlook's
    selection no longer has as many items, ``OutlookUnavailableError`` when Outlook cannot be
    asked or refuses.
    """
    pythoncom: Any = importlib.import_module("pythoncom")
    client: Any = importlib.import_module("win32com.client")
    pythoncom.CoInitialize()  # this worker thread's own COM apartment
    try:
        explorer = client.Dispatch("Outlook.Application").ActiveExplorer()
        if explorer is None:
            raise OutlookUnavailableError(
                QCoreApplication.translate(
                    "OutlookCom",
                    "Die E-Mails konnten nicht aus Outlook übernommen werden, weil kein "
                    "Outlook-Fenster geöffnet ist. Bitte Outlook öffnen, die E-Mails dort "
                    "auswählen und erneut hineinziehen.",
                )
            )
        selection = explorer.Selection
        count = int(selection.Count)
        if count != len(names):  # before saving anything: these are not the dragged mails
            raise SelectionChangedError(len(names), count)
        saved: list[Path] = []
        used: set[str] = set()
        for number in range(1, count + 1):
            item = selection.Item(number)
            path = folder / _name(str(getattr(item, "Subject", "") or ""), number, used)
            item.SaveAs(str(path), OL_MSG_UNICODE)
            saved.append(path)
        log.info("saved %d of %d dragged Outlook items over COM", len(saved), len(names))
        return saved
    except (OutlookUnavailableError, SelectionChangedError):
        raise
    except Exception as exc:  # pywintypes.com_error and friends: the reason goes to the log
        log.warning("Outlook COM failed: %r", exc)
        raise OutlookUnavailableError(
            QCoreApplication.translate(
                "OutlookCom",
                "Outlook hat die gezogenen E-Mails nicht herausgegeben. Bitte erneut "
                "hineinziehen, oder die E-Mails in Outlook als Datei speichern (Datei → "
                "Speichern unter) und die Dateien ablegen.",
            )
        ) from exc
    finally:
        pythoncom.CoUninitialize()


def _name(subject: str, number: int, used: set[str]) -> str:
    name = name_from_subject(subject, ".msg")
    if name.casefold() in used:
        name = name_from_subject(f"{subject} ({number})", ".msg")
    used.add(name.casefold())
    return name
