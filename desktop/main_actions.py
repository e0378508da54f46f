"""The main window's commands: one QAction each, with German text, shortcut and icon, put into
the menu bar and the toolbar, and enabled for what is selected.

Drag and drop has a keyboard route here too ("Dateien ablegen …"), so that every command can
be reached without a mouse. The menu "Synchronisierung" holds the sync commands.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QStyle, QToolBar

from sync.records.tree import TreeNode

Key = QKeySequence.StandardKey
Pixmap = QStyle.StandardPixmap


class MainActions(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        make = self._make
        self.new_dossier = make(
            self.tr("Neue &Akte …"), "Ctrl+Shift+A", Pixmap.SP_FileDialogNewFolder
        )
        self.new_case = make(
            self.tr("Neuer &Vorgang …"), "Ctrl+Shift+V", Pixmap.SP_FileDialogNewFolder
        )
        self.file_documents = make(
            self.tr("Dateien a&blegen …"), "Ctrl+Shift+O", Pixmap.SP_DialogOpenButton
        )
        self.quit = make(self.tr("&Beenden"), Key.Quit, None)
        self.properties = make(
            self.tr("&Eigenschaften …"), "Alt+Return", Pixmap.SP_FileDialogInfoView
        )
        self.close_record = make(self.tr("&Abschließen (zdA) …"), None, Pixmap.SP_DialogApplyButton)
        self.reopen_record = make(self.tr("&Wieder öffnen …"), None, None)
        self.move_to_trash = make(self.tr("In den &Papierkorb …"), Key.Delete, Pixmap.SP_TrashIcon)
        self.trash = make(self.tr("Papier&korb …"), None, Pixmap.SP_TrashIcon)
        # Ctrl+K belongs to the search box itself (one owner per shortcut).
        self.search = make(self.tr("&Suchen"), None, None)
        self.settings = make(self.tr("&Einstellungen …"), Key.Preferences, None)
        self.about = make(self.tr("Ü&ber E-Akte"), None, Pixmap.SP_MessageBoxInformation)
        self.open_logs = make(self.tr("&Protokollordner öffnen"), None, None)
        # Synchronisierung. F5 only: Ctrl+R rotates the page in the viewer.
        self.sync_now = make(self.tr("&Jetzt synchronisieren"), "F5", Pixmap.SP_BrowserReload)
        self.login = make(self.tr("&Anmelden …"), None, None)
        self.logout = make(self.tr("A&bmelden"), None, None)
        self.conflicts = make(self.tr("&Konflikte …"), None, Pixmap.SP_MessageBoxWarning)
        self.problems = make(self.tr("&Fehlerliste …"), None, None)
        self.offline = make(self.tr("&Offline verfügbar"), None, Pixmap.SP_DriveHDIcon)
        self.offline.setCheckable(True)
        self.offline.setToolTip(
            self.tr("Die Akte vollständig auf diesem PC halten, um sie ohne Server zu lesen")
        )
        self.update_for(None)
        self.update_offline(None, offline=False)

    def _make(self, text: str, shortcut: Key | str | None, icon: Pixmap | None) -> QAction:
        action = QAction(text, self._window)
        if icon is not None:
            action.setIcon(QApplication.style().standardIcon(icon))
        if isinstance(shortcut, Key):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        self._window.addAction(action)  # shortcuts work wherever the focus is in the window
        return action

    def build_menus(
        self, *, undo: QAction, redo: QAction, document_actions: list[QAction]
    ) -> QToolBar:
        bar = self._window.menuBar()
        file_menu = bar.addMenu(self.tr("&Datei"))
        file_menu.addActions([self.new_dossier, self.new_case, self.file_documents])
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit = bar.addMenu(self.tr("&Bearbeiten"))
        edit.addActions([undo, redo])
        edit.addSeparator()
        edit.addActions([self.properties, self.close_record, self.reopen_record])
        edit.addSeparator()
        edit.addActions([self.move_to_trash, self.trash])
        edit.addSeparator()
        edit.addAction(self.search)
        document = bar.addMenu(self.tr("D&okument"))
        document.addActions(document_actions)
        sync = bar.addMenu(self.tr("&Synchronisierung"))
        sync.addAction(self.sync_now)
        sync.addSeparator()
        sync.addActions([self.login, self.logout])
        sync.addSeparator()
        sync.addActions([self.conflicts, self.problems])
        sync.addSeparator()
        sync.addAction(self.offline)
        extras = bar.addMenu(self.tr("E&xtras"))
        extras.addAction(self.settings)
        help_menu = bar.addMenu(self.tr("&Hilfe"))
        help_menu.addActions([self.open_logs, self.about])

        toolbar = QToolBar(self.tr("Werkzeugleiste"), self._window)
        toolbar.setObjectName("main-toolbar")
        toolbar.setAccessibleName(self.tr("Werkzeugleiste"))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.new_dossier, self.new_case, self.file_documents])
        toolbar.addSeparator()
        toolbar.addActions([undo, redo])
        toolbar.addSeparator()
        toolbar.addActions([self.properties, self.close_record, self.move_to_trash, self.trash])
        toolbar.addSeparator()
        toolbar.addActions([self.sync_now, self.offline])
        self._window.addToolBar(toolbar)
        return toolbar

    def context_menu(self, node: TreeNode | None, document_actions: list[QAction]) -> QMenu:
        menu = QMenu(self._window)
        if node is not None and node.kind == "document":
            menu.addActions(document_actions)
            menu.addSeparator()
        menu.addActions([self.new_dossier, self.new_case, self.file_documents])
        menu.addSeparator()
        menu.addActions(
            [self.properties, self.close_record, self.reopen_record, self.move_to_trash]
        )
        if node is not None and node.kind == "dossier":
            menu.addSeparator()
            menu.addAction(self.offline)
        return menu

    def update_for(self, node: TreeNode | None) -> None:
        """Enable what makes sense for ``node``; the dialogs check again when they run."""
        kind = node.kind if node is not None else None
        container = kind in ("dossier", "case")
        self.new_dossier.setEnabled(kind == "unit")
        self.new_case.setEnabled(kind == "dossier" and node is not None and not node.closed)
        self.file_documents.setEnabled(container and node is not None and not node.closed)
        self.properties.setEnabled(kind in ("unit", "dossier", "case", "document"))
        self.close_record.setEnabled(container and node is not None and not node.closed)
        self.reopen_record.setEnabled(container and node is not None and node.closed)
        self.move_to_trash.setEnabled(kind in ("dossier", "case", "document"))

    def update_offline(self, node: TreeNode | None, *, offline: bool) -> None:
        """The toggle "Offline verfügbar" for the tree's row ``node`` (dossiers only)."""
        dossier = node is not None and node.kind == "dossier"
        self.offline.setEnabled(dossier)
        self.offline.blockSignals(True)  # showing the state is no toggle by the clerk
        self.offline.setChecked(dossier and offline)
        self.offline.blockSignals(False)
