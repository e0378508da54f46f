"""Anmelden: server address, municipality, user and password. The login runs in the background
(``SyncController.login``); a refusal is shown in the dialog itself, in German.

The server address comes from the store's binding (a store belongs to one server) or else
from the settings; the municipality and user from the binding, or else the municipality
from the settings (set machine-wide by IT: ``MUNICIPALITY`` of the MSI). The password is
handed to the controller once and not kept.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.context import AppContext
from desktop.dialogs.fields import ErrorLabel, if_alive
from desktop.errors import error_text
from desktop.sync_controller import SyncController
from sync import settings as user_settings
from sync.engine import binding
from sync.engine.auth import Account
from sync.errors import EAkteError, ValidationError
from sync.store.paths import resources_dir

log = logging.getLogger("eakte.desktop.sync")


def municipalities() -> list[tuple[str, str]]:
    """(slug, short name) of the eleven municipalities; empty if the list cannot be read."""
    try:
        data = json.loads((resources_dir() / "municipalities.json").read_text(encoding="utf-8"))
        return [(str(m["slug"]), str(m["short_name"])) for m in data["municipalities"]]
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("the list of municipalities could not be read", exc_info=True)
        return []


@dataclass(frozen=True)
class Prefill:
    bound: binding.Binding | None
    server_url: str
    municipality: str  # from the settings; "" = none
    known: list[tuple[str, str]]


def _prefill(session: Session) -> Prefill:
    bound = binding.current(session)
    config = user_settings.load().effective
    return Prefill(bound, config.server_url, config.municipality, municipalities())


class LoginDialog(QDialog):
    """``logged_in(Binding)`` after the server accepted the login and the store is bound."""

    logged_in = Signal(object)

    def __init__(
        self, context: AppContext, sync: SyncController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sync = sync
        self.setWindowTitle(self.tr("Anmelden"))
        self.setAccessibleName(self.tr("Beim Server anmelden"))
        self.server_edit = QLineEdit()
        self.server_edit.setPlaceholderText("https://eakte.example.de")
        self.server_edit.setAccessibleName(self.tr("Serveradresse"))
        self.municipality_combo = QComboBox()
        self.municipality_combo.setEditable(False)
        self.municipality_combo.setAccessibleName(self.tr("Kommune"))
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName(self.tr("Benutzername"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(self.tr("Passwort"))
        form = QFormLayout()
        form.addRow(self.tr("&Server:"), self.server_edit)
        form.addRow(self.tr("&Kommune:"), self.municipality_combo)
        form.addRow(self.tr("&Benutzer:"), self.user_edit)
        form.addRow(self.tr("&Passwort:"), self.password_edit)
        self.note = QLabel(
            self.tr(
                "Das Passwort wird nur zur Anmeldung an den Server geschickt und nicht "
                "gespeichert. Die Anmeldung bleibt im Anmeldespeicher von Windows erhalten."
            )
        )
        self.note.setWordWrap(True)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.login_button = self.buttons.addButton(
            self.tr("&Anmelden"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.login_button.setDefault(True)
        self.login_button.setEnabled(False)  # until the prefill has been read
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())
        self._busy = False
        context.loader.submit(_prefill, if_alive(self, self._show), if_alive(self, self._failed))

    def _show(self, prefill: Prefill) -> None:
        bound, server_url = prefill.bound, prefill.server_url
        for slug, name in prefill.known:
            self.municipality_combo.addItem(name, slug)
        if bound is not None:
            server_url = bound.server_url
            self.user_edit.setText(bound.login)
            self._choose(bound.municipality)
        elif self._sync.account is not None:  # logged out: offer the same account
            account = self._sync.account
            server_url = account.server_url
            self.user_edit.setText(account.login)
            self._choose(account.municipality)
        elif prefill.municipality:
            self._choose(prefill.municipality)
        self.server_edit.setText(server_url)
        self.login_button.setEnabled(True)
        for edit in (self.server_edit, self.user_edit, self.password_edit):
            if not edit.text():
                edit.setFocus()
                break

    def _choose(self, slug: str) -> None:
        index = self.municipality_combo.findData(slug)
        if index < 0:  # not in the list (a test server's, say): offer it anyway
            self.municipality_combo.addItem(slug, slug)
            index = self.municipality_combo.count() - 1
        self.municipality_combo.setCurrentIndex(index)

    def account(self) -> Account:
        """The account as entered; ValidationError with a German message if incomplete."""
        url = user_settings.validate_server_url(self.server_edit.text())
        if not url:
            raise ValidationError(self.tr("Bitte die Adresse des Servers eingeben."))
        municipality = self.municipality_combo.currentData()
        if not isinstance(municipality, str) or not municipality:
            raise ValidationError(self.tr("Bitte die Kommune wählen."))
        login = self.user_edit.text().strip()
        if not login:
            raise ValidationError(self.tr("Bitte den Benutzernamen eingeben."))
        return Account(url, municipality.strip().lower(), login)

    def submit(self) -> None:
        if self._busy:
            return
        self.error.clear_message()
        try:
            account = self.account()
        except EAkteError as exc:
            self.error.show_message(exc.message)
            return
        password = self.password_edit.text()
        if not password:
            self.error.show_message(self.tr("Bitte das Passwort eingeben."))
            self.password_edit.setFocus()
            return
        self._set_busy(True)
        self._sync.login(
            account, password, if_alive(self, self._done), if_alive(self, self._refused)
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.login_button.setEnabled(not busy)
        self.login_button.setText(self.tr("Anmeldung läuft …") if busy else self.tr("&Anmelden"))
        for widget in (
            self.server_edit,
            self.municipality_combo,
            self.user_edit,
            self.password_edit,
        ):
            widget.setEnabled(not busy)

    def _done(self, bound: binding.Binding) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.logged_in.emit(bound)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self._set_busy(False)
        title, message = error_text(exc)
        self.error.show_message(f"{title}: {message}")
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def _failed(self, exc: Exception) -> None:
        self.error.show_message(error_text(exc)[1])
        self.login_button.setEnabled(True)
