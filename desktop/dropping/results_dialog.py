"""What became of each dropped file: filed, already there, rejected (and why), or left out
because the clerk cancelled. A dialog for long runs, one status-bar line for a few files."""

from __future__ import annotations

import ntpath

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dropping.filing_job import FilingReport

NOT_REACHED = "not_reached"
_ICONS = {
    "filed": QStyle.StandardPixmap.SP_DialogApplyButton,
    "duplicate": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "rejected": QStyle.StandardPixmap.SP_MessageBoxWarning,
    NOT_REACHED: QStyle.StandardPixmap.SP_DialogCancelButton,
}


def status_label(status: str) -> str:
    labels = {
        "filed": QCoreApplication.translate("FilingResults", "Abgelegt"),
        "duplicate": QCoreApplication.translate("FilingResults", "Bereits vorhanden"),
        "rejected": QCoreApplication.translate("FilingResults", "Abgelehnt"),
        NOT_REACHED: QCoreApplication.translate("FilingResults", "Nicht abgelegt (abgebrochen)"),
    }
    return labels[status]


def file_label(shown: str) -> str:
    """The name of a dropped item without its folder (Windows or POSIX separators)."""
    return ntpath.basename(shown.rstrip("\\/")) or shown


def summary(report: FilingReport) -> str:
    """One sentence: how many went where."""
    parts = [
        QCoreApplication.translate("FilingResults", "{count} abgelegt").format(
            count=report.count("filed")
        )
    ]
    if report.count("duplicate"):
        parts.append(
            QCoreApplication.translate("FilingResults", "{count} bereits vorhanden").format(
                count=report.count("duplicate")
            )
        )
    if report.count("rejected"):
        parts.append(
            QCoreApplication.translate("FilingResults", "{count} abgelehnt").format(
                count=report.count("rejected")
            )
        )
    if report.not_reached:
        reason = (
            QCoreApplication.translate("FilingResults", "wegen Abbruch")
            if report.cancelled
            else QCoreApplication.translate("FilingResults", "wegen eines Fehlers")
        )
        parts.append(
            QCoreApplication.translate("FilingResults", "{count} {reason} nicht abgelegt").format(
                count=len(report.not_reached), reason=reason
            )
        )
    text = QCoreApplication.translate("FilingResults", "„{target}“: {parts}.").format(
        target=report.target.label, parts=", ".join(parts)
    )
    if report.error:
        text += " " + report.error
    return text


def status_text(report: FilingReport) -> str:
    """The status-bar line for a few files: the summary and what the clerk must know."""
    notes = [f"{file_label(o.path)}: {o.message}" for o in report.outcomes if o.message]
    return " ".join([summary(report), *notes])


class FilingResultsDialog(QDialog):
    """Per-file result list of one drop."""

    def __init__(self, report: FilingReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("Ergebnis der Ablage"))
        self.setAccessibleName(self.tr("Ergebnis der Ablage"))
        self.resize(760, 420)
        self.summary = QLabel(summary(report))
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QTreeWidget()
        self.list.setAccessibleName(self.tr("Ergebnis je Datei"))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setHeaderLabels([self.tr("Ergebnis"), self.tr("Datei"), self.tr("Hinweis")])
        header = self.list.header()
        header.setStretchLastSection(True)
        self.summary.setBuddy(self.list)
        # Built in one go, icons shared, column widths from the few status labels rather than
        # ResizeToContents: a list of hundreds of files then opens without freezing the window.
        self._icons = {status: QApplication.style().standardIcon(i) for status, i in _ICONS.items()}
        rows: list[tuple[str, str, str]] = [(o.status, o.path, o.message) for o in report.outcomes]
        rows += [(NOT_REACHED, name, "") for name in report.not_reached]
        self.list.addTopLevelItems([self._item(*row) for row in rows])
        widest = max(self.fontMetrics().horizontalAdvance(status_label(s)) for s in _ICONS)
        header.resizeSection(0, widest + self.list.iconSize().width() + 32)
        header.resizeSection(1, 260)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("&Schließen"))
        close.setAccessibleName(self.tr("Ergebnis schließen"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.list.setFocus()

    def _item(self, status: str, shown: str, message: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([status_label(status), file_label(shown), message])
        item.setIcon(0, self._icons[status])
        item.setToolTip(1, shown)
        item.setToolTip(2, message)
        item.setData(0, Qt.ItemDataRole.UserRole, status)
        return item
