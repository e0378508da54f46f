"""What is known of a selected plan unit, dossier or case without another trip to the disk
(documents get the metadata panel instead)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from sync.records.tree import TreeNode


def kind_labels() -> dict[str, str]:
    return {
        "plan": QCoreApplication.translate("DetailsPanel", "Aktenplan"),
        "unit": QCoreApplication.translate("DetailsPanel", "Aktenplaneinheit"),
        "dossier": QCoreApplication.translate("DetailsPanel", "Akte"),
        "case": QCoreApplication.translate("DetailsPanel", "Vorgang"),
        "document": QCoreApplication.translate("DetailsPanel", "Dokument"),
    }


class DetailsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Eigenschaften"))
        layout = QFormLayout(self)
        self.kind = QLabel("–")
        self.title = QLabel("–")
        self.title.setWordWrap(True)
        self.reference = QLabel("–")
        self.state = QLabel("–")
        self.sync_state = QLabel("–")
        for label, widget in (
            (self.tr("Art:"), self.kind),
            (self.tr("Bezeichnung:"), self.title),
            (self.tr("Aktenzeichen:"), self.reference),
            (self.tr("Status:"), self.state),
            (self.tr("Synchronisierung:"), self.sync_state),
        ):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            widget.setAccessibleName(label.rstrip(":"))
            layout.addRow(label, widget)

    def show_node(self, node: TreeNode | None) -> None:
        if node is None:
            for widget in (self.kind, self.title, self.reference, self.state, self.sync_state):
                widget.setText("–")
            return
        self.kind.setText(kind_labels().get(node.kind, node.kind))
        self.title.setText(node.label)
        # A plan unit's "reference" is its code, which its label already starts with.
        self.reference.setText(node.reference if node.kind != "unit" and node.reference else "–")
        self.state.setText(self.tr("abgeschlossen (zdA)") if node.closed else self.tr("offen"))
        self.sync_state.setText(
            self.tr("Änderung wartet auf Übertragung")
            if node.unsynced
            else self.tr("keine lokalen Änderungen offen")
        )
