"""The main window: search and file plan on the left; breadcrumb, document list and viewer in
the middle; metadata (or the selected container's details) on the right.

The window only wires the parts together. Each part reads and writes through the shared
``AppContext`` in the background and announces its writes; the tree and the lists reload what
an announcement names.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.breadcrumb import Breadcrumb
from desktop.checkout import CheckoutController
from desktop.context import AppContext
from desktop.details_panel import DetailsPanel
from desktop.dialogs import (
    AboutDialog,
    NewCaseDialog,
    NewDossierDialog,
    PropertiesDialog,
    SettingsDialog,
    TrashDialog,
    close_record,
    move_to_trash,
    reopen_record,
)
from desktop.documents.list_view import DocumentListView
from desktop.dropping import DropController
from desktop.dropping.views import DropTreeView
from desktop.errors import show_error
from desktop.main_actions import MainActions
from desktop.metadata.panel import MetadataPanel
from desktop.search.search_box import SearchBox
from desktop.status_bar import StatusBarController
from desktop.sync_commands import SyncCommands
from desktop.sync_controller import SyncController
from desktop.tree_model import NODE_ROLE, PlanTreeModel
from desktop.viewer.widget import DocumentViewer
from sync.credentials import CredentialStore
from sync.filing.drop_sources import DroppedPaths
from sync.records.paths import path_of
from sync.records.tree import TreeNode
from sync.store.database import Store
from sync.store.paths import log_dir

log = logging.getLogger("eakte.desktop.window")

STATUS_MS = 10_000


class MainWindow(QMainWindow):
    """``ready`` is emitted once, when the top level of the file plan is on screen."""

    ready = Signal()

    def __init__(
        self,
        store: Store,
        store_path: Path,
        *,
        credentials: CredentialStore | None = None,
        download_all: bool = False,
        cache_limit_bytes: int | None = None,
        start_sync: bool = True,
    ) -> None:
        """``credentials``: where logins are kept (default: the OS keyring);
        ``download_all``: sync every document's bytes (the demo); ``start_sync=False``
        leaves the sync controller idle until ``sync.start()``."""
        super().__init__()
        self.setWindowTitle(self.tr("E-Akte – %1").replace("%1", store_path.name))
        self.resize(1400, 850)
        self.context = AppContext(store, store_path, self)
        self.model = PlanTreeModel(store, self, loader=self.context.loader)
        self.drops = DropController(self.context, self)
        self.checkout = CheckoutController(self.context, self)
        self._build_views()
        self.actions_ = MainActions(self)
        self.toolbar = self.actions_.build_menus(
            undo=self.context.undo.createUndoAction(self, self.tr("&Rückgängig")),
            redo=self.context.undo.createRedoAction(self, self.tr("&Wiederholen")),
            document_actions=self.checkout.actions(),
        )
        self.sync = SyncController(
            self.context,
            credentials=credentials,
            download_all=download_all,
            cache_limit_bytes=cache_limit_bytes,
            window=self,
        )
        self.status = StatusBarController(self.context, self.statusBar(), self.sync)
        self.viewer.fetch = self.sync.fetch
        self.sync_commands = SyncCommands(
            self,
            self.context,
            self.sync,
            self.actions_,
            self.status,
            self.viewer.render_client,
            self._tree_node,
        )
        self._connect()
        self._ready = False
        self._closing = False
        if start_sync:
            self.sync.start()

    # -- layout ------------------------------------------------------------------------------

    def _build_views(self) -> None:
        context = self.context
        self.search = SearchBox(context)
        self.tree = DropTreeView(self.drops)
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName(self.tr("Aktenplan"))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.tree, 1)

        self.breadcrumb = Breadcrumb(context)
        self.documents = DocumentListView(context)
        self.documents.mime_factory = self.drops.mime_for_documents
        self.documents.drop_handler = self.drops.drop
        self.documents.drop_accepts = self.drops.can_drop
        self.viewer = DocumentViewer(context)
        self.middle = QSplitter(Qt.Orientation.Vertical)
        self.middle.addWidget(self.documents)
        self.middle.addWidget(self.viewer)
        self.middle.setStretchFactor(0, 2)
        self.middle.setStretchFactor(1, 3)
        self.middle.setSizes([300, 450])
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.breadcrumb)
        centre_layout.addWidget(self.middle, 1)

        self.details = DetailsPanel()
        self.metadata = MetadataPanel(context)
        self.right = QStackedWidget()
        self.right.setAccessibleName(self.tr("Eigenschaften"))
        self.right.addWidget(self.details)
        self.right.addWidget(self.metadata)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(centre)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([320, 700, 380])
        self.setCentralWidget(splitter)

    def _connect(self) -> None:
        a = self.actions_
        self.model.loaded.connect(self._loaded)
        self.model.revealed.connect(self._revealed)
        self.model.dataChanged.connect(self._tree_rows_changed)
        self.model.load_failed.connect(lambda _i, text: self.statusBar().showMessage(text))
        self.context.events.changed.connect(self.model.refresh)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.tree.customContextMenuRequested.connect(self._tree_context_menu)
        self.documents.current_document_changed.connect(self._document_selected)
        self.documents.document_activated.connect(lambda _id: self.viewer.setFocus())
        self.breadcrumb.navigate_requested.connect(self._navigate)
        self.search.document_activated.connect(self.reveal_record)
        self.viewer.open_externally_requested.connect(self.checkout.open_externally)
        for source in (self.viewer, self.drops, self.checkout):
            source.status_message.connect(self._status)
        self.sync.notice.connect(self._status)
        a.new_dossier.triggered.connect(self._new_dossier)
        a.new_case.triggered.connect(self._new_case)
        a.file_documents.triggered.connect(self._file_documents)
        a.quit.triggered.connect(self.close)
        a.properties.triggered.connect(self._properties)
        a.close_record.triggered.connect(lambda: self._with_node(close_record))
        a.reopen_record.triggered.connect(lambda: self._with_node(reopen_record))
        a.move_to_trash.triggered.connect(self._move_to_trash)
        a.trash.triggered.connect(lambda: self._open_dialog(TrashDialog(self.context, self)))
        a.search.triggered.connect(self.search.focus_search)
        a.settings.triggered.connect(lambda: self._open_dialog(SettingsDialog(self.context, self)))
        a.about.triggered.connect(lambda: self._open_dialog(AboutDialog(self.context, self)))
        a.open_logs.triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))
        )

    # -- selection -------------------------------------------------------------------------

    def current_node(self) -> TreeNode | None:
        """The record the commands act on: the selected document, else the tree's row."""
        document = self.documents.current_document_id()
        tree_node = self._tree_node()
        if document is not None and self.right.currentWidget() is self.metadata:
            details = self.metadata.details()
            if details is not None and details.id == document:
                return TreeNode(
                    "document",
                    document,
                    details.title,
                    closed=False,
                    deleted=False,
                    has_children=False,
                    reference=details.reference,
                    doc_type=details.doc_type,
                )
        return tree_node

    def _tree_node(self) -> TreeNode | None:
        node = self.tree.currentIndex().data(NODE_ROLE)
        return node if isinstance(node, TreeNode) else None

    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = current.data(NODE_ROLE) if current.isValid() else None
        node = node if isinstance(node, TreeNode) else None
        if node is not None and node.kind == "document":
            container = current.parent().data(NODE_ROLE)
            self.documents.show_container(container if isinstance(container, TreeNode) else None)
            self.documents.select_document(node.id)
            self._document_selected(node.id)
        else:
            self.documents.show_container(node)
            self.breadcrumb.show_record(node.id if node else None)
            self.details.show_node(node)
            self.right.setCurrentWidget(self.details)
            self.viewer.clear()
            self.checkout.set_current_document(None)
        self.actions_.update_for(node)
        self.sync_commands.update_offline_toggle()

    def _tree_rows_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        """A reload (after a sync, say) changed rows: the details follow the current one."""
        current = self.tree.currentIndex()
        if (
            current.isValid()
            and current.parent() == top_left.parent()
            and top_left.row() <= current.row() <= bottom_right.row()
            and self.right.currentWidget() is self.details
        ):
            node = current.data(NODE_ROLE)
            self.details.show_node(node if isinstance(node, TreeNode) else None)
            self.actions_.update_for(node if isinstance(node, TreeNode) else None)

    def _document_selected(self, document_id: str | None) -> None:
        if document_id is None:
            return
        self.metadata.show_document(document_id)
        self.right.setCurrentWidget(self.metadata)
        self.breadcrumb.show_record(document_id)
        self.viewer.show_document(document_id)
        self.checkout.set_current_document(document_id)
        self.actions_.update_for(TreeNode("document", document_id, "", False, False, False))

    # -- navigation ------------------------------------------------------------------------

    def reveal_record(self, record_id: str) -> None:
        """Open the tree down to ``record_id`` and select it (search hits, new records)."""

        def path(session: Session) -> list[str]:
            return [node.id for node in path_of(session, record_id)]

        self.context.loader.submit(path, self._navigate, self._show_error)

    def _navigate(self, path: list[str]) -> None:
        if not path:
            self.tree.setCurrentIndex(QModelIndex())
            return
        self.model.reveal(path)

    def _revealed(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.tree.scrollTo(index)
        self.tree.setCurrentIndex(index)

    def _loaded(self, parent: QModelIndex) -> None:
        if not parent.isValid() and not self._ready:
            self._ready = True
            self.ready.emit()

    # -- commands --------------------------------------------------------------------------

    def _show_error(self, exc: Exception) -> None:
        show_error(self, exc)

    def _status(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, STATUS_MS)
        else:
            self.statusBar().clearMessage()

    def _open_dialog(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # non-modal loop: the window keeps painting while it is open

    def _with_node(self, command: object) -> None:
        node = self.current_node()
        if node is not None:
            command(self, self.context, node)  # type: ignore[operator]

    def _new_dossier(self) -> None:
        node = self._tree_node()
        if node is None or node.kind != "unit":
            return
        dialog = NewDossierDialog(self.context, node, self)
        dialog.created.connect(lambda dossier_id, _reference: self.reveal_record(dossier_id))
        self._open_dialog(dialog)

    def _new_case(self) -> None:
        node = self._tree_node()
        if node is None or node.kind != "dossier":
            return
        dialog = NewCaseDialog(self.context, node, self)
        dialog.created.connect(self.reveal_record)
        self._open_dialog(dialog)

    def _properties(self) -> None:
        node = self.current_node()
        if node is not None:
            self._open_dialog(PropertiesDialog(self.context, node, self))

    def _move_to_trash(self) -> None:
        if self.search.line_edit.hasFocus():
            return  # Delete in the search box edits the text
        self._with_node(move_to_trash)

    def _file_documents(self) -> None:
        node = self._tree_node()
        if node is None or node.kind not in ("dossier", "case"):
            return
        names, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Dateien ablegen in „%1“").replace("%1", node.label)
        )
        if names:
            self.drops.file_sources([DroppedPaths(tuple(Path(n) for n in names))], node)

    def _tree_context_menu(self, pos: QPoint) -> None:
        node = self._tree_node()
        menu = self.actions_.context_menu(node, self.checkout.actions())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    # -- shutdown --------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop background work before the store closes (called once, by close)."""
        if self._closing:
            return
        self._closing = True
        self.sync.shutdown()  # cancels a run; waits (bounded) for it to reach a safe point
        self.viewer.shutdown()
        self.drops.shutdown(30_000)
        self.checkout.wait(5_000)
        self.context.loader.wait(5_000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)
