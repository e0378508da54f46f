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


class DiskFullError(SyncStoppedError):
    """The disk of this PC is full: nothing half-written is kept, the run stops."""

    code = "disk_full"
    title = "Speicherplatz voll"

    def __init__(self) -> None:
        super().__init__(
            "Auf diesem PC ist kein Speicherplatz mehr frei. Der Abgleich wurde angehalten; "
            "bisher Übertragenes ist sicher gespeichert. Bitte Platz schaffen (oder im "
            "Einstellungsdialog den Zwischenspeicher verkleinern) – dann geht es weiter."
        )


def is_disk_full(exc: BaseException) -> bool:
    """An OSError with ENOSPC, or SQLite's "database or disk is full" (SQLITE_FULL)."""
    import errno

    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return "database or disk is full" in str(exc)
