"""The sync dialogs against the real server: the conflict dialog resolves a metadata conflict
and a content conflict (made with two PCs), the error list shows a refused change and hides
it, the login dialog says why a login failed and logs in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QStatusBar
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.dialogs.conflicts import ConflictDialog
from desktop.dialogs.login import LoginDialog
from desktop.dialogs.sync_problems import SyncProblemsDialog
from desktop.status_bar import StatusBarController
from desktop.sync_status import SyncState
from desktop.viewer.render_client import RenderClient
from sync.records import operations
from sync.records.model import Case, Document, FieldConflict, OutboxEntry, SyncProblem, Version
from tests.desktop.sync_support import (
    WAIT_MS,
    Desk,
    elsewhere,
    filed_case,
    log_in,
    new_version,
    pdf_bytes,
    sync_and_wait,
)
from tests.server.live import PASSWORD, LiveServer


@pytest.fixture
def render_client(qapp: object) -> Iterator[RenderClient]:
    client = RenderClient()
    client.start()
    yield client
    client.shutdown()


def count(desk: Desk, model: type) -> int:
    with desk.store.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_conflict_dialog_resolves_a_metadata_conflict(
    qtbot: QtBot, desk: Desk, live_server: LiveServer, tmp_path: Path
) -> None:
    pc = elsewhere(tmp_path, live_server)
    _dossier, case, _unit = filed_case(pc)
    doc = pc.file(case, "brief.txt", b"Brief")
    pc.sync()
    log_in(qtbot, desk, live_server)
    pc.edit(Document, doc, title="Titel vom Server")
    pc.sync()
    with desk.store.write() as s:
        operations.update_fields(s, s.get_one(Document, doc), {"title": "Mein Titel"})
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = StatusBarController(desk.context, bar, desk.sync)
    with qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS) as finished:
        desk.sync.sync_now()
    assert finished.args[0].conflicts == 1
    qtbot.waitUntil(lambda: status.conflicts.isVisibleTo(bar), timeout=WAIT_MS)
    assert status.conflicts.text() == "1 Konflikt(e) zu klären"
    with qtbot.waitSignal(status.conflicts_clicked):
        status.conflicts.click()

    dialog = ConflictDialog(desk.context, actor="meinhard/anna")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.conflicts()) == 1, timeout=WAIT_MS)
    assert dialog.pages.currentWidget() is dialog.field_page
    assert (dialog.mine_value.text(), dialog.theirs_value.text()) == (
        "Mein Titel",
        "Titel vom Server",
    )
    assert "Titel" in dialog.field_heading.text()
    with qtbot.waitSignal(dialog.resolved, timeout=WAIT_MS):
        dialog.keep_mine_field.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.empty_page, timeout=WAIT_MS)
    assert count(desk, FieldConflict) == 0 and count(desk, OutboxEntry) == 1
    sync_and_wait(qtbot, desk)
    pc.sync()
    assert pc.get(Document, doc).title == "Mein Titel"  # mine went to the server


def test_conflict_dialog_resolves_a_content_conflict(
    qtbot: QtBot,
    desk: Desk,
    live_server: LiveServer,
    tmp_path: Path,
    render_client: RenderClient,
) -> None:
    pc = elsewhere(tmp_path, live_server)
    _dossier, case, _unit = filed_case(pc)
    doc = pc.file(case, "bescheid.pdf", pdf_bytes("Entwurf"))
    pc.sync()
    log_in(qtbot, desk, live_server)
    theirs = pdf_bytes("Fassung der Registratur")
    pc.new_version(doc, theirs)
    pc.sync()
    new_version(desk.store, doc, pdf_bytes("Meine Fassung"))
    sync_and_wait(qtbot, desk)
    with desk.store.read() as s:  # the server kept both: mine as a parallel version
        assert s.scalar(select(func.count()).where(Version.conflict)) == 1

    dialog = ConflictDialog(
        desk.context, render_client=render_client, fetch=desk.sync.fetch, actor="meinhard/anna"
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.conflicts()) == 1, timeout=WAIT_MS)
    assert dialog.pages.currentWidget() is dialog.version_page
    conflict = dialog.current_version()
    assert conflict is not None and not conflict.theirs.present  # fetched for the preview
    # Both first pages rendered side by side by the render process, with who and when.
    qtbot.waitUntil(
        lambda: dialog.mine_preview.has_page() and dialog.theirs_preview.has_page(),
        timeout=60_000,
    )
    assert dialog.theirs_preview.facts.text().startswith("Version 2 · ")
    assert dialog.mine_preview.facts.text().startswith("Version 3 · meinhard/anna · ")
    with qtbot.waitSignal(dialog.resolved, timeout=WAIT_MS):
        dialog.keep_theirs_version.click()
    qtbot.waitUntil(lambda: len(dialog.conflicts()) == 0, timeout=WAIT_MS)
    with desk.store.read() as s:
        document = s.get_one(Document, doc)
        current = s.scalar(
            select(Version).where(
                Version.document_id == doc, Version.number == document.current_version
            )
        )
        assert current.blob_sha256 == conflict.theirs.side.blob_sha256
        assert not s.scalar(select(func.count()).where(Version.conflict))
    sync_and_wait(qtbot, desk)
    pc.sync()
    assert pc.versions(doc)[-1][1] == conflict.theirs.side.blob_sha256
    assert not any(marked for _n, _sha, marked in pc.versions(doc))


def test_error_list_shows_a_refused_change_and_hides_it(
    qtbot: QtBot, desk: Desk, live_server: LiveServer, tmp_path: Path
) -> None:
    pc = elsewhere(tmp_path, live_server)
    _dossier, case, _unit = filed_case(pc)
    pc.sync()
    log_in(qtbot, desk, live_server)  # a clerk: closing (zdA) is the registrar's task
    with desk.store.write() as s:
        operations.close(s, s.get_one(Case, case))
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = StatusBarController(desk.context, bar, desk.sync)
    with qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS) as finished:
        desk.sync.sync_now()
    assert finished.args[0].rejected == 1
    assert desk.sync.status.state is SyncState.ONLINE  # the rest went on
    qtbot.waitUntil(lambda: status.problems.isVisibleTo(bar), timeout=WAIT_MS)
    assert status.problems.text() == "1 Problem(e) beim Abgleich"
    with desk.store.read() as s:
        assert s.get_one(Case, case).closed_at is None  # shows the server's state again

    dialog = SyncProblemsDialog(desk.context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.entries()) == 1, timeout=WAIT_MS)
    entry = dialog.entries()[0]
    assert (entry.kind, entry.op, entry.concerned) == ("case", "close", "Erstantrag")
    item = dialog.items()[0]
    assert item.text(1) == "Vorgang „Erstantrag“"
    assert item.text(2) == "Abschließen (zdA)"
    assert item.text(3) == entry.title and entry.message
    assert entry.message in dialog.details.toPlainText()
    item.setSelected(True)
    assert dialog.dismiss_button.isEnabled()
    with qtbot.waitSignal(dialog.dismissed, timeout=WAIT_MS):
        dialog.dismiss_button.click()
    qtbot.waitUntil(lambda: dialog.entries() == [], timeout=WAIT_MS)
    assert count(desk, SyncProblem) == 0
    qtbot.waitUntil(lambda: not status.problems.isVisibleTo(bar), timeout=WAIT_MS)


def test_login_dialog_says_why_and_logs_in(
    qtbot: QtBot, desk: Desk, live_server: LiveServer
) -> None:
    live_server.add_user("meinhard", "anna")
    dialog = LoginDialog(desk.context, desk.sync)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.login_button.isEnabled, timeout=WAIT_MS)
    dialog.server_edit.setText(live_server.base_url)
    dialog.municipality_combo.setCurrentIndex(dialog.municipality_combo.findData("meinhard"))
    assert dialog.municipality_combo.currentText() == "Meinhard"
    dialog.user_edit.setText("anna")

    dialog.login_button.click()  # no password: said at once, nothing sent
    assert dialog.error.text() == "Bitte das Passwort eingeben."
    dialog.password_edit.setText("falsch")
    dialog.login_button.click()
    assert not dialog.login_button.isEnabled()  # busy: the login runs in the background
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=WAIT_MS)
    assert "Passwort stimmen nicht" in dialog.error.text()
    assert dialog.isVisible() and desk.sync.engine is None

    dialog.password_edit.setText(PASSWORD)
    with (
        qtbot.waitSignal(desk.sync.run_finished, timeout=WAIT_MS),
        qtbot.waitSignal(dialog.logged_in, timeout=WAIT_MS) as logged_in,
    ):
        dialog.login_button.click()
    assert logged_in.args[0].login == "anna"
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.password_edit.text() == ""
    assert desk.sync.account is not None and desk.sync.account.server_url == live_server.base_url


def test_login_dialog_offers_the_municipality_it_configured(
    qtbot: QtBot, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = tmp_path / "config.toml"
    machine.write_text('municipality = "sontra"\n', encoding="utf-8")
    monkeypatch.setenv("EAKTE_MACHINE_CONFIG", str(machine))
    dialog = LoginDialog(desk.context, desk.sync)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.login_button.isEnabled, timeout=WAIT_MS)
    assert dialog.municipality_combo.currentData() == "sontra"
    assert dialog.municipality_combo.currentText() == "Sontra"
