"""The client's transport against the real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from sync.protocol.version import PROTOCOL_VERSION
from sync.transport import ServerClient, ServerRefusedError
from tests.server.live import LiveServer


def test_health_and_a_refusal_through_the_transport(live_server: LiveServer) -> None:
    client = ServerClient(live_server.base_url)
    health = client.health()
    assert health.protocol_version == PROTOCOL_VERSION
    with pytest.raises(ServerRefusedError) as refused:
        client.request("GET", "/changes", token="not-a-token", idempotent=True)
    assert refused.value.status == 401
    assert refused.value.message  # the server's German text, as it sent it
