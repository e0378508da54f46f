"""The viewer's commands as actions: one place for their German texts, shortcuts and icons.

Shortcuts use Qt's standard key sequences where one exists (zoom, find, copy, back), so they
follow the platform. They are scoped to the viewer and its children: Ctrl+C in the file
plan tree is the tree's, not the viewer's.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

Key = QKeySequence.StandardKey
Theme = QIcon.ThemeIcon
Pixmap = QStyle.StandardPixmap


class ViewerActions(QObject):
    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self.back = self._make(self.tr("&Zurück"), Key.Back, Theme.GoPrevious, Pixmap.SP_ArrowBack)
        self.zoom_in = self._make(self.tr("Ver&größern"), Key.ZoomIn, Theme.ZoomIn)
        self.zoom_out = self._make(self.tr("Ver&kleinern"), Key.ZoomOut, Theme.ZoomOut)
        self.fit_page = self._make(
            self.tr("Ganze &Seite"), "Ctrl+0", Theme.ZoomFitBest, Pixmap.SP_TitleBarMaxButton
        )
        self.actual_size = self._make(self.tr("&Originalgröße (100 %)"), "Ctrl+1")
        self.fit_width = self._make(self.tr("Seiten&breite"), "Ctrl+2")
        self.rotate_right = self._make(
            self.tr("Im &Uhrzeigersinn drehen"), "Ctrl+R", Theme.ObjectRotateRight
        )
        self.rotate_left = self._make(
            self.tr("&Gegen den Uhrzeigersinn drehen"), "Ctrl+Shift+R", Theme.ObjectRotateLeft
        )
        self.thumbnails = self._make(
            self.tr("Seiten&vorschau"), "F4", None, Pixmap.SP_FileDialogContentsView
        )
        self.thumbnails.setCheckable(True)
        self.thumbnails.setChecked(True)
        self.find = self._make(
            self.tr("&Suchen …"), Key.Find, Theme.EditFind, Pixmap.SP_FileDialogContentsView
        )
        self.find_next = self._make(
            self.tr("&Weitersuchen"), Key.FindNext, Theme.GoDown, Pixmap.SP_ArrowDown
        )
        self.find_previous = self._make(
            self.tr("&Rückwärts suchen"), Key.FindPrevious, Theme.GoUp, Pixmap.SP_ArrowUp
        )
        self.copy = self._make(self.tr("&Kopieren"), Key.Copy, Theme.EditCopy)
        self.copy_page = self._make(self.tr("Seitente&xt kopieren"), "Ctrl+Shift+C")
        self.open_externally = self._make(
            self.tr("Mit Standardanwendung ö&ffnen"),
            None,
            Theme.DocumentOpen,
            Pixmap.SP_DialogOpenButton,
        )

    def _make(
        self,
        text: str,
        shortcut: Key | str | None,
        theme: QIcon.ThemeIcon | None = None,
        fallback: QStyle.StandardPixmap | None = None,
    ) -> QAction:
        action = QAction(text, self._owner)
        plain = text.replace("&", "")
        if isinstance(shortcut, Key):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{plain} ({keys})" if keys else plain)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        style = self._owner.style()
        backup = style.standardIcon(fallback) if fallback is not None else QIcon()
        action.setIcon(QIcon.fromTheme(theme, backup) if theme is not None else backup)
        self._owner.addAction(action)
        return action
