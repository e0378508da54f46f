"""The main window: the file plan tree on the left, what is selected on the right.

This is the first slice of the desktop (issue 4): tree, details and status bar. The document
list, viewer and drag and drop follow.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QTreeView,
    QWidget,
)

from desktop.tree_model import NODE_ROLE, PlanTreeModel
from sync.records.tree import TreeNode
from sync.store.database import Store

KIND_LABELS = {
    "plan": "Aktenplan",
    "unit": "Aktenplaneinheit",
    "dossier": "Akte",
    "case": "Vorgang",
    "document": "Dokument",
}


class DetailsPanel(QWidget):
    """What is known of the selected node without another trip to the disk."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Eigenschaften")
        layout = QFormLayout(self)
        self.kind = QLabel("–")
        self.title = QLabel("–")
        self.title.setWordWrap(True)
        self.reference = QLabel("–")
        self.state = QLabel("–")
        for label, widget in (
            ("Art:", self.kind),
            ("Bezeichnung:", self.title),
            ("Aktenzeichen:", self.reference),
            ("Status:", self.state),
        ):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addRow(label, widget)

    def show_node(self, node: TreeNode | None) -> None:
        if node is None:
            for widget in (self.kind, self.title, self.reference, self.state):
                widget.setText("–")
            return
        self.kind.setText(KIND_LABELS.get(node.kind, node.kind))
        self.title.setText(node.label)
        # A plan unit's "reference" is its code, which its label already starts with.
        self.reference.setText(node.reference if node.kind != "unit" and node.reference else "–")
        self.state.setText("abgeschlossen (zdA)" if node.closed else "offen")


class MainWindow(QMainWindow):
    """``ready`` is emitted once, when the top level of the file plan is on screen."""

    ready = Signal()

    def __init__(self, store: Store, store_path: Path) -> None:
        super().__init__()
        self.setWindowTitle(f"E-Akte – {store_path.name}")
        self.resize(1100, 700)
        self.model = PlanTreeModel(store, self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName("Aktenplan")
        self.details = DetailsPanel()
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self._ready = False
        self.model.loaded.connect(self._loaded)
        # Sync arrives with issue 5; until then the window says plainly that it works offline.
        self.statusBar().showMessage(f"Offline · Datenbestand: {store_path}")

    def _loaded(self, parent: QModelIndex) -> None:
        if not parent.isValid() and not self._ready:
            self._ready = True
            self.ready.emit()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = current.data(NODE_ROLE) if current.isValid() else None
        self.details.show_node(node if isinstance(node, TreeNode) else None)
