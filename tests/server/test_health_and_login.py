from __future__ import annotations

from tests.server.live import PASSWORD, LiveServer


def test_health_names_the_instance_and_protocol(live_server: LiveServer) -> None:
    response = live_server.client().get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["protocol_version"] == 1
    assert body["server_id"] == live_server.ctx.server_id


def test_login_returns_small_tokens(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    tokens = api.tokens
    assert tokens["user"]["municipality"]["slug"] == "meinhard"
    assert tokens["user"]["role"] == "clerk"
    # Windows Credential Manager keeps at most 2,560 bytes; the brief asks for under 1 KB.
    assert len(tokens["access_token"].encode()) < 1024
    assert len(tokens["refresh_token"].encode()) < 1024


def test_wrong_password_is_refused_with_a_code(live_server: LiveServer) -> None:
    live_server.add_user("sontra", "bert")
    api = live_server.client()
    response = api.post(
        "/api/v1/auth/login",
        json={"municipality": "sontra", "login": "bert", "password": PASSWORD + "x"},
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
