"""TLS: the server's certificate is checked against the system's trust store (truststore), or
against a CA bundle named in the environment; an untrusted one is a typed error with a German
message, not retried. A real HTTPS server on 127.0.0.1 with a test CA (trustme)."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from sync.transport import Backoff, ServerCertificateError, ServerClient


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA(organization_name="Testkommune IT")


@pytest.fixture
def https_url(ca: trustme.CA) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def client(url: str, waits: list[float]) -> ServerClient:
    return ServerClient(url, backoff=Backoff(attempts=3, sleep=waits.append))


def test_an_untrusted_certificate_is_a_typed_error_not_retried(
    https_url: str, clean_env: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    with pytest.raises(ServerCertificateError) as failed:
        client(https_url, waits).request("GET", "/health", idempotent=True)
    assert "Zertifikat" in failed.value.message and "IT-Betreuung" in failed.value.message
    assert "certificate" in failed.value.message  # OpenSSL's reason, for the admin
    assert waits == []  # waiting does not make a certificate trusted


# SSL_CERT_FILE: on Linux the system store is OpenSSL's, which it points elsewhere; on
# Windows truststore asks the certificate store, where group policy puts a town's CA.
# REQUESTS_CA_BUNDLE: a bundle named in the environment takes precedence.
@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"])
def test_a_ca_from_the_system_store_or_a_named_bundle_is_trusted(
    variable: str,
    https_url: str,
    ca: trustme.CA,
    clean_env: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    pem = tmp_path / "roots.pem"
    ca.cert_pem.write_to_path(str(pem))
    clean_env.setenv(variable, str(pem))
    response = client(https_url, []).request("GET", "/health")
    assert response.json() == {"ok": True}
