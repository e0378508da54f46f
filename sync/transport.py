"""HTTP to the central server: the protocol header on every request, the server's German
error bodies as typed errors, and retries with back-off and jitter where a retry is safe.

Safe means: the request is idempotent. Reads are; mutation batches are too (the server
answers a replayed mutation id with ``duplicate``, DESIGN rule 4), so the caller says so with
``idempotent=True``. Retried are lost connections, timeouts and 502/503/504; a 4xx never is.
A raw body (blob transfers) is retried only if it can be sent again: bytes, or a stream that
can seek back; the blob transfers resume through the server's offset instead.
"""

from __future__ import annotations

import io
import logging
import os
import random
import ssl
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import IO, Any

import requests
import truststore
from pydantic import ValidationError as SchemaError
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from sync.errors import EAkteError
from sync.protocol.common import ErrorBody
from sync.protocol.service import Health
from sync.protocol.version import PROTOCOL_HEADER, PROTOCOL_VERSION

log = logging.getLogger("eakte.sync.transport")

API = "/api/v1"
RETRY_STATUSES = frozenset({502, 503, 504})
# The line failed: no connection, no answer in time, or the answer broke off mid-body.
_LOST = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)

# A raw request body: bytes, a binary file, or an iterable of byte strings (which needs a
# ``__len__`` to be sent with a Content-Length instead of chunked).
Body = bytes | IO[bytes] | Iterable[bytes]


class ServerUnreachableError(EAkteError):
    code = "server_unreachable"
    title = "Server nicht erreichbar"


class ServerCertificateError(ServerUnreachableError):
    """The server's TLS certificate could not be verified: waiting will not help."""

    code = "server_certificate"
    title = "Serverzertifikat nicht vertrauenswürdig"


