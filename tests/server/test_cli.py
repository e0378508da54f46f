"""``eakte-server``: init, user administration, serve; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from server.cli.main import main
from server.db.engine import Database
from server.db.tables import Municipality, User


@pytest.fixture
def server_env(server_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("EAKTE_SERVER_DATABASE_URL", server_db_url)
    monkeypatch.setenv("EAKTE_SERVER_BLOB_DIR", str(tmp_path / "blobs"))
    return server_db_url


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_init_is_idempotent(server_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "0 Kommunen neu angelegt" in out
    db = Database(server_env)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Municipality)) == 11
    db.dispose()


def test_user_lifecycle(
    server_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "ein-sicheres-Passwort\n")
    assert (
        main(
            [
                "user",
                "add",
                "--municipality",
                "bad-sooden-allendorf",
                "--login",
                "kai",
                "--role",
                "registrar",
                "--password-stdin",
            ]
        )
        == 0
    )
    _stdin(monkeypatch, "noch-ein-Passwort-1\n")
    assert (
        main(
            [
                "user",
                "add",
                "--municipality",
                "bad-sooden-allendorf",
                "--login",
                "kai",
                "--role",
                "clerk",
                "--password-stdin",
            ]
        )
        == 1
    )
    assert "gibt es" in capsys.readouterr().err
    _stdin(monkeypatch, "kurz\n")
    assert (
        main(
            [
                "user",
                "passwd",
                "--municipality",
                "bad-sooden-allendorf",
                "--login",
                "kai",
                "--password-stdin",
            ]
        )
        == 1
    )
    assert "mindestens" in capsys.readouterr().err
    _stdin(monkeypatch, "x\n")
    assert (
        main(
            [
                "user",
                "add",
                "--municipality",
                "atlantis",
                "--login",
                "kai",
                "--role",
                "clerk",
                "--password-stdin",
            ]
        )
        == 1
    )
    assert "atlantis" in capsys.readouterr().err
    assert (
        main(["user", "disable", "--municipality", "bad-sooden-allendorf", "--login", "kai"]) == 0
    )
    assert main(["user", "list", "--municipality", "bad-sooden-allendorf"]) == 0
    listing = capsys.readouterr().out
    assert "kai\tregistrar\tgesperrt" in listing
    db = Database(server_env)
    with db.read() as session:
        user = session.scalars(select(User).where(User.login == "kai")).one()
        assert user.password_hash.startswith("$argon2id$")
        assert "ein-sicheres-Passwort" not in user.password_hash
    db.dispose()


def test_serve_refuses_an_uninitialised_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EAKTE_SERVER_DATABASE_URL", f"sqlite:///{tmp_path / 'leer.sqlite3'}")
    monkeypatch.setenv("EAKTE_SERVER_BLOB_DIR", str(tmp_path / "blobs"))
    assert main(["serve", "--port", "1"]) == 1
    assert "eakte-server init" in capsys.readouterr().err


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes], **kwargs: object) -> requests.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return requests.get(url, timeout=2, **kwargs)  # type: ignore[arg-type]
        except requests.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.1)


CMD = [sys.executable, "-m", "server.cli.main"]


def _initialised_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """Environment for an ``eakte-server`` process on a fresh, initialised SQLite server."""
    env = {
        **os.environ,
        "EAKTE_SERVER_DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}",
        "EAKTE_SERVER_BLOB_DIR": str(tmp_path / "blobs"),
        **{f"EAKTE_SERVER_{k.upper()}": v for k, v in settings.items()},
    }
    subprocess.run([*CMD, "init"], env=env, check=True, capture_output=True)
    return env


def _serve(env: dict[str, str], *options: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    proc = subprocess.Popen(
        [*CMD, "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return proc, port


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def test_serve_terminates_tls_itself(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    env = _initialised_env(tmp_path, tls_certfile=str(cert), tls_keyfile=str(key))
    proc, port = _serve(env)
    try:
        response = _wait_for(f"https://127.0.0.1:{port}/api/v1/health", proc, verify=str(cert))
        assert response.status_code == 200
    finally:
        _stop(proc)
    half = {**env, "EAKTE_SERVER_TLS_KEYFILE": ""}
    result = subprocess.run([*CMD, "serve"], env=half, capture_output=True, text=True)
    assert result.returncode == 1
    assert "tls_keyfile" in result.stderr


def test_serve_answers_over_http(tmp_path: Path) -> None:
    proc, port = _serve(_initialised_env(tmp_path), "--host", "127.0.0.1")
    try:
        response = _wait_for(f"http://127.0.0.1:{port}/api/v1/health", proc)
        assert response.status_code == 200
        assert response.json()["database"] == "sqlite"
        refused = requests.get(
            f"http://127.0.0.1:{port}/api/v1/changes", headers={"X-EAkte-Protocol": "0"}, timeout=5
        )
        assert refused.status_code == 426
        assert refused.json()["code"] == "protocol_incompatible"
    finally:
        _stop(proc)


def test_serve_with_several_worker_processes(tmp_path: Path) -> None:
    proc, port = _serve(_initialised_env(tmp_path), "--workers", "2")
    try:
        url = f"http://127.0.0.1:{port}/api/v1/health"
        assert _wait_for(url, proc).status_code == 200
        with requests.Session() as session:  # one keep-alive connection, several answers
            ids = {session.get(url, timeout=5).json()["server_id"] for _ in range(10)}
        assert len(ids) == 1  # both workers are the same server instance
    finally:
        _stop(proc)
