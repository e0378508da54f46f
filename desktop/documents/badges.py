"""Document type icons and state badges of the document list.

Type icons are the drawn ones of ``desktop.icons`` (as in the tree); badges come from the
style, so they follow the platform and the palette. Every badge also has a German text
(tooltip, accessible text): an icon is never the only signal.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
)
from PySide6.QtGui import QIcon, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.icons import Badges, icon_for
from sync.filing.extracted import problem_label
from sync.records.listing import DocumentRow

BADGE_SIZE = 16
_GAP = 3


def type_label(doc_type: str) -> str:
    labels = {
        "pdf": QCoreApplication.translate("DocumentBadges", "PDF"),
        "image": QCoreApplication.translate("DocumentBadges", "Bild"),
        "email": QCoreApplication.translate("DocumentBadges", "E-Mail"),
        "office": QCoreApplication.translate("DocumentBadges", "Office-Dokument"),
        "text": QCoreApplication.translate("DocumentBadges", "Text"),
    }
    return labels.get(doc_type, QCoreApplication.translate("DocumentBadges", "Sonstiges"))


def type_icon(doc_type: str) -> QIcon:
    """The same drawn type icon as the tree's (Windows has no icon theme to ask)."""
    return icon_for("document", doc_type, Badges())


class Badge(Enum):
    CONFLICT = "conflict"
    UNSYNCED = "unsynced"
    OFFLINE = "offline"
    PROBLEM = "problem"


_BADGE_PIXMAPS = {
    Badge.CONFLICT: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Badge.UNSYNCED: QStyle.StandardPixmap.SP_ArrowUp,
    Badge.OFFLINE: QStyle.StandardPixmap.SP_DriveHDIcon,
    Badge.PROBLEM: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


def badges_of(row: DocumentRow) -> tuple[Badge, ...]:
    flags = (
        (Badge.CONFLICT, row.conflict),
        (Badge.UNSYNCED, row.unsynced),
        (Badge.OFFLINE, row.offline),
        (Badge.PROBLEM, bool(row.problems)),
    )
    return tuple(badge for badge, on in flags if on)


def badge_texts(row: DocumentRow) -> list[str]:
    """German text of each badge of ``row``, in the order they are drawn."""
    texts = {
        Badge.CONFLICT: QCoreApplication.translate(
            "DocumentBadges", "Konflikt: eine parallele Änderung wartet auf Klärung"
        ),
        Badge.UNSYNCED: QCoreApplication.translate(
            "DocumentBadges", "Noch nicht mit dem Server abgeglichen"
        ),
        Badge.OFFLINE: QCoreApplication.translate("DocumentBadges", "Offline verfügbar"),
        Badge.PROBLEM: ", ".join(problem_label(code) for code in row.problems),
    }
    return [texts[badge] for badge in badges_of(row)]


def badge_icon(badge: Badge) -> QIcon:
    return QApplication.style().standardIcon(_BADGE_PIXMAPS[badge])


class BadgeDelegate(QStyledItemDelegate):
    """Paints the badges of a row (given by ``BadgesRole``) side by side."""

    def __init__(self, role: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._role = role

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # The item's background (selection, alternating rows) as the style draws it.
        super().paint(painter, option, index)
        badges = index.data(self._role) or ()
        rect: QRect = option.rect
        x = rect.left() + _GAP
        y = rect.top() + (rect.height() - BADGE_SIZE) // 2
        for badge in badges:
            badge_icon(badge).paint(painter, QRect(x, y, BADGE_SIZE, BADGE_SIZE))
            x += BADGE_SIZE + _GAP

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        count = len(index.data(self._role) or ())
        return QSize(max(size.width(), _GAP + count * (BADGE_SIZE + _GAP)), size.height())
