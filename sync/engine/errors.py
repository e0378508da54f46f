"""Why a sync run stopped: typed errors with a German title and message for the clerk."""

from __future__ import annotations

from sync.errors import EAkteError


class SyncStoppedError(EAkteError):
    """The run stopped on purpose (a guard); nothing was pushed that could do harm."""

    code = "sync_stopped"
    title = "Abgleich angehalten"


class LoginRequiredError(EAkteError):
    code = "login_required"
    title = "Anmeldung erforderlich"


class ForeignCacheError(SyncStoppedError):
    """The local store belongs to another server, municipality or user."""

    code = "foreign_cache"
    title = "Fremder Datenbestand"


class ServerRestoredError(SyncStoppedError):
    """The server knows less than this client: restored from a backup (or replaced)."""

    code = "server_restored"
    title = "Server auf älterem Stand"


class MassDeleteError(SyncStoppedError):
    """A run would delete many records; it waits for the clerk's confirmation."""

    code = "mass_delete"
    title = "Viele Löschungen"

    def __init__(self, count: int) -> None:
        super().__init__(
            f"Dieser Abgleich würde {count} Einträge in den Papierkorb legen. Bitte bestätigen, "
            "dass das so gewollt ist; bis dahin wird nichts gelöscht."
        )
        self.count = count


class SyncBusyError(EAkteError):
    code = "sync_busy"
    title = "Abgleich läuft bereits"
