"""The status bar: connection (with the progress of a sync run), changes waiting to be
synced, conflicts, problems, last sync.

The figures are read in the background after every announced change, after every sync run and
once a minute. The connection part follows the ``SyncController``; without one (tests of other
parts) it reads "Offline". Conflicts, problems and the connection are buttons: they open the
conflict dialog, the error list, or the login dialog / the reason sync stopped.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton

from desktop.context import AppContext
from desktop.dialogs.fields import if_alive
from desktop.sync_controller import SyncController
from desktop.sync_status import SyncStatus, connection_text, offline_tooltip
from sync.records.status import LocalStatus, local_status

log = logging.getLogger("eakte.desktop.status")

REFRESH_MS = 60_000


def pending_text(status: LocalStatus) -> str:
    if status.pending_changes == 0:
        return (
            QCoreApplication.translate("StatusBar", "Keine Änderungen offen")
            if status.last_sync
            else QCoreApplication.translate("StatusBar", "Noch nichts zu senden")
        )
    if status.pending_changes == 1:
        return QCoreApplication.translate("StatusBar", "1 Änderung wartet auf Synchronisierung")
    return QCoreApplication.translate(
        "StatusBar", "%n Änderungen warten auf Synchronisierung"
    ).replace("%n", QLocale().toString(status.pending_changes))


def last_sync_text(status: LocalStatus, now: datetime | None = None) -> str:
    if status.last_sync is None:
        return QCoreApplication.translate("StatusBar", "Zuletzt synchronisiert: nie")
    now = now or datetime.now(UTC)
    stamp = status.last_sync.astimezone()
    locale = QLocale()
    if stamp.date() == now.astimezone().date():
        when = QCoreApplication.translate("StatusBar", "heute %1").replace(
            "%1", locale.toString(QTime(stamp.hour, stamp.minute), "HH:mm")
        )
    else:
        when = locale.toString(
            QDate(stamp.year, stamp.month, stamp.day), QLocale.FormatType.ShortFormat
        )
    return QCoreApplication.translate("StatusBar", "Zuletzt synchronisiert: %1").replace("%1", when)


def _button(bar: QStatusBar) -> QToolButton:
    button = QToolButton(bar)
    button.setAutoRaise(True)
    return button


class StatusBarController(QObject):
    """Fills permanent widgets of ``bar``; ``refresh()`` reloads the figures.

    Signals: ``connection_clicked()``, ``conflicts_clicked()``, ``problems_clicked()``."""

    connection_clicked = Signal()
    conflicts_clicked = Signal()
    problems_clicked = Signal()

    def __init__(
        self, context: AppContext, bar: QStatusBar, sync: SyncController | None = None
    ) -> None:
        super().__init__(bar)
        self._context = context
        self._sync = sync
        self.connection = _button(bar)
        self.connection.setText(self.tr("Offline"))
        self.connection.setToolTip(offline_tooltip())
        self.pending = QLabel("")
        self.conflicts = _button(bar)
        self.problems = _button(bar)
        self.last_sync = QLabel("")
        for widget, name in (
            (self.connection, self.tr("Verbindung")),
            (self.pending, self.tr("Offene Änderungen")),
            (self.conflicts, self.tr("Konflikte")),
            (self.problems, self.tr("Probleme beim Abgleich")),
            (self.last_sync, self.tr("Letzte Synchronisierung")),
        ):
            widget.setAccessibleName(name)
            bar.addPermanentWidget(widget)
        self.conflicts.setToolTip(self.tr("Konflikte ansehen und klären"))
        self.problems.setToolTip(self.tr("Vom Server abgelehnte Änderungen ansehen"))
        self.conflicts.hide()
        self.problems.hide()
        self.connection.clicked.connect(self.connection_clicked)
        self.conflicts.clicked.connect(self.conflicts_clicked)
        self.problems.clicked.connect(self.problems_clicked)
        self.status: LocalStatus | None = None
        context.events.changed.connect(self.refresh)
        if sync is not None:
            sync.status_changed.connect(self.show_sync)
            sync.run_finished.connect(self.refresh)
            self.show_sync(sync.status)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        # The bar (and this controller with it) may be gone when the figures arrive.
        self._context.loader.submit(
            local_status, if_alive(self, self._show), if_alive(self, self._failed)
        )

    def show_sync(self, status: SyncStatus) -> None:
        text, tooltip = connection_text(status)
        self.connection.setText(text)
        self.connection.setToolTip(tooltip)
        self.connection.setAccessibleDescription(tooltip)
        shape = (
            Qt.CursorShape.PointingHandCursor if status.clickable else Qt.CursorShape.ArrowCursor
        )
        self.connection.setCursor(shape)

    def _show(self, status: LocalStatus) -> None:
        self.status = status
        self.pending.setText(pending_text(status))
        self.last_sync.setText(last_sync_text(status))
        self.conflicts.setVisible(status.conflicts > 0)
        self.conflicts.setText(
            self.tr("%n Konflikt(e) zu klären").replace("%n", str(status.conflicts))
        )
        self.problems.setVisible(status.problems > 0)
        self.problems.setText(
            self.tr("%n Problem(e) beim Abgleich").replace("%n", str(status.problems))
        )

    def _failed(self, exc: Exception) -> None:
        log.warning("status figures could not be read: %s", exc)
        self.pending.setText(self.tr("Stand unbekannt"))
