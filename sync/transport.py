"""HTTP to the central server: the protocol header on every request, the server's German
error bodies as typed errors, and retries with back-off and jitter where a retry is safe.

Safe means: the request is idempotent. Reads are; mutation batches are too (the server
answers a replayed mutation id with ``duplicate``, DESIGN rule 4), so the caller says so with
``idempotent=True``. Retried are lost connections, timeouts and 502/503/504; a 4xx never is.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from pydantic import ValidationError as SchemaError

from sync.errors import EAkteError
from sync.protocol.common import ErrorBody
from sync.protocol.service import Health
from sync.protocol.version import PROTOCOL_HEADER, PROTOCOL_VERSION

log = logging.getLogger("eakte.sync.transport")

API = "/api/v1"
RETRY_STATUSES = frozenset({502, 503, 504})
DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)


class ServerUnreachableError(EAkteError):
    code = "server_unreachable"
    title = "Server nicht erreichbar"


class ServerRefusedError(EAkteError):
    """The server answered with an error body; ``code`` and ``status`` say which."""

    title = "Vom Server abgelehnt"

    def __init__(self, status: int, body: ErrorBody) -> None:
        super().__init__(body.message, title=body.title)
        self.status = status
        self.code = body.code
        self.details = body.details


class ServerAnswerError(EAkteError):
    """The server answered something that is not the protocol (a proxy's page, garbage)."""

    code = "bad_answer"
    title = "Unerwartete Antwort des Servers"


class Backoff:
    """Full-jitter exponential back-off: attempt n waits a random time up to
    ``min(cap, base * 2**n)`` seconds, so that many clients do not retry in step."""

    def __init__(
        self,
        *,
        attempts: int = 5,
        base: float = 0.5,
        cap: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.attempts = attempts
        self.base = base
        self.cap = cap
        self.sleep = sleep
        self._rng = rng or random.Random()

    def wait(self, attempt: int) -> float:
        delay = self._rng.uniform(0, min(self.cap, self.base * 2**attempt))
        self.sleep(delay)
        return delay


class ServerClient:
    def __init__(
        self,
        base_url: str,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        backoff: Backoff | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout
        self.backoff = backoff or Backoff()

    def health(self) -> Health:
        return Health.model_validate(self.request("GET", "/health", idempotent=True).json())

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = False,
    ) -> requests.Response:
        """Send ``method`` to ``/api/v1`` + ``path``; the response if it is a success,
        else a typed error (``ServerRefusedError`` with the server's German message)."""
        sent = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        url = f"{self.base_url}{API}{path}"
        attempt = 0
        while True:
            try:
                response = self.session.request(
                    method, url, json=json, headers=sent, timeout=self.timeout
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                if idempotent and attempt + 1 < self.backoff.attempts:
                    log.info("%s %s failed (%s), retrying", method, path, type(exc).__name__)
                    self.backoff.wait(attempt)
                    attempt += 1
                    continue
                raise ServerUnreachableError(
                    f"Der Server {self.base_url} antwortet nicht ({type(exc).__name__}). "
                    "Die Änderungen bleiben gespeichert und werden später übertragen."
                ) from exc
            retryable = idempotent and response.status_code in RETRY_STATUSES
            if retryable and attempt + 1 < self.backoff.attempts:
                log.info("%s %s answered %d, retrying", method, path, response.status_code)
                self.backoff.wait(attempt)
                attempt += 1
                continue
            if response.ok:
                return response
            raise _refusal(response)


def _refusal(response: requests.Response) -> EAkteError:
    try:
        body = ErrorBody.model_validate(response.json())
    except (ValueError, SchemaError):
        return ServerAnswerError(
            f"Der Server hat mit {response.status_code} geantwortet, aber nicht im "
            "E-Akte-Protokoll (vielleicht ein Proxy oder eine Wartungsseite). Später erneut "
            "versuchen; bleibt es so, die IT-Betreuung verständigen."
        )
    return ServerRefusedError(response.status_code, body)
