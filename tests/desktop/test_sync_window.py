"""The window's sync commands on a store never synced: the menu "Synchronisierung", F5, the
status bar's connection button opening the login dialog, and "Offline verfügbar" on a dossier."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.dialogs.login import LoginDialog
from desktop.main_window import MainWindow
from desktop.sync_status import SyncState
from desktop.tree_model import NODE_ROLE
from sync.engine.offline import offline_dossiers
from sync.records.model import Dossier
from sync.store.database import Store


@pytest.fixture
def window(qtbot: QtBot, demo_copy: Store) -> Iterator[MainWindow]:
    made = MainWindow(demo_copy, demo_copy.root)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()


def test_menu_and_shortcut(window: MainWindow) -> None:
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    sync_menu = menus["&Synchronisierung"]
    texts = [a.text() for a in sync_menu.actions() if not a.isSeparator()]
    assert texts == [
        "&Jetzt synchronisieren",
        "&Anmelden …",
        "A&bmelden",
        "&Konflikte …",
        "&Fehlerliste …",
        "&Offline verfügbar",
    ]
    a = window.actions_
    assert a.sync_now.shortcut() == QKeySequence("F5")
    assert window.toolbar.actions().count(a.sync_now) == 1
    # Nothing to sync with before a login; signing out makes no sense either.
    assert not a.sync_now.isEnabled() and not a.logout.isEnabled() and a.login.isEnabled()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no raising
def test_the_connection_button_opens_the_login_dialog(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.status.connection.text() == "Nicht angemeldet")
    assert window.sync.status.state is SyncState.NOT_LOGGED_IN
    window.status.connection.click()
    dialog = window.sync_commands.open_login()  # the open one, raised: not a second one
    assert isinstance(dialog, LoginDialog) and dialog.isVisible()
    window.status.connection.click()
    assert window.sync_commands.open_login() is dialog
    dialog.close()


def test_offline_toggle_marks_the_selected_dossier(
    qtbot: QtBot, window: MainWindow, demo_copy: Store
) -> None:
    with demo_copy.read() as s:
        dossier = s.scalars(select(Dossier.id).order_by(Dossier.reference)).first()
    offline = window.actions_.offline
    assert not offline.isEnabled()  # nothing selected
    window.reveal_record(dossier)
    qtbot.waitUntil(
        lambda: getattr(window.tree.currentIndex().data(NODE_ROLE), "id", None) == dossier,
        timeout=10_000,
    )
    assert offline.isEnabled() and not offline.isChecked()
    with qtbot.waitSignal(window.sync.offline_changed, timeout=10_000):
        offline.trigger()
    assert offline.isChecked() and window.sync.offline_ids == {dossier}
    with demo_copy.read() as s:
        assert offline_dossiers(s) == {dossier}
    menu = window.actions_.context_menu(window.tree.currentIndex().data(NODE_ROLE), [])
    assert offline in menu.actions()
    menu.deleteLater()
