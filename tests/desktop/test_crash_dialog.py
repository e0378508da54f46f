"""An exception in a Qt slot leaves a crash report, and the next start offers it once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import desktop.crash_dialog as crash_dialog
from desktop.crash_dialog import CrashReportBox, offer_crash_report
from sync import crash_reports

ROOT = Path(__file__).resolve().parents[2]

# A real run of the application's start-up parts: handlers installed, then a slot raises
# inside the Qt event loop (PySide hands that exception to sys.excepthook).
SLOT_RAISES = """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication
    from sync.crash_reports import install_crash_handlers
    from sync.logging_setup import setup_logging

    folder = Path(sys.argv[1])
    setup_logging(folder, console=False)
    install_crash_handlers(folder)
    app = QApplication([])

    class Viewer(QObject):
        page_wanted = Signal(int)

        def render(self, page: int) -> None:
            raise IndexError(f"page {page} out of range")

    viewer = Viewer()
    viewer.page_wanted.connect(viewer.render)
    QTimer.singleShot(0, lambda: viewer.page_wanted.emit(7))
    QTimer.singleShot(100, app.quit)
    sys.exit(app.exec())
"""


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_exception_in_a_slot_is_reported_and_offered_once(
    qtbot: QtBot, parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SLOT_RAISES), str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert run.returncode == 0, run.stderr  # the application kept running
    assert "IndexError: page 7 out of range" in run.stderr
    (report,) = crash_reports.reports(tmp_path)
    text = report.read_text(encoding="utf-8")
    assert "IndexError: page 7 out of range" in text and "in render" in text

    # The next start: the report is taken (and marked as offered) before the window exists.
    pending = crash_reports.take_unseen(tmp_path)
    assert pending == report
    box = offer_crash_report(parent, pending)
    assert isinstance(box, CrashReportBox) and box.isVisible()
    assert box.text() == "E-Akte wurde beim letzten Mal unerwartet beendet."
    assert str(report) in box.informativeText()

    opened: list[QUrl] = []
    monkeypatch.setattr(crash_dialog.QDesktopServices, "openUrl", opened.append)
    qtbot.mouseClick(box.open_report, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(report))]

    # ... and only once.
    assert crash_reports.take_unseen(tmp_path) is None
    assert offer_crash_report(parent, crash_reports.take_unseen(tmp_path)) is None


def test_folder_button_opens_the_log_folder(
    qtbot: QtBot, parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = crash_reports.write_report("Test", "details", folder=tmp_path)
    box = offer_crash_report(parent, report)
    assert box is not None
    opened: list[QUrl] = []
    monkeypatch.setattr(crash_dialog.QDesktopServices, "openUrl", opened.append)
    qtbot.mouseClick(box.open_folder, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(tmp_path))]


def test_escape_dismisses(qtbot: QtBot, parent: QWidget, tmp_path: Path) -> None:
    report = crash_reports.write_report("Test", "details", folder=tmp_path)
    box = offer_crash_report(parent, report)
    assert box is not None
    with qtbot.waitSignal(box.finished, timeout=5_000):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
