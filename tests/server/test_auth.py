"""Login, refresh rotation, revocation and lockout."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from server.auth.principal import Principal, issue_access_token
from server.db.tables import AuditEntry, RefreshToken, User, utcnow
from server.users import disable, set_password
from tests.server.live import PASSWORD, LiveServer


def _login(live_server: LiveServer, password: str, login: str = "anna"):
    return live_server.client().post(
        "/api/v1/auth/login",
        json={"municipality": "meinhard", "login": login, "password": password},
    )


def test_refresh_rotates_and_a_reused_token_ends_the_family(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    first = api.tokens["refresh_token"]
    rotated = api.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first
    third = api.post("/api/v1/auth/refresh", json={"refresh_token": second}).json()
    # The first token comes back after its successor was used (a stolen copy): refused, and
    # the live token dies with it.
    reused = api.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert reused.status_code == 401
    assert reused.json()["code"] == "refresh_invalid"
    live = third["refresh_token"]
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": live}).status_code == 401


def test_a_refresh_repeated_after_a_lost_reply_keeps_the_session(
    live_server: LiveServer,
) -> None:
    api = live_server.client("meinhard", "anna")
    first = api.tokens["refresh_token"]
    lost = api.post("/api/v1/auth/refresh", json={"refresh_token": first}).json()
    # The answer never reached the client; it asks again with the same token at once.
    again = api.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert again.status_code == 200
    # The token of the lost answer is void; the new one works.
    spent = api.post("/api/v1/auth/refresh", json={"refresh_token": lost["refresh_token"]})
    assert spent.status_code == 401
    newest = again.json()["refresh_token"]
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": newest}).status_code == 200


def test_a_late_repeat_of_a_spent_token_ends_the_family(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    first = api.tokens["refresh_token"]
    second = api.post("/api/v1/auth/refresh", json={"refresh_token": first}).json()
    with live_server.ctx.db.write() as session:
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.used_at.is_not(None))
            .values(used_at=utcnow() - timedelta(minutes=5))
        )
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": first}).status_code == 401
    live = second["refresh_token"]
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": live}).status_code == 401


def test_password_change_and_disable_revoke_refresh_tokens(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    token = api.tokens["refresh_token"]
    with live_server.ctx.db.write() as session:
        set_password(session, "meinhard", "anna", "ein-ganz-neues-Passwort")
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": token}).status_code == 401
    api.login("meinhard", "anna", "ein-ganz-neues-Passwort")
    with live_server.ctx.db.write() as session:
        disable(session, "meinhard", "anna")
    refreshed = api.post(
        "/api/v1/auth/refresh", json={"refresh_token": api.tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    assert _login(live_server, "ein-ganz-neues-Passwort").status_code == 401


def test_unknown_user_and_wrong_password_look_the_same(live_server: LiveServer) -> None:
    live_server.add_user("meinhard", "anna")
    wrong = _login(live_server, "falsch-falsch-falsch")
    unknown = _login(live_server, PASSWORD, login="niemand")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_repeated_failures_slow_down_then_lock(live_server: LiveServer) -> None:
    live_server.add_user("meinhard", "anna")
    codes = []
    for _ in range(8):
        response = _login(live_server, "falsch-falsch-falsch")
        codes.append(response.json()["code"])
        if response.status_code == 429:
            assert int(response.headers["Retry-After"]) >= 1
            # Let the slow-down pass so that the next attempt counts.
            with live_server.ctx.db.write() as session:
                user = session.scalars(select(User).where(User.login == "anna")).one()
                if user.last_failed_at and user.locked_until is None:
                    user.last_failed_at = utcnow() - timedelta(minutes=1)
    assert codes[:3] == ["invalid_credentials"] * 3
    assert "locked" in codes
    # Locked: even the right password is refused until the lock expires.
    locked = _login(live_server, PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked"
    with live_server.ctx.db.write() as session:
        user = session.scalars(select(User).where(User.login == "anna")).one()
        user.locked_until = utcnow() - timedelta(seconds=1)
    assert _login(live_server, PASSWORD).status_code == 200
    with live_server.ctx.db.read() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"login_failed", "login_locked", "login"} <= actions


def test_expired_or_forged_access_tokens_are_refused(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    user_id = live_server.users[("meinhard", "anna")]
    principal = Principal(user_id, "anna", "admin", "x", "meinhard")
    expired = issue_access_token(live_server.ctx.secret, principal, -10)
    forged = issue_access_token(b"not the server's secret", principal, 600)
    for token in (expired, forged, "garbage", ""):
        api.headers["Authorization"] = f"Bearer {token}"
        response = api.get("/api/v1/changes")
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_requests_without_protocol_header_are_refused(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    del api.headers["X-EAkte-Protocol"]
    response = api.get("/api/v1/changes")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    api.headers["X-EAkte-Protocol"] = "2"
    response = api.get("/api/v1/changes")
    assert response.status_code == 426
    assert "aktualisieren" in response.json()["message"]


def test_simultaneous_logins_of_one_municipality(live_server: LiveServer) -> None:
    """Each login appends to the municipality's audit chain under its lock; none may fail."""
    import threading

    for n in range(8):
        live_server.add_user("meinhard", f"user{n}")
    statuses: list[int] = []
    barrier = threading.Barrier(8)

    def login(n: int) -> None:
        api = live_server.client()
        barrier.wait()
        response = api.post(
            "/api/v1/auth/login",
            json={"municipality": "meinhard", "login": f"user{n}", "password": PASSWORD},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=login, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 8
    with live_server.ctx.db.read() as session:
        from server.audit import verify_chain
        from server.municipalities import municipality_id

        assert verify_chain(session, municipality_id("meinhard")) == []
