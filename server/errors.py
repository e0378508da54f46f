"""Typed errors. ``ApiError`` becomes a 4xx answer with a machine-readable code and a
German title and message; nothing else may leave a request handler as an error."""

from __future__ import annotations

from typing import Any


class ServerError(Exception):
    """Base of the server's own errors."""

    title = "Serverfehler"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(ServerError):
    title = "Konfiguration fehlerhaft"


class SetupError(ServerError):
    """The database is missing, not initialised, or of another schema version."""

    title = "Datenbank nicht bereit"


class ApiError(ServerError):
    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.title = title
        self.details = details
        self.headers = headers or {}


def not_found(what: str = "Der Eintrag") -> ApiError:
    # The same answer whether the record does not exist or belongs to someone else.
    return ApiError(404, "not_found", "Nicht gefunden", f"{what} wurde nicht gefunden.")


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", "Keine Berechtigung", message)


def bad_request(code: str, message: str, **details: Any) -> ApiError:
    return ApiError(400, code, "Ungültige Anfrage", message, details=details or None)
