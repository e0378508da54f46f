"""Progress of a long filing run: modal to the window, while the event loop keeps running.

Not a ``QProgressDialog``: its ``setValue`` spins a nested event loop when the dialog is
modal, and a window that reacts to queued outcomes must not re-enter itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.dropping.filing_job import FilingJob


class FilingProgressDialog(QDialog):
    """Shows ``job``'s progress; "Abbrechen" (or Esc) asks the job to stop. Closes itself
    when the job has finished."""

    def __init__(self, job: FilingJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self.setWindowTitle(self.tr("Dokumente ablegen"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAccessibleName(self.tr("Fortschritt der Ablage"))
        self.setMinimumWidth(460)
        self.label = QLabel(self.tr("Dateien werden gezählt …"))
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("Fortschritt"))
        self.bar.setRange(0, 0)  # busy until the total is known
        self.cancel_button = QPushButton(self.tr("&Abbrechen"))
        self.cancel_button.setAccessibleName(self.tr("Ablage abbrechen"))
        self.cancel_button.setAutoDefault(False)
        buttons = QDialogButtonBox()
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        job.counted.connect(self._counted)
        job.starting.connect(self._starting)
        job.finished.connect(self._finished)
        if job.total:
            self._counted(job.total)

    def _counted(self, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(0)

    def _starting(self, number: int, name: str) -> None:
        if self._job.cancelled:
            return
        self.bar.setValue(number - 1)
        self.label.setText(
            self.tr("Datei {number} von {total}: {name}").format(
                number=number, total=self._job.total, name=name
            )
        )

    def _finished(self) -> None:
        self.bar.setValue(self.bar.maximum())
        self.accept()

    def reject(self) -> None:
        """Cancel, but stay open until the job has stopped: what was already read is still
        being committed, and closing early would suggest it was not."""
        if not self._job.running:
            super().reject()
            return
        self._job.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(
            self.tr("Wird abgebrochen … bereits gelesene Dateien werden noch abgelegt.")
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._job.running:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
