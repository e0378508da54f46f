"""Property-based API tests: schemathesis generates requests from the served OpenAPI document,
valid and invalid ones, and checks that the server never answers with a 5xx and that every
answer matches what the document promises (status codes, content types, bodies).

Bounded for CI: a fixed number of examples per operation and mode, derandomised (the same
cases on every run, so a failure is reproducible), no example database. Runs on both backends
like every server test.

schemathesis' own pytest integration (``from_fixture`` + ``parametrize``) does not work with
pytest 9 (it rewrites ``node._nodeid``), and the server is a function-scoped fixture, so the
test drives hypothesis itself with ``operation.as_strategy()``, the documented way to use
schemathesis inside an ordinary test.
"""

from __future__ import annotations

import hashlib
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.server.live import PASSWORD, LiveServer
from tests.server.records import Tree, create, new_id, update

MAX_EXAMPLES = 15

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


def _schema(live_server: LiveServer) -> Any:
    config = SchemathesisConfig.from_dict(
        {"generation": {"deterministic": True, "database": "none"}}
    )
    schema = schemathesis.openapi.from_url(live_server.base_url + "/openapi.json", config=config)
    schema.config.update(base_url=live_server.base_url)
    return schema


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
    @BOUNDED
    @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
    def check(case: Any) -> None:
        case.call_and_validate(checks=CHECKS, timeout=30)

    check()


def test_api_conforms_to_its_openapi_document(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "rita", role="registrar")  # may read the audit log
    Tree(api)  # a few records for the feed and the search
    headers = {
        PROTOCOL_HEADER: str(PROTOCOL_VERSION),
        "Authorization": f"Bearer {api.tokens['access_token']}",
    }
    failures: list[str] = []
    operations = 0
    for result in _schema(live_server).get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run(operation, mode, headers)
            except Unsatisfiable:
                pass  # nothing to negate (e.g. /health takes no input)
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup
                failures.append(f"{operation.label} ({mode.value}):\n{exc}")
    assert operations >= 10
    assert not failures, "\n\n".join(failures)


class Calls:
    """Explicit cases for the answers random input never reaches (a correct hash, a valid
    token, a batch that applies): each sent through schemathesis and checked the same way."""

    def __init__(self, schema: Any, headers: dict[str, str]) -> None:
        self.schema = schema
        self.headers = headers
        self.failures: list[str] = []

    def __call__(self, method: str, path: str, expected: int, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        case = self.schema[path][method].Case(headers=headers, **kwargs)
        try:
            response = case.call_and_validate(checks=CHECKS, timeout=30)
            assert response.status_code == expected, (response.status_code, response.text)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup
            self.failures.append(f"{method} {path} -> {expected}:\n{exc}")
            return None
        return response


def test_successful_answers_conform_too(live_server: LiveServer) -> None:
    rita = live_server.client("meinhard", "rita", role="registrar")
    tree = Tree(rita)
    auth = {"Authorization": f"Bearer {rita.tokens['access_token']}"}
    call = Calls(_schema(live_server), {PROTOCOL_HEADER: str(PROTOCOL_VERSION), **auth})
    json_body = {"media_type": "application/json"}
    blob = {"media_type": "application/octet-stream"}

    call("GET", "/api/v1/health", 200)
    login = {"municipality": "meinhard", "login": "rita", "password": PASSWORD}
    call("POST", "/api/v1/auth/login", 200, body=login, **json_body)
    call("POST", "/api/v1/auth/login", 401, body={**login, "password": "falsch"}, **json_body)
    refresh = {"refresh_token": rita.tokens["refresh_token"]}
    rotated = call("POST", "/api/v1/auth/refresh", 200, body=refresh, **json_body)
    if rotated is not None:  # the successor used: the first token is spent for good
        successor = {"refresh_token": rotated.json()["refresh_token"]}
        call("POST", "/api/v1/auth/refresh", 200, body=successor, **json_body)
        call("POST", "/api/v1/auth/refresh", 401, body=refresh, **json_body)  # reuse: revoked

    page = call("GET", "/api/v1/changes", 200, query={"limit": 1})
    if page is not None:
        call("GET", "/api/v1/changes", 200, query={"cursor": page.json()["cursor"]})
    mutations = [
        {"mutation_id": 1, **create("case", {"dossier_id": tree.dossier, "title": "Neu"})},
        {"mutation_id": 2, **update("document", tree.document, 1, title="Geändert")},
        {"mutation_id": 3, **update("document", tree.document, 1, title="Veraltet")},
        {"mutation_id": 4, **create("case", {"dossier_id": new_id(), "title": "Ohne Akte"})},
    ]
    body = {"client_id": new_id(), "mutations": mutations}
    for _ in range(2):  # applied, stale, rejected; then all of it again as duplicates
        call("POST", "/api/v1/mutations", 200, body=body, **json_body)

    data = b"Bauantrag Hauptstra\xc3\x9fe 5\n" * 100
    digest = hashlib.sha256(data).hexdigest()
    path = "/api/v1/blobs/{sha256}"
    at = {"path_parameters": {"sha256": digest}}
    call("HEAD", path, 404, **at)
    call("PUT", path, 201, body=data, **at, **blob)
    call("PUT", path, 200, body=data, **at, **blob)
    call("PUT", path, 422, body=data[::-1], path_parameters={"sha256": "0" * 64}, **blob)
    call("HEAD", path, 200, **at)
    call("GET", path, 200, **at)
    call("GET", path, 206, headers={"Range": "bytes=0-9"}, **at)
    call("GET", path, 304, headers={"If-None-Match": f'"{digest}"'}, **at)
    call("GET", path, 416, headers={"Range": f"bytes={len(data)}-"}, **at)
    call("GET", path, 404, path_parameters={"sha256": "0" * 64})
    other = b"Zweite Datei" * 10
    resumable = {"path_parameters": {"sha256": hashlib.sha256(other).hexdigest()}}
    length = {"Upload-Length": str(len(other))}
    call(
        "PATCH",
        path,
        204,
        body=other[:50],
        headers={**length, "Upload-Offset": "0"},
        **resumable,
        **blob,
    )
    call(
        "PATCH",
        path,
        409,
        body=other[:50],
        headers={**length, "Upload-Offset": "0"},
        **resumable,
        **blob,
    )
    call(
        "PATCH",
        path,
        201,
        body=other[50:],
        headers={**length, "Upload-Offset": "50"},
        **resumable,
        **blob,
    )
    call(
        "PATCH",
        path,
        200,
        body=other,
        headers={**length, "Upload-Offset": "0"},
        **resumable,
        **blob,
    )

    call("GET", "/api/v1/search", 200, query={"q": "Baugenehmigung"})
    call("GET", "/api/v1/audit", 200, query={"limit": 2})
    clerk = live_server.client("meinhard", "otto")
    clerk_auth = {"Authorization": f"Bearer {clerk.tokens['access_token']}"}
    call("GET", "/api/v1/audit", 403, headers=clerk_auth)
    assert not call.failures, "\n\n".join(call.failures)
