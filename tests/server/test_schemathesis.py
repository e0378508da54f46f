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
from tests.server.live import LiveServer
from tests.server.records import Tree

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
            except Exception as exc:
                failures.append(f"{operation.label} ({mode.value}):\n{exc}")
    assert operations >= 10
    assert not failures, "\n\n".join(failures)
