"""Über E-Akte: version, licence, the libraries it runs on and where its files are."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.dialogs.fields import if_alive
from sync.crash_reports import app_version
from sync.store.paths import log_dir

LICENCE_URL = "https://www.gnu.org/licenses/agpl-3.0.html"


@dataclass(frozen=True)
class AboutFacts:
    version: str
    pymupdf: str
    python: str
    system: str
    log_folder: Path


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "–"


def about_facts() -> AboutFacts:
    """Read in the background: package metadata lives on disk."""
    return AboutFacts(
        version=app_version(),
        pymupdf=_package_version("pymupdf"),
        python=platform.python_version(),
        system=platform.platform(),
        log_folder=log_dir(),
    )


class AboutDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Über E-Akte"))
        self.setAccessibleName(self.tr("Über E-Akte"))
        self.values: dict[str, QLineEdit] = {}
        self.labels: dict[str, str] = {}

        heading = QLabel(self.tr("E-Akte für die Kommunen im Werra-Meißner-Kreis"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        licence = QLabel(
            self.tr(
                "Freie Software unter der GNU Affero General Public License, Version 3 oder "
                'später (AGPL-3.0-or-later): <a href="%1">Lizenztext</a>'
            ).replace("%1", LICENCE_URL)
        )
        licence.setWordWrap(True)
        licence.setTextFormat(Qt.TextFormat.RichText)
        licence.setOpenExternalLinks(True)
        licence.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        licence.setAccessibleName(self.tr("Lizenz"))

        self.form = QFormLayout()
        rows = (
            ("version", self.tr("Version:")),
            ("qt", self.tr("Qt / PySide6:")),
            ("pymupdf", self.tr("PyMuPDF:")),
            ("python", self.tr("Python:")),
            ("system", self.tr("Betriebssystem:")),
            ("store", self.tr("Datenbestand:")),
            ("logs", self.tr("Protokolle:")),
        )
        for key, label in rows:
            field = QLineEdit("…")
            field.setReadOnly(True)  # focusable and selectable, for support calls
            field.setAccessibleName(label.rstrip(":"))
            self.values[key] = field
            self.labels[key] = label
            self.form.addRow(label, field)
        self.values["qt"].setText(f"{qVersion()} / {PySide6.__version__}")
        self.values["store"].setText(str(context.store_path))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(
            self.tr("&Kopieren"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setAccessibleName(self.tr("Angaben in die Zwischenablage kopieren"))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(licence)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

        context.loader.submit(lambda _session: about_facts(), if_alive(self, self._show))

    def _show(self, facts: AboutFacts) -> None:
        self.values["version"].setText(facts.version)
        self.values["pymupdf"].setText(facts.pymupdf)
        self.values["python"].setText(facts.python)
        self.values["system"].setText(facts.system)
        self.values["logs"].setText(str(facts.log_folder))
        for field in self.values.values():
            field.setCursorPosition(0)

    def text(self) -> str:
        """The facts as plain text, one per line (what "Kopieren" puts on the clipboard)."""
        lines = [f"E-Akte {self.values['version'].text()}"]
        for key, label in self.labels.items():
            lines.append(f"{label} {self.values[key].text()}")
        return "\n".join(lines)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


__all__ = ["LICENCE_URL", "AboutDialog", "AboutFacts", "about_facts"]
