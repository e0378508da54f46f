"""At start, offer the crash report the last run left behind (``sync.crash_reports``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


class CrashReportBox(QMessageBox):
    """ "E-Akte wurde beim letzten Mal unerwartet beendet": open the report, open its folder,
    or close. Deletes itself when closed."""

    def __init__(self, report: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Unerwartet beendet"))
        self.setText(self.tr("E-Akte wurde beim letzten Mal unerwartet beendet."))
        self.setInformativeText(
            self.tr(
                "Ein Bericht darüber liegt in %1. Wenn Sie ihn der IT schicken, hilft das, "
                "den Fehler zu finden. Er enthält keine Dokumentinhalte."
            ).replace("%1", str(report))
        )
        self.setAccessibleName(self.windowTitle())
        self.setAccessibleDescription(self.text())
        self.open_report = self.addButton(
            self.tr("Bericht &öffnen"), QMessageBox.ButtonRole.ActionRole
        )
        self.open_folder = self.addButton(
            self.tr("&Ordner öffnen"), QMessageBox.ButtonRole.ActionRole
        )
        self.dismiss = self.addButton(self.tr("&Schließen"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.dismiss)
        self.setEscapeButton(self.dismiss)
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: object) -> None:
        if button == self.open_report:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report)))
        elif button == self.open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.parent)))


def offer_crash_report(parent: QWidget | None, report: Path | None) -> CrashReportBox | None:
    """Show ``report`` (from ``sync.crash_reports.take_unseen()``, which also marks it as
    offered) without blocking; None if there is nothing to offer."""
    if report is None:
        return None
    box = CrashReportBox(report, parent)
    box.open()
    return box
