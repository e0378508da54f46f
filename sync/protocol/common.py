"""Base model and the error body every 4xx/5xx answer carries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class WireModel(BaseModel):
    """Strict about what comes in: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)


class ErrorBody(WireModel):
    """A machine-readable ``code`` for programs and a German ``title``/``message`` for people."""

    code: str
    title: str
    message: str
    details: dict[str, Any] | None = None