class ServerRefusedError(EAkteError):
    """The server answered with an error body; ``code`` and ``status`` say which."""

    title = "Vom Server abgelehnt"

    def __init__(
        self, status: int, body: ErrorBody, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(body.message, title=body.title)
        self.status = status
        self.code = body.code
        self.details = body.details
        self.headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(headers or {})


class ServerAnswerError(EAkteError):
    """The server answered something that is not the protocol (a proxy's page, garbage)."""

    code = "bad_answer"
    title = "Unerwartete Antwort des Servers"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


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


class _SystemTrust(HTTPAdapter):
    """Server certificates checked against the operating system's trust store (Windows: its
    certificate store, where IT puts a town hall's own CA by group policy; Linux: OpenSSL's),
    not only against the list that comes with requests (certifi)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return super().proxy_manager_for(proxy, **kwargs)


def _session_for(base_url: str) -> requests.Session:
    """A session whose proxy and CA settings are read once, not on every request (requests
    otherwise looks them up per request: 0.6 ms here, the registry on Windows). A CA bundle
    named in the environment is used instead of the system's trust store."""
    session = requests.Session()
    session.proxies = dict(requests.utils.get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    else:
        session.mount("https://", _SystemTrust())
    session.trust_env = False
    return session


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
        self.session = session or _session_for(self.base_url)
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
        data: Body | None = None,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = False,
        stream: bool = False,
        accept: Collection[int] = (),
    ) -> requests.Response:
        """Send ``method`` to ``/api/v1`` + ``path``; the response if it is a success or its
        status is in ``accept`` (e.g. 404 to a HEAD), else a typed error
        (``ServerRefusedError`` with the server's German message).

        ``data`` is a raw body; ``stream=True`` leaves the body unread (``iter_content``)
        and the caller closes the response."""
        sent = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        url = f"{self.base_url}{API}{path}"
        rewind = _rewinder(data)
        retry = idempotent and rewind is not None
        attempt = 0
        while True:
            try:
                response = self.session.request(
                    method,
                    url,
                    json=json,
                    data=data,
                    headers=sent,
                    timeout=self.timeout,
                    stream=stream,
                )
            except requests.exceptions.SSLError as exc:
                raise self.untrusted(exc) from exc
            except _LOST as exc:
                if retry and attempt + 1 < self.backoff.attempts:
                    log.info("%s %s failed (%s), retrying", method, path, type(exc).__name__)
                    self.backoff.wait(attempt)
                    attempt += 1
                    if rewind is not None:
                        rewind()
                    continue
                raise self.unreachable(exc) from exc
            status = response.status_code
            if retry and status in RETRY_STATUSES and attempt + 1 < self.backoff.attempts:
                log.info("%s %s answered %d, retrying", method, path, status)
                response.close()
                self.backoff.wait(attempt)
                attempt += 1
                if rewind is not None:
                    rewind()
                continue
            if response.ok or status in accept:
                return response
            error = _refusal(response)
            response.close()
            raise error

    def untrusted(self, exc: BaseException) -> ServerCertificateError:
        reason = _tls_reason(exc)
        log.error("TLS with %s failed: %s", self.base_url, reason)
        return ServerCertificateError(
            f"Die Verbindung zu {self.base_url} wurde nicht aufgebaut, weil das Zertifikat des "
            f"Servers nicht geprüft werden konnte ({reason}). Die Änderungen bleiben gespeichert. "
            "Bitte die IT-Betreuung verständigen: Die Zertifizierungsstelle des Servers muss im "
            "Zertifikatspeicher dieses Rechners stehen."
        )

    def unreachable(self, exc: BaseException) -> ServerUnreachableError:
        """The error for a connection that failed or broke off (also mid-download)."""
        return ServerUnreachableError(
            f"Der Server {self.base_url} antwortet nicht ({type(exc).__name__}). "
            "Die Änderungen bleiben gespeichert und werden später übertragen."
        )


def _tls_reason(exc: BaseException) -> str:
    """OpenSSL's short reason (e.g. "self-signed certificate in certificate chain") from the
    chain of wrapped exceptions, or the exception's class."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, ssl.SSLCertVerificationError) and seen.verify_message:
            return str(seen.verify_message)
        nested = [a for a in seen.args if isinstance(a, BaseException)]
        seen = nested[0] if nested else seen.__cause__ or seen.__context__
    return type(exc).__name__


def _rewinder(data: Body | None) -> Callable[[], None] | None:
    """How to send ``data`` again: a no-op for bytes, a seek back for a seekable stream;
    None for a body that can be sent only once."""
    if data is None or isinstance(data, bytes):
        return lambda: None
    if not (isinstance(data, io.IOBase) and data.seekable()):
        return None
    stream, start = data, data.tell()

    def rewind() -> None:
        stream.seek(start)

    return rewind


def _refusal(response: requests.Response) -> EAkteError:
    status = response.status_code
    if response.request.method == "HEAD" and 400 <= status < 500:
        # A HEAD answer has no body: the status is all the server could say.
        return ServerRefusedError(status, _HEAD_REFUSALS.get(status, _head_refusal(status)))
    try:
        body = ErrorBody.model_validate(response.json())
    except (ValueError, SchemaError):
        return ServerAnswerError(
            f"Der Server hat mit {response.status_code} geantwortet, aber nicht im "
            "E-Akte-Protokoll (vielleicht ein Proxy oder eine Wartungsseite). Später erneut "
            "versuchen; bleibt es so, die IT-Betreuung verständigen.",
            status=response.status_code,
        )
    return ServerRefusedError(response.status_code, body, response.headers)


_HEAD_REFUSALS = {
    401: ErrorBody(
        code="unauthenticated",
        title="Anmeldung erforderlich",
        message="Die Anmeldung ist abgelaufen oder ungültig. Bitte erneut anmelden.",
    )
}


def _head_refusal(status: int) -> ErrorBody:
    return ErrorBody(
        code=f"http_{status}",
        title="Vom Server abgelehnt",
        message=f"Der Server hat die Anfrage abgelehnt ({status}). Bitte später erneut "
        "versuchen; bleibt es so, die IT-Betreuung verständigen.",
    )
