"""``eakte login``, ``sync``, ``status`` and ``set`` against the real server; the keyring is
an in-memory backend."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from sync.cli.main import main
from sync.cli.sync_commands import EXIT_ATTENTION, EXIT_NOT_SYNCED
from sync.records.model import Document
from sync.store.database import Store
from tests.server.live import PASSWORD, LiveServer
from tests.support.keyrings import MemoryKeyring
from tests.sync.test_scenarios import Office


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _eakte(store: Path, *args: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--store", str(store), *args])


def test_login_sync_set_status(
    live_server: LiveServer,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office = Office(live_server, tmp_path, clerks=1)
    store = tmp_path / "cli-store"
    live_server.add_user("meinhard", "cli")
    login = ["login", "--server", live_server.base_url, "--municipality", "meinhard"]
    wrong = _eakte(
        store,
        *login,
        "--user",
        "cli",
        "--password-stdin",
        stdin="falsch\n",
        monkeypatch=monkeypatch,
    )
    assert wrong == EXIT_NOT_SYNCED
    assert "Anmeldung fehlgeschlagen" in capsys.readouterr().err
    ok = _eakte(
        store,
        *login,
        "--user",
        "cli",
        "--password-stdin",
        stdin=PASSWORD + "\n",
        monkeypatch=monkeypatch,
    )
    assert ok == 0
    assert list(memory_keyring.entries) == [
        (f"E-Akte {live_server.base_url}", "meinhard/cli")
    ]  # the refresh token, never the password
    assert PASSWORD not in memory_keyring.entries.values()
    assert _eakte(store, "sync", monkeypatch=monkeypatch) == 0
    assert "Abgleich fertig" in capsys.readouterr().out

    bad = _eakte(store, "set", office.doc, "received_on=gestern", monkeypatch=monkeypatch)
    assert bad == 1 and "JJJJ-MM-TT" in capsys.readouterr().err
    assert _eakte(store, "set", office.doc, "farbe=rot", monkeypatch=monkeypatch) == 1
    edit = ["set", office.doc, "title=Per Skript", "received_on=2026-11-02"]
    assert _eakte(store, *edit, monkeypatch=monkeypatch) == 0
    capsys.readouterr()
    assert _eakte(store, "status", "--json", monkeypatch=monkeypatch) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending_mutations"] == 1 and status["user"] == "cli"
    assert status["cursor"] and status["last_sync"]

    # The registrar changed the same field meanwhile: done, but with a conflict to look at.
    office.reg.sync()
    office.reg.edit(Document, office.doc, title="Von der Registratur")
    office.reg.sync()
    assert _eakte(store, "sync", monkeypatch=monkeypatch) == EXIT_ATTENTION
    capsys.readouterr()
    assert _eakte(store, "status", monkeypatch=monkeypatch) == 0
    assert "Konflikte: 1" in capsys.readouterr().out
    with Store.open(store) as opened, opened.read() as s:
        assert s.get_one(Document, office.doc).title == "Von der Registratur"


def test_sync_exit_codes_when_it_cannot_sync(
    live_server: LiveServer,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    assert _eakte(store, "sync", monkeypatch=monkeypatch) == EXIT_NOT_SYNCED  # no store
    Store.open(store).close()
    assert _eakte(store, "sync", monkeypatch=monkeypatch) == EXIT_NOT_SYNCED  # not logged in
    assert "login" in capsys.readouterr().err
    live_server.add_user("meinhard", "cli")
    login = ["login", "--server", live_server.base_url, "--municipality", "meinhard", "--user"]
    code = _eakte(store, *login, "cli", "--password-stdin", stdin=PASSWORD, monkeypatch=monkeypatch)
    assert code == 0
    live_server.stop()
    assert _eakte(store, "sync", monkeypatch=monkeypatch) == EXIT_NOT_SYNCED
    assert "Server nicht erreichbar" in capsys.readouterr().err


def test_sync_watch_runs_until_interrupted(
    live_server: LiveServer,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    live_server.add_user("meinhard", "cli")
    login = ["login", "--server", live_server.base_url, "--municipality", "meinhard", "--user"]
    assert (
        _eakte(store, *login, "cli", "--password-stdin", stdin=PASSWORD, monkeypatch=monkeypatch)
        == 0
    )
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 3:
            raise KeyboardInterrupt  # the admin presses Ctrl+C

    monkeypatch.setattr("sync.cli.sync_commands.time.sleep", nap)
    assert _eakte(store, "sync", "--watch", "--interval", "5", monkeypatch=monkeypatch) == 0
    assert naps == [5.0, 5.0, 5.0]
    assert capsys.readouterr().out.count("Abgleich fertig") == 3  # one run, then one per nap
