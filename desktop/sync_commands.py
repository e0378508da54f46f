"""The window's side of sync: the menu "Synchronisierung", the clickable parts of the status
bar, the toggle "Offline verfügbar", and the dialogs they open (one of each at a time)."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

from desktop.context import AppContext
from desktop.dialogs.conflicts import ConflictDialog
from desktop.dialogs.fields import confirm
from desktop.dialogs.login import LoginDialog
from desktop.dialogs.sync_problems import SyncProblemsDialog
from desktop.errors import show_error
from desktop.main_actions import MainActions
from desktop.status_bar import StatusBarController
from desktop.sync_controller import SyncController
from desktop.sync_status import SyncState
from desktop.viewer.render_client import RenderClient
from sync.engine.errors import MassDeleteError
from sync.records.tree import TreeNode


class SyncCommands(QObject):
    def __init__(
        self,
        window: QMainWindow,
        context: AppContext,
        sync: SyncController,
        actions: MainActions,
        status: StatusBarController,
        render_client: RenderClient | None,
        current_node: Callable[[], TreeNode | None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._context = context
        self._sync = sync
        self._actions = actions
        self._render_client = render_client
        self._current_node = current_node
        self._dialogs: dict[str, QDialog] = {}
        a = actions
        a.sync_now.triggered.connect(lambda: sync.sync_now())
        a.login.triggered.connect(self.open_login)
        a.logout.triggered.connect(self.ask_logout)
        a.conflicts.triggered.connect(self.open_conflicts)
        a.problems.triggered.connect(self.open_problems)
        a.offline.triggered.connect(self._toggle_offline)
        status.connection_clicked.connect(self.explain_connection)
        status.conflicts_clicked.connect(self.open_conflicts)
        status.problems_clicked.connect(self.open_problems)
        sync.account_changed.connect(self._account_changed)
        sync.offline_changed.connect(self.update_offline_toggle)
        self._account_changed()

    # -- dialogs -------------------------------------------------------------------------

    def _single(self, name: str, make: Callable[[], QDialog]) -> QDialog:
        """The open dialog called ``name`` (raised), or a new one."""
        found = self._dialogs.get(name)
        if found is not None and shiboken6.isValid(found) and found.isVisible():
            found.raise_()
            found.activateWindow()
            return found
        dialog = make()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialogs[name] = dialog
        dialog.show()  # non-modal: the window keeps painting and syncing
        return dialog

    def open_login(self) -> LoginDialog:
        dialog = self._single("login", lambda: LoginDialog(self._context, self._sync, self._window))
        assert isinstance(dialog, LoginDialog)
        return dialog

    def open_conflicts(self) -> ConflictDialog:
        account = self._sync.account
        dialog = self._single(
            "conflicts",
            lambda: ConflictDialog(
                self._context,
                self._window,
                render_client=self._render_client,
                fetch=self._sync.fetch,
                actor=account.login if account is not None else "",
            ),
        )
        assert isinstance(dialog, ConflictDialog)
        return dialog

    def open_problems(self) -> SyncProblemsDialog:
        dialog = self._single("problems", lambda: SyncProblemsDialog(self._context, self._window))
        assert isinstance(dialog, SyncProblemsDialog)
        return dialog

    def ask_logout(self) -> None:
        confirm(
            self._window,
            self.tr("Abmelden"),
            self.tr("Von diesem Server abmelden?"),
            self.tr("A&bmelden"),
            self._sync.logout,
            details=self.tr(
                "Die gespeicherte Anmeldung wird gelöscht. Alle Akten und noch nicht "
                "übertragene Änderungen bleiben auf diesem PC und werden nach der nächsten "
                "Anmeldung übertragen."
            ),
        )

    def explain_connection(self) -> QWidget | None:
        """What a click on the connection part does: log in, ask about many deletions, or
        show why sync stopped."""
        status = self._sync.status
        if status.state is SyncState.NOT_LOGGED_IN:
            return self.open_login()
        if isinstance(status.error, MassDeleteError):
            return self._sync.ask_mass_delete()
        if status.error is not None and status.state in (SyncState.PAUSED, SyncState.OFFLINE):
            return show_error(self._window, status.error)
        return None

    # -- state of the commands -----------------------------------------------------------

    def _account_changed(self) -> None:
        self._actions.logout.setEnabled(self._sync.engine is not None)
        self._actions.sync_now.setEnabled(self._sync.engine is not None)

    def update_offline_toggle(self) -> None:
        node = self._current_node()
        offline = node is not None and node.id in self._sync.offline_ids
        self._actions.update_offline(node, offline=offline)

    def _toggle_offline(self, checked: bool) -> None:
        node = self._current_node()
        if node is None or node.kind != "dossier":
            return
        self._sync.set_offline(node.id, checked)
