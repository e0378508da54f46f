"""``eakte-server``: init, user administration, serve; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
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


def _wait_ready(path: Path, proc: subprocess.Popen[bytes]) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert proc.poll() is None, proc.communicate()[0].decode()
        assert time.monotonic() < deadline, "no ready file"
        time.sleep(0.05)
    return json.loads(path.read_text(encoding="utf-8"))


def test_serve_on_a_free_port_announces_it_in_a_ready_file(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "EAKTE_SERVER_DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}",
        "EAKTE_SERVER_BLOB_DIR": str(tmp_path / "blobs"),
    }
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(  # --init: a fresh database is set up first, in this process
        [*CMD, "serve", "--init", "--port", "0", "--ready-file", str(ready)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        info = _wait_ready(ready, proc)
        assert info["pid"] == proc.pid
        url = str(info["url"])
        assert url.startswith("http://127.0.0.1:")
        assert not url.endswith(":0")
        assert requests.get(f"{url}/api/v1/health", timeout=5).status_code == 200
    finally:
        _stop(proc)
    # SIGTERM: uvicorn shuts down, then re-raises the signal (returncode -15 on POSIX).
    assert "Finished server process" in proc.communicate()[0].decode()
    assert not ready.exists()  # a stopped server announces nothing


def test_serve_stops_when_its_parent_process_is_gone(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(
        [*CMD, "serve", "--port", "0", "--ready-file", str(ready), "--parent-pid", str(parent.pid)],
        env=_initialised_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_ready(ready, proc)
        assert proc.poll() is None  # the parent lives: the server keeps running
        parent.kill()
        parent.wait(timeout=10)
        output = proc.communicate(timeout=30)[0].decode()
    finally:
        if parent.poll() is None:
            parent.kill()
        if proc.poll() is None:
            _stop(proc)
    assert proc.returncode == 0
    assert f"Process {parent.pid} that started this server is gone" in output
    assert not ready.exists()


def test_ready_file_and_parent_pid_need_a_single_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EAKTE_SERVER_DATABASE_URL", f"sqlite:///{tmp_path / 'leer.sqlite3'}")
    monkeypatch.setenv("EAKTE_SERVER_BLOB_DIR", str(tmp_path / "blobs"))
    ready = tmp_path / "ready.json"
    assert main(["serve", "--workers", "2", "--ready-file", str(ready)]) == 1
    assert "--workers 1" in capsys.readouterr().err
    assert main(["serve", "--workers", "2", "--parent-pid", str(os.getpid())]) == 1
    assert "--workers 1" in capsys.readouterr().err
    assert not ready.exists()
