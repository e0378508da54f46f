"""Real faults: a proxy that cuts connections, answers 5xx or crawls; the client killed with
SIGKILL mid-sync; the server killed and restarted; a client clock two days off."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync.embedded import EmbeddedServer, demo_password
from sync.records.model import Case, Document, FieldConflict, OutboxEntry, SyncProblem, Version
from sync.transport import ServerUnreachableError
from tests.server.live import PASSWORD, LiveServer
from tests.sync.faultproxy import FaultProxy
from tests.sync.harness import SyncClient
from tests.sync.test_scenarios import Office

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultProxy]:
    with FaultProxy(live_server.base_url) as p:
        yield p


def _via(proxy: FaultProxy, client: SyncClient, tmp: Path, name: str) -> SyncClient:
    """The same clerk's store, now talking through the proxy (logs in there again)."""
    client.close()
    moved = SyncClient(client.root, proxy.url, "meinhard", name)
    moved.login()
    return moved


def _count(client: SyncClient, model: type) -> int:
    with client.store.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_reply_lost_after_the_server_committed(
    live_server: LiveServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    office = Office(live_server, tmp_path, clerks=1)
    clerk = _via(proxy, office.clerks[0], tmp_path, "clerk0")
    new_case = clerk.case(office.dossier, "Offline angelegt")
    proxy.reset()
    proxy.cut_response_after(0)  # the batch's answer never arrives
    report = clerk.sync()
    assert report.rejected == 0 and _count(clerk, OutboxEntry) == 0
    posts = [r for r in proxy.seen if r.method == "POST" and r.path.endswith("/mutations")]
    assert len(posts) == 2  # sent, answer lost, sent again: answered as a replay
    office.reg.sync()
    with office.reg.store.read() as s:
        assert s.scalar(select(func.count()).where(Case.title == "Offline angelegt")) == 1
    assert office.reg.get(Case, new_case) is not None


def test_5xx_and_dropped_connections_mid_sync(
    live_server: LiveServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    office = Office(live_server, tmp_path, clerks=1)
    clerk = _via(proxy, office.clerks[0], tmp_path, "clerk0")
    for i in range(5):
        clerk.case(office.dossier, f"Vorgang {i}")
    proxy.reset()
    proxy.fail_next(3, status=503)
    assert clerk.sync().pushed == 5
    office.reg.case(office.dossier, "Vom Server")
    office.reg.sync()
    proxy.reset()
    proxy.cut_request_after(10)  # the changes request dies on the way
    proxy.fail_next(1, status=502)
    clerk.sync()
    office.converge_with(clerk)


def test_a_crawling_line_still_gets_everything_across(
    live_server: LiveServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    office = Office(live_server, tmp_path, clerks=1)
    clerk = _via(proxy, office.clerks[0], tmp_path, "clerk0")
    doc = clerk.file(office.case, "scan.bin", os.urandom(300_000))
    proxy.throttle(400_000)  # bytes per second: a poor branch-office line
    report = clerk.sync()
    assert report.uploaded == 1 and report.rejected == 0
    office.reg.sync()
    assert len(office.reg.versions(doc)) == 1


def test_client_killed_with_sigkill_mid_sync_and_restarted(
    live_server: LiveServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    office = Office(live_server, tmp_path, clerks=1)
    clerk = office.clerks[0]
    docs = [clerk.file(office.case2, f"scan-{i}.bin", os.urandom(40_000)) for i in range(30)]
    for i in range(40):
        clerk.case(office.dossier, f"Vorgang {i}")
    clerk.close()
    proxy.throttle(300_000)  # slow enough to be killed in the middle
    command = [sys.executable, "-m", "tests.sync.client_process", str(clerk.root), proxy.url]
    child = subprocess.Popen(
        [*command, "meinhard", "clerk0"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(PASSWORD + "\n")
    child.stdin.close()
    uploads = 0
    for line in child.stdout:
        step = json.loads(line)
        if step.get("phase") == "upload":
            uploads += 1
        if uploads >= 10:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert child.returncode == -signal.SIGKILL
    proxy.reset()
    restarted = SyncClient(clerk.root, proxy.url, "meinhard", "clerk0")
    restarted.login()
    report = restarted.sync()
    assert report.rejected == 0 and _count(restarted, OutboxEntry) == 0
    office.reg.sync()
    for doc in docs:
        assert len(office.reg.versions(doc)) == 1  # each exactly once
    with office.reg.store.read() as s:
        made = s.scalar(select(func.count()).where(Case.title.like("Vorgang %")))
    assert made == 40
    assert restarted.state() == office.reg.state()


def test_server_killed_and_restarted(server_db_url: str, tmp_path: Path) -> None:
    data = tmp_path / "server"
    data.mkdir()
    (data / "server.toml").write_text(
        "[server]\n"
        f"database_url = {json.dumps(server_db_url)}\n"
        f"blob_dir = {json.dumps((data / 'blobs').as_posix())}\n"
        'host = "127.0.0.1"\n',
        encoding="utf-8",
    )
    server = EmbeddedServer.start(data, demo=True)
    try:
        with FaultProxy(server.url) as proxy:
            clerk = SyncClient(tmp_path / "clerk", proxy.url, "meinhard", "sachbearbeitung")
            clerk.login(demo_password())
            clerk.sync()
            with clerk.store.read() as s:
                dossier_id = s.scalars(select(Case.dossier_id).limit(1)).one()
            for i in range(200):
                clerk.case(dossier_id, f"Nach dem Absturz {i}")
            proxy.throttle(20_000)
            os.kill(server.pid, signal.SIGKILL)
            with pytest.raises(ServerUnreachableError):
                clerk.sync()
            server.stop()
            server = EmbeddedServer.start(data, demo=True)
            host, port = server.url.removeprefix("http://").split(":")
            proxy.upstream = (host, int(port))
            proxy.throttle(None)
            report = clerk.sync()
            assert report.rejected == 0 and _count(clerk, OutboxEntry) == 0
            other = SyncClient(tmp_path / "registrar", proxy.url, "meinhard", "demo")
            other.login(demo_password())
            other.sync()
            with other.store.read() as s:
                made = s.scalar(select(func.count()).where(Case.title.like("Nach dem Absturz %")))
            assert made == 200
            # The registrar sees more (restricted personnel files); the rest must agree.
            mine, theirs = clerk.state(), other.state()
            assert set(mine) <= set(theirs)
            assert {k: theirs[k] for k in mine} == mine
    finally:
        server.stop()


def test_a_client_clock_two_days_ahead_does_not_win(
    live_server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = Office(live_server, tmp_path, clerks=2)
    ahead, honest = office.clerks

    class Ahead(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return datetime.now(UTC) + timedelta(days=2)

    with monkeypatch.context() as m:
        m.setattr("sync.records.model.datetime", Ahead)
        ahead.edit(Document, office.doc, title="Von der Uhr in der Zukunft")
        ahead.sync()  # login, token refresh and push work with the clock off
    honest.edit(Document, office.doc, title="Von der richtigen Uhr")
    report = honest.sync()
    # Not "the later timestamp wins": the base decides, and both values are kept.
    assert report.conflicts == 1
    office.converge()
    assert ahead.get(Document, office.doc).title == "Von der Uhr in der Zukunft"
    with honest.store.read() as s:
        assert s.scalars(select(FieldConflict.mine)).one() == "Von der richtigen Uhr"


def test_nothing_half_stored_on_a_lying_server(live_server: LiveServer, tmp_path: Path) -> None:
    """A server whose changes page is not the protocol: nothing is applied, a clear error."""
    office = Office(live_server, tmp_path, clerks=1)
    clerk = office.clerks[0]
    before = clerk.state()
    office.reg.case(office.dossier, "Neu")
    office.reg.sync()

    def lie(cursor: str | None, limit: int) -> dict[str, object]:
        return {"changes": [{"kind": "case", "id": "nicht-uuid"}], "cursor": "x", "has_more": False}

    clerk.engine._fetch_changes = lie  # type: ignore[method-assign]
    with pytest.raises(Exception, match="Protokoll"):
        clerk.sync()
    assert clerk.state() == before
    with clerk.store.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncProblem)) == 0
        assert s.scalar(select(func.count()).select_from(Version)) >= 1
