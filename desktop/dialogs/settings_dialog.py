"""Einstellungen: server address, language, cache size and appearance.

Values that the machine-wide configuration fixes are shown read-only with the note "vom
Administrator festgelegt". The files are read and written in the background (``sync.settings``).
The server address is the one the login dialog offers; a store that is already bound keeps
syncing with its own server (``sync.engine.binding``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.appearance import apply_appearance
from desktop.context import AppContext
from desktop.dialogs.fields import ErrorLabel, if_alive
from desktop.errors import error_text
from sync import settings as user_settings
from sync.errors import EAkteError
from sync.settings import LoadedSettings, Settings


class SettingsDialog(QDialog):
    """``saved(Settings)`` with the effective settings after the user's file was written.
    A changed appearance applies at once, a changed language at the next start."""

    saved = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._loaded: LoadedSettings | None = None
        self.setWindowTitle(self.tr("Einstellungen"))
        self.setAccessibleName(self.tr("Einstellungen"))

        self.server_edit = QLineEdit()
        self.server_edit.setPlaceholderText("https://eakte.example.de")
        self.server_edit.setAccessibleName(self.tr("Serveradresse"))
        self.language_combo = QComboBox()
        self.language_combo.addItem("Deutsch", "de")
        self.language_combo.addItem("English", "en")
        self.language_combo.setAccessibleName(self.tr("Sprache"))
        self.language_note = QLabel(self.tr("Die Sprache wird beim nächsten Start übernommen."))
        self.language_note.setWordWrap(True)
        self.cache_spin = QSpinBox()
        self.cache_spin.setRange(user_settings.CACHE_MB_MIN, user_settings.CACHE_MB_MAX)
        self.cache_spin.setSingleStep(256)
        self.cache_spin.setSuffix(" MB")
        self.cache_spin.setAccessibleName(self.tr("Größe des Dokumentcaches in MB"))
        self.appearance_combo = QComboBox()
        self.appearance_combo.addItem(self.tr("Wie das System"), "system")
        self.appearance_combo.addItem(self.tr("Hell"), "light")
        self.appearance_combo.addItem(self.tr("Dunkel"), "dark")
        self.appearance_combo.setAccessibleName(self.tr("Darstellung"))
        self.widgets: dict[str, QWidget] = {
            "server_url": self.server_edit,
            "language": self.language_combo,
            "cache_mb": self.cache_spin,
            "appearance": self.appearance_combo,
        }
        self.notes: dict[str, QLabel] = {}

        form = QFormLayout()
        rows = (
            ("server_url", self.tr("&Server:")),
            ("language", self.tr("S&prache:")),
            ("cache_mb", self.tr("&Cache:")),
            ("appearance", self.tr("&Darstellung:")),
        )
        for key, label in rows:
            note = QLabel(self.tr("vom Administrator festgelegt"))
            note.hide()
            self.notes[key] = note
            row = QHBoxLayout()
            row.addWidget(self.widgets[key], 1)
            row.addWidget(note)
            form.addRow(label, row)
            cast(QLabel, form.labelForField(row)).setBuddy(self.widgets[key])
            if key == "language":
                form.addRow("", self.language_note)
        server_note = QLabel(
            self.tr(
                "Die Serveradresse wird bei der nächsten Anmeldung vorgeschlagen. Ein "
                "Datenbestand bleibt mit dem Server verbunden, bei dem er angemeldet wurde."
            )
        )
        server_note.setWordWrap(True)
        self.error = ErrorLabel()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(self.tr("Einstellungen speichern"))
        self.save_button.setEnabled(False)  # until the files have been read
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(server_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

        context.loader.submit(
            lambda _session: user_settings.load(),
            if_alive(self, self._show),
            if_alive(self, self._failed),
        )

    def _show(self, loaded: LoadedSettings) -> None:
        self._loaded = loaded
        values = loaded.effective
        self.server_edit.setText(values.server_url)
        self._choose(self.language_combo, values.language)
        self.cache_spin.setValue(values.cache_mb)
        self._choose(self.appearance_combo, values.appearance)
        for key in loaded.locked:
            widget = self.widgets.get(key)
            if widget is None:  # e.g. the municipality: set by IT only, shown at login
                continue
            if isinstance(widget, QLineEdit | QSpinBox):
                widget.setReadOnly(True)  # still focusable and readable
            else:
                widget.setEnabled(False)
            widget.setAccessibleDescription(self.notes[key].text())
            self.notes[key].show()
        self.save_button.setEnabled(True)
        self.save_button.setDefault(True)
        self.server_edit.setFocus()

    @staticmethod
    def _choose(combo: QComboBox, value: str) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def chosen(self) -> Settings:
        """The user's settings as the dialog shows them; machine-fixed keys keep the user's
        own value (the machine's wins anyway, and may be withdrawn later)."""
        assert self._loaded is not None
        user, locked = self._loaded.user, self._loaded.locked
        return Settings(
            server_url=user.server_url if "server_url" in locked else self.server_edit.text(),
            language=user.language if "language" in locked else self.language_combo.currentData(),
            cache_mb=user.cache_mb if "cache_mb" in locked else self.cache_spin.value(),
            appearance=(
                user.appearance if "appearance" in locked else self.appearance_combo.currentData()
            ),
            municipality=user.municipality,  # not in this dialog: kept as it is
        )

    def _submit(self) -> None:
        if self._loaded is None:
            return
        self.error.clear_message()
        chosen = self.chosen()
        try:
            chosen = replace(
                chosen, server_url=user_settings.validate_server_url(chosen.server_url)
            )
        except EAkteError as exc:
            self.error.show_message(exc.message)
            self.server_edit.setFocus()
            return
        self.save_button.setEnabled(False)
        self._context.loader.submit(
            lambda _session: user_settings.save(chosen),
            if_alive(self, lambda _path: self._saved(chosen)),
            if_alive(self, self._failed),
        )

    def _saved(self, chosen: Settings) -> None:
        assert self._loaded is not None
        machine = {key: getattr(self._loaded.effective, key) for key in self._loaded.locked}
        effective = replace(chosen, **machine)
        if effective.appearance != self._loaded.effective.appearance:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_appearance(app, effective.appearance)
        self.saved.emit(effective)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.error.show_message(error_text(exc)[1])
        self.save_button.setEnabled(self._loaded is not None)
