"""Typed errors of the core.

Every error carries a stable ``code`` (for scripts, logs and translations) and a German
``title`` and ``message`` that a clerk can read: what went wrong and what to do. The UI is
German by default; the desktop layer may translate by ``code``.
"""

from __future__ import annotations

from typing import Any


class EAkteError(Exception):
    """Base class of all expected, user-facing errors."""

    code = "error"
    title = "Fehler"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other arguments than Exception.args holds; rebuild from the
        # attributes so an error raised in a worker process arrives whole (pickle).
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: type[EAkteError], message: str, state: dict[str, Any]) -> EAkteError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class NotFoundError(EAkteError):
    code = "not_found"
    title = "Nicht gefunden"


class ValidationError(EAkteError):
    code = "invalid"
    title = "Ungültige Eingabe"


class RecordClosedError(EAkteError):
    """An edit of a closed (zdA) case or dossier."""

    code = "closed"
    title = "Zu den Akten gelegt"


class RecordDeletedError(EAkteError):
    code = "deleted"
    title = "Im Papierkorb"


class StoreError(EAkteError):
    """The local store cannot be opened or migrated."""

    code = "store"
    title = "Lokaler Datenbestand"


class BlobCorruptError(EAkteError):
    """A stored blob no longer matches its SHA-256: it is reported, never served."""

    code = "blob_corrupt"
    title = "Datei beschädigt"


class BlobMissingError(EAkteError):
    code = "blob_missing"
    title = "Datei nicht vorhanden"


class FilingRejectedError(EAkteError):
    """A file that cannot be filed. ``reason`` is a stable machine-readable code."""

    code = "rejected"
    title = "Ablage abgelehnt"

    def __init__(self, reason: str, message: str, *, title: str | None = None) -> None:
        super().__init__(message, title=title)
        self.reason = reason
