"""What every part of the window shares: the store, the background loader, change
notifications and the undo stack.

Widgets never read or write the store on the GUI thread; they go through ``loader``. After a
write they announce what changed on ``events``, and every view that shows one of those records
reloads it in the background. That keeps views independent: the metadata panel need not know
that the tree and the document list show the same title.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from desktop.loader import Loader
from sync.store.database import Store


@dataclass(frozen=True)
class Change:
    """What a write touched. ``containers``: ids of units, dossiers, cases (or mail documents)
    whose list of children changed; ``records``: ids of records whose own fields changed.
    ``everything``: anything may have changed (a sync run applied the server's changes, and
    the engine does not say which records); every view reloads what it shows. An empty
    change says that only figures changed (the status bar's counts)."""

    containers: frozenset[str] = field(default_factory=frozenset)
    records: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False

    @classmethod
    def of(
        cls, *, containers: tuple[str | None, ...] = (), records: tuple[str | None, ...] = ()
    ) -> Change:
        return cls(frozenset(c for c in containers if c), frozenset(r for r in records if r))

    @classmethod
    def all(cls) -> Change:
        return cls(everything=True)

    def touches(self, ids: AbstractSet[str | None]) -> bool:
        """Whether a view showing the records ``ids`` must reload."""
        return self.everything or bool(self.containers & ids or self.records & ids)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.containers or self.records)


class StoreEvents(QObject):
    """``changed(Change)`` after a write committed; emitted on the GUI thread."""

    changed = Signal(object)

    def announce(self, change: Change) -> None:
        self.changed.emit(change)


class AppContext(QObject):
    """Owned by the main window; passed to every widget that reads or writes records."""

    def __init__(self, store: Store, store_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.store_path = store_path
        self.loader = Loader(store, self)
        self.events = StoreEvents(self)
        self.undo = QUndoStack(self)
