"""The embedded demo server: a real ``eakte-server`` child process, spoken to over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from server.demo import DEFAULT_PASSWORD, PASSWORD_ENV, REGISTRAR, bundle_dir
from sync.embedded import (
    DEMO_LOGIN,
    DEMO_MUNICIPALITY,
    DEMO_PASSWORD,
    DEMO_PASSWORD_ENV,
    LOG_NAME,
    READY_NAME,
    EmbeddedServer,
    EmbeddedServerError,
    demo_password,
)
from sync.protocol.auth import TokenResponse
from sync.protocol.changes import ChangesPage
from sync.transport import ServerClient

GONE_DEADLINE = 30.0  # generous: the server polls its parent once a second


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer.start(tmp_path_factory.mktemp("embedded"))
    print(f"\nembedded server start (init --demo + serve): {server.startup_seconds:.2f} s")
    try:
        yield server
    finally:
        server.stop()


def _login(url: str) -> TokenResponse:
    body = {"municipality": DEMO_MUNICIPALITY, "login": DEMO_LOGIN, "password": demo_password()}
    return TokenResponse.model_validate(
        ServerClient(url).request("POST", "/auth/login", json=body).json()
    )


def _all_records(url: str) -> Counter[str]:
    """Kinds of every record the demo user can see, paged through the changes feed."""
    client, token = ServerClient(url), _login(url).access_token
    kinds: Counter[str] = Counter()
    cursor: str | None = None
    while True:
        path = "/changes?limit=200" + (f"&cursor={cursor}" if cursor else "")
        page = ChangesPage.model_validate(client.request("GET", path, token=token).json())
        kinds.update(record.kind for record in page.changes)
        cursor = page.cursor
        if not page.has_more:
            return kinds


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    # Exited but not yet reaped by its new parent: as good as gone.
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + GONE_DEADLINE
    while _alive(pid):
        assert time.monotonic() < deadline, f"server process {pid} still runs"
        time.sleep(0.1)


def test_the_demo_account_is_the_servers() -> None:
    assert DEMO_PASSWORD == DEFAULT_PASSWORD
    assert DEMO_PASSWORD_ENV == PASSWORD_ENV
    assert REGISTRAR.login == DEMO_LOGIN
    seed = json.loads((bundle_dir() / "seed.json").read_text(encoding="utf-8"))
    assert seed["municipalities"] == [DEMO_MUNICIPALITY]


def test_health_answers(demo_server: EmbeddedServer) -> None:
    assert demo_server.url.startswith("http://127.0.0.1:")
    health = ServerClient(demo_server.url).health()
    assert health.database == "sqlite"
    assert health.server_id == demo_server.server_id
    assert (demo_server.data_dir / "server.sqlite3").is_file()


def test_the_demo_user_logs_in_and_sees_the_seeded_records(demo_server: EmbeddedServer) -> None:
    tokens = _login(demo_server.url)
    assert tokens.user.municipality.slug == DEMO_MUNICIPALITY
    assert tokens.user.role == "registrar"
    kinds = _all_records(demo_server.url)
    for kind in ("plan_unit", "dossier", "case", "document"):
        assert kinds[kind] > 0, kinds


def test_stop_leaves_no_process_and_a_restart_reuses_the_data(tmp_path: Path) -> None:
    first = EmbeddedServer.start(tmp_path)
    records = _all_records(first.url)
    first.stop()
    assert not first.running
    assert not _alive(first.pid)
    assert not (tmp_path / READY_NAME).exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{first.url}/api/v1/health", timeout=5)

    with EmbeddedServer.start(tmp_path) as second:
        print(f"\nembedded server restart on existing data: {second.startup_seconds:.2f} s")
        assert second.server_id == first.server_id  # the same database, not a new one
        assert _all_records(second.url) == records  # seeding again added nothing
    assert not _alive(second.pid)
    assert "Demo-Daten bereits vorhanden" in (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert (tmp_path / f"{LOG_NAME}.1").is_file()  # the first run's log is kept


LAUNCHER = """
import json, sys
from pathlib import Path
from sync.embedded import EmbeddedServer
server = EmbeddedServer.start(Path(sys.argv[1]))
print(json.dumps({"url": server.url, "pid": server.pid}), flush=True)
sys.stdin.read()  # until killed
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_the_server_stops_when_its_launcher_is_killed(tmp_path: Path) -> None:
    launcher = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert launcher.stdout is not None
        line = launcher.stdout.readline()
        assert line, "the launcher did not start the server"
        started = json.loads(line)
        assert ServerClient(started["url"]).health().status == "ok"
        launcher.send_signal(signal.SIGKILL)  # no chance to stop the server itself
        launcher.wait(timeout=10)
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
    _wait_gone(started["pid"])
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{started['url']}/api/v1/health", timeout=5)
    log = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert "is gone: stopping" in log  # shut down by the watch, cleanly
    assert "Finished server process" in log
    assert not (tmp_path / READY_NAME).exists()


def test_a_broken_config_is_a_typed_error_with_the_log_tail(tmp_path: Path) -> None:
    (tmp_path / "server.toml").write_text("[server\ndatabase_url = ", encoding="utf-8")
    with pytest.raises(EmbeddedServerError) as caught:
        EmbeddedServer.start(tmp_path)
    error = caught.value
    assert error.code == "embedded_server"
    assert "beim Start beendet (Code 1)" in error.message
    assert "kein gültiges TOML" in error.log_tail
    assert error.log_tail in error.message
    assert error.log_path == tmp_path / LOG_NAME
    assert not (tmp_path / READY_NAME).exists()
