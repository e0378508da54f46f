"""Why a single mutation is refused. Raised inside its savepoint; the batch goes on."""

from __future__ import annotations

from typing import Any

from sync.protocol.common import ErrorBody


class Rejected(Exception):  # noqa: N818 - an outcome for one mutation
    def __init__(self, code: str, title: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.body = ErrorBody(code=code, title=title, message=message, details=details or None)


def not_found(what: str = "Der Eintrag") -> Rejected:
    # Invisible and non-existent look the same (tenant isolation, restricted dossiers).
    return Rejected("not_found", "Nicht gefunden", f"{what} wurde nicht gefunden.")


def closed(what: str) -> Rejected:
    return Rejected(
        "record_closed",
        "Abgeschlossen (zdA)",
        f"{what} ist abgeschlossen (zdA) und kann nicht mehr geändert werden. "
        "Die Registratur kann sie bei Bedarf wieder öffnen.",
    )


def forbidden(message: str) -> Rejected:
    return Rejected("forbidden", "Keine Berechtigung", message)


def invalid(message: str, **details: Any) -> Rejected:
    return Rejected("invalid", "Ungültige Angaben", message, **details)
