"""The status bar: connection, changes waiting to be synced, conflicts, last sync.

The figures are read in the background after every announced change and once a minute (the
sync engine of a later issue writes the last-sync stamp from another thread or process).
Until that engine exists the connection reads "Offline": every change is kept locally.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QObject, QTime, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from desktop.context import AppContext
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


class StatusBarController(QObject):
    """Fills permanent labels of ``bar``; ``refresh()`` reloads the figures."""

    def __init__(self, context: AppContext, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._context = context
        self.connection = QLabel(self.tr("Offline"))
        self.connection.setToolTip(
            self.tr(
                "Nicht mit dem Server verbunden. Alle Änderungen werden lokal gespeichert "
                "und später übertragen."
            )
        )
        self.pending = QLabel("")
        self.conflicts = QLabel("")
        self.last_sync = QLabel("")
        for label, name in (
            (self.connection, self.tr("Verbindung")),
            (self.pending, self.tr("Offene Änderungen")),
            (self.conflicts, self.tr("Konflikte")),
            (self.last_sync, self.tr("Letzte Synchronisierung")),
        ):
            label.setAccessibleName(name)
            bar.addPermanentWidget(label)
        self.conflicts.hide()
        self.status: LocalStatus | None = None
        context.events.changed.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        self._context.loader.submit(local_status, self._show, self._failed)

    def _show(self, status: LocalStatus) -> None:
        self.status = status
        self.pending.setText(pending_text(status))
        self.last_sync.setText(last_sync_text(status))
        self.conflicts.setVisible(status.conflicts > 0)
        self.conflicts.setText(
            self.tr("%n Konflikt(e) zu klären").replace("%n", str(status.conflicts))
        )

    def _failed(self, exc: Exception) -> None:
        log.warning("status figures could not be read: %s", exc)
        self.pending.setText(self.tr("Stand unbekannt"))
