"""The sync controller against the real server on 127.0.0.1: runs in the background, states in
the status bar, a local edit triggers one debounced sync, offline is a state, many deletions
ask first, "Offline verfügbar" fetches a dossier, logging out forgets the login."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QMessageBox, QStatusBar
from pytestqt.qtbot import QtBot

import sync.engine.engine as engine_module
from desktop.context import Change
from desktop.status_bar import StatusBarController
from desktop.sync_status import SyncState, progress_text
from desktop.tree_model import PlanTreeModel
from sync.credentials import CredentialStore, account_name, service_name
from sync.engine.auth import Account
from sync.engine.engine import SyncProgress
from sync.records import operations
from sync.records.model import Document
from tests.desktop.sync_support import (
    WAIT_MS,
    Desk,
    blob_present,
    closed_port,
    elsewhere,
    filed_case,
    log_in,
    make_desk,
    sync_and_wait,
)
from tests.server.live import PASSWORD, LiveServer


def visible_message_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_progress_texts() -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))  # as the app
    try:
        _check_progress_texts()
    finally:
        QLocale.setDefault(before)


def _check_progress_texts() -> None:
    assert progress_text(SyncProgress("push", 12), 40) == "Sende 12 von 40"
    assert progress_text(SyncProgress("pull", 1200)) == "Empfange 1.200 Einträge"
    assert progress_text(SyncProgress("download", 3, 10)) == "Lade Datei 3 von 10"
    assert progress_text(None) == "Synchronisiere …"


def test_login_and_first_sync_run_in_the_background_and_fill_the_tree(
    qtbot: QtBot, desk: Desk, live_server: LiveServer, tmp_path: Path
) -> None:
    pc = elsewhere(tmp_path, live_server)
    _dossier, case, _unit = filed_case(pc)
    pc.file(case, "antrag.txt", b"Antrag auf Baugenehmigung")
    pc.sync()
    model = PlanTreeModel(desk.store, loader=desk.context.loader)
    desk.context.events.changed.connect(model.refresh)
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.fetchMore(model.index(-1, 0))
    assert model.rowCount() == 0  # an empty store before its first sync: an empty tree
    announced: list[Change] = []
    desk.context.events.changed.connect(announced.append)
    states: list[SyncState] = []
    desk.sync.status_changed.connect(lambda status: states.append(status.state))

    live_server.add_user("meinhard", "anna")
    found: list[object] = []
    errors: list[Exception] = []
    account = Account(live_server.base_url, "meinhard", "anna")
    with qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS) as finished:
        desk.sync.login(account, PASSWORD, found.append, errors.append)
        assert not found and desk.sync.engine is None  # returned at once: it runs elsewhere
    assert not errors and found
    assert finished.args[0].pulled >= 4
    assert SyncState.SYNCING in states and desk.sync.status.state is SyncState.ONLINE
    assert [c.everything for c in announced] == [True]
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT_MS)  # the unit, merged in

    # On demand: the call returns while the run goes on; a no-op run announces nothing.
    with qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS) as again:
        desk.sync.sync_now()
        assert desk.sync.busy and desk.sync.status.state is SyncState.SYNCING
    assert again.args[0].pulled == 0
    assert len(announced) == 1


def test_status_bar_follows_the_run(
    qtbot: QtBot, desk: Desk, live_server: LiveServer, tmp_path: Path
) -> None:
    pc = elsewhere(tmp_path, live_server)
    _dossier, case, _unit = filed_case(pc)
    doc = pc.file(case, "brief.txt", b"Brief")
    pc.sync()
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = StatusBarController(desk.context, bar, desk.sync)
    assert status.connection.text() == "Nicht angemeldet"
    texts: list[str] = []
    desk.sync.status_changed.connect(lambda _s: texts.append(status.connection.text()))
    log_in(qtbot, desk, live_server)
    assert any(t.startswith("Empfange ") for t in texts), texts
    assert status.connection.text() == "Online"
    qtbot.waitUntil(lambda: status.last_sync.text().startswith("Zuletzt synchronisiert: heute"))

    with desk.store.write() as s:
        operations.update_fields(s, s.get_one(Document, doc), {"title": "Brief (geändert)"})
    status.refresh()
    qtbot.waitUntil(lambda: status.pending.text() == "1 Änderung wartet auf Synchronisierung")
    texts.clear()
    sync_and_wait(qtbot, desk)
    assert "Sende 1 von 1" in texts, texts
    assert texts[-1] == "Online"
    qtbot.waitUntil(lambda: status.pending.text() == "Keine Änderungen offen")


def test_a_local_edit_triggers_one_debounced_sync(
    qtbot: QtBot, live_server: LiveServer, tmp_path: Path
) -> None:
    pc = elsewhere(tmp_path, live_server)
    _dossier, case, _unit = filed_case(pc)
    doc = pc.file(case, "brief.txt", b"Brief")
    pc.sync()
    desk = make_desk(tmp_path / "quick", debounce_ms=300)
    try:
        log_in(qtbot, desk, live_server)
        runs = desk.sync.runs
        with desk.store.write() as s:
            operations.update_fields(s, s.get_one(Document, doc), {"title": "Neuer Titel"})
        with qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS):
            for _ in range(3):  # as a panel announces its writes, several in a row
                desk.context.events.announce(Change.of(records=(doc,)))
            assert desk.sync.scheduled and desk.sync.runs == runs  # waits for quiet first
        assert desk.sync.runs == runs + 1
        # The run's own announcement of what it applied is no local change: nothing follows.
        assert not desk.sync.scheduled and not desk.sync.busy
        pc.sync()
        assert pc.get(Document, doc).title == "Neuer Titel"
    finally:
        desk.close()


def test_offline_is_a_state_not_an_error_dialog(qtbot: QtBot, desk: Desk) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    CredentialStore(desk.keyring).save_refresh_token(url, "meinhard", "anna", "gespeichert")
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = StatusBarController(desk.context, bar, desk.sync)
    desk.sync.use_account(Account(url, "meinhard", "anna"))
    with qtbot.waitSignal(
        desk.sync.status_changed,
        timeout=WAIT_MS,
        check_params_cb=lambda s: s.state is not SyncState.SYNCING,
    ):
        desk.sync.sync_now()
    assert desk.sync.status.state is SyncState.OFFLINE
    assert status.connection.text() == "Offline"
    assert "antwortet nicht" in desk.sync.status.error.message
    assert not visible_message_boxes()
    assert desk.sync.account is not None  # kept: the next tick tries again


def test_many_deletions_ask_first(
    qtbot: QtBot,
    desk: Desk,
    live_server: LiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pc = elsewhere(tmp_path, live_server)
    _dossier, case, _unit = filed_case(pc)
    docs = [pc.file(case, f"brief{i}.txt", f"Brief {i}".encode()) for i in range(3)]
    pc.sync()
    log_in(qtbot, desk, live_server, login="rita", role="registrar")
    with desk.store.write() as s:
        for doc in docs:
            operations.delete(s, s.get_one(Document, doc))
    monkeypatch.setattr(engine_module, "MASS_DELETE_THRESHOLD", 2)
    notices: list[str] = []
    desk.sync.notice.connect(notices.append)
    desk.sync.sync_now()
    qtbot.waitUntil(lambda: desk.sync.question is not None, timeout=WAIT_MS)
    assert desk.sync.status.state is SyncState.PAUSED
    assert any("3 Einträge" in n for n in notices)
    box = desk.sync.question
    send = next(b for b in box.buttons() if b.text() == "&Löschungen senden")
    with qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS) as finished:
        send.click()
    assert finished.args[0].pushed >= 3
    assert desk.sync.question is None and desk.sync.status.state is SyncState.ONLINE
    pc.sync()
    assert all(pc.get(Document, doc).deleted_at is not None for doc in docs)


def test_offline_available_fetches_the_dossier(
    qtbot: QtBot, desk: Desk, live_server: LiveServer, tmp_path: Path
) -> None:
    pc = elsewhere(tmp_path, live_server)
    dossier, case, _unit = filed_case(pc)
    docs = [pc.file(case, f"brief{i}.txt", f"Brief {i}".encode()) for i in range(2)]
    pc.sync()
    log_in(qtbot, desk, live_server)
    assert not any(blob_present(desk.store, doc) for doc in docs)  # only on demand, so far
    with qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS) as finished:
        desk.sync.set_offline(dossier, True)
    assert finished.args[0].downloaded == 2
    assert all(blob_present(desk.store, doc) for doc in docs)
    assert desk.sync.offline_ids == {dossier}


def test_logout_forgets_the_saved_login(qtbot: QtBot, desk: Desk, live_server: LiveServer) -> None:
    log_in(qtbot, desk, live_server)
    key = (service_name(live_server.base_url), account_name("meinhard", "anna"))
    assert key in desk.keyring.entries
    desk.sync.logout()
    assert desk.sync.status.state is SyncState.NOT_LOGGED_IN and desk.sync.engine is None
    qtbot.waitUntil(lambda: key not in desk.keyring.entries, timeout=WAIT_MS)
