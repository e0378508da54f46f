"""What the sync controller reports to the window: its state, the progress of a run, and the
German texts the status bar shows for them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication, QLocale

from sync.engine.engine import SyncProgress
from sync.errors import EAkteError


class SyncState(Enum):
    NOT_LOGGED_IN = "not_logged_in"  # no account, or the saved login is no longer valid
    CONNECTING = "connecting"  # an account, no run finished yet (or a demo server starting)
    ONLINE = "online"  # the last run went through
    SYNCING = "syncing"
    OFFLINE = "offline"  # the server could not be reached; the next tick tries again
    PAUSED = "paused"  # a reason the clerk should see: keyring, guard, many deletions


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState
    progress: SyncProgress | None = None
    push_total: int | None = None  # changes waiting when the run began
    error: EAkteError | None = None  # why: offline, paused or login needed
    server: str = ""  # the account's label, for the tooltip

    @property
    def clickable(self) -> bool:
        """Whether clicking the connection label does something (log in, show details)."""
        return self.state in (SyncState.NOT_LOGGED_IN, SyncState.PAUSED) or (
            self.state is SyncState.OFFLINE and self.error is not None
        )


def _number(value: int) -> str:
    return QLocale().toString(value)


def progress_text(progress: SyncProgress | None, push_total: int | None = None) -> str:
    """E.g. "Sende 12 von 40", "Empfange 1.200 Einträge", "Lade Datei 3 von 10"."""
    if progress is None:
        return QCoreApplication.translate("SyncStatus", "Synchronisiere …")
    done, total = progress.done, progress.total
    if progress.phase == "push":
        if push_total:
            return (
                QCoreApplication.translate("SyncStatus", "Sende %1 von %2")
                .replace("%1", _number(min(done, push_total)))
                .replace("%2", _number(push_total))
            )
        return QCoreApplication.translate("SyncStatus", "Sende %1 Änderungen").replace(
            "%1", _number(done)
        )
    if progress.phase == "pull":
        return QCoreApplication.translate("SyncStatus", "Empfange %1 Einträge").replace(
            "%1", _number(done)
        )
    if progress.phase == "download" and total:
        return (
            QCoreApplication.translate("SyncStatus", "Lade Datei %1 von %2")
            .replace("%1", _number(min(done, total)))
            .replace("%2", _number(total))
        )
    if progress.phase == "upload":
        # The engine reports bytes of one file and files done under the same phase name, so
        # a count would jump between the two: no figures here.
        return QCoreApplication.translate("SyncStatus", "Lade Dateien hoch …")
    return QCoreApplication.translate("SyncStatus", "Synchronisiere …")


def connection_text(status: SyncStatus) -> tuple[str, str]:
    """(label, tooltip) for the connection part of the status bar."""
    state = status.state
    if state is SyncState.SYNCING:
        return progress_text(status.progress, status.push_total), QCoreApplication.translate(
            "SyncStatus",
            "Der Abgleich mit dem Server läuft im Hintergrund; Sie können weiterarbeiten.",
        )
    if state is SyncState.ONLINE:
        return QCoreApplication.translate("SyncStatus", "Online"), QCoreApplication.translate(
            "SyncStatus", "Mit dem Server verbunden: %1"
        ).replace("%1", status.server)
    if state is SyncState.CONNECTING:
        return QCoreApplication.translate("SyncStatus", "Verbinde …"), QCoreApplication.translate(
            "SyncStatus", "Die Verbindung zum Server wird hergestellt."
        )
    if state is SyncState.NOT_LOGGED_IN:
        why = f"{status.error.message}\n\n" if status.error is not None else ""
        return QCoreApplication.translate(
            "SyncStatus", "Nicht angemeldet"
        ), why + QCoreApplication.translate(
            "SyncStatus",
            "Zum Anmelden hier klicken (Synchronisierung → Anmelden …). Alle Änderungen "
            "bleiben bis dahin auf diesem PC gespeichert.",
        )
    if state is SyncState.PAUSED:
        assert status.error is not None
        return QCoreApplication.translate("SyncStatus", "Synchronisierung angehalten"), (
            f"{status.error.title}: {status.error.message}\n\n"
            + QCoreApplication.translate("SyncStatus", "Für Einzelheiten hier klicken.")
        )
    return QCoreApplication.translate("SyncStatus", "Offline"), offline_tooltip()


def offline_tooltip() -> str:
    return QCoreApplication.translate(
        "StatusBar",
        "Nicht mit dem Server verbunden. Alle Änderungen werden lokal gespeichert "
        "und später übertragen.",
    )
