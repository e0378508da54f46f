"""What a drop brought in, as plain values, and filing it in order with one ``Filer``.

The desktop turns the drag data of Explorer, Thunderbird or Outlook into a list of sources
while the drop event lasts (the data is gone afterwards); filing them runs later in a worker
thread through ``file_drop``. Files on disk go through ``Filer.file_paths`` together, so a
stack of scans is committed in batches; bytes (an attachment or mail handed over in memory)
go through ``Filer.file_bytes``. Every source yields exactly one outcome per item, in order,
so "what was not reached" after a cancel is simply the rest of ``item_names``.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sync.errors import EAkteError
from sync.filing.pipeline import Filer, FilingOutcome, expand_paths

log = logging.getLogger("eakte.filing")


@dataclass(frozen=True)
class DroppedPaths:
    """Files and folders on this computer (folders are filed recursively)."""

    paths: tuple[Path, ...]


@dataclass(frozen=True)
class DroppedBytes:
    """One file handed over in memory; ``name`` as the sender gave it."""

    name: str
    data: bytes


@dataclass(frozen=True)
class OutlookSelection:
    """Mails that Outlook announced without contents: saved from its selection over COM."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Unreadable:
    """Something dragged in that cannot be filed; ``message`` says what to do instead."""

    shown: str
    message: str
    reason: str


class SelectionChangedError(EAkteError):
    """Outlook's selection no longer matches what was dragged."""

    code = "drop_selection_changed"
    title = "Ziehen und Ablegen"

    def __init__(self, dragged: int, selected: int) -> None:
        super().__init__(
            f"In Outlook sind jetzt {selected} statt der {dragged} gezogenen Elemente "
            "ausgewählt. Bitte die E-Mails erneut auswählen und hineinziehen."
        )


DropSource = DroppedPaths | DroppedBytes | OutlookSelection | Unreadable

#: Saves the selected Outlook mails as .msg files into a folder; returns their paths.
SaveOutlook = Callable[[Sequence[str], Path], list[Path]]


def expand_sources(sources: Iterable[DropSource]) -> list[DropSource]:
    """The sources with every folder replaced by its files (reads the disk: call it in the
    worker, not while handling the drop)."""
    expanded: list[DropSource] = []
    for source in sources:
        if isinstance(source, DroppedPaths):
            expanded.append(DroppedPaths(tuple(expand_paths(source.paths))))
        else:
            expanded.append(source)
    return expanded


def item_names(sources: Iterable[DropSource]) -> list[str]:
    """One name per outcome that ``file_drop`` will yield for expanded ``sources``."""
    names: list[str] = []
    for source in sources:
        if isinstance(source, DroppedPaths):
            names.extend(str(path) for path in source.paths)
        elif isinstance(source, DroppedBytes):
            names.append(source.name)
        elif isinstance(source, OutlookSelection):
            names.extend(source.names)
        else:
            names.append(source.shown)
    return names


def file_drop(
    filer: Filer,
    sources: Sequence[DropSource],
    target_id: str,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    starting: Callable[[int, str], None] = lambda _number, _name: None,
    save_outlook: SaveOutlook | None = None,
) -> Iterator[FilingOutcome]:
    """File expanded ``sources`` into case or dossier ``target_id``, one outcome per item.

    ``starting(number, name)`` is called (1-based) just before an item is read. Cancelling
    stops before the next item; what was already read is still filed.
    """
    counter = [0]

    def announce(name: str) -> None:
        counter[0] += 1
        starting(counter[0], name)

    for source in sources:
        if cancelled():
            return
        if isinstance(source, DroppedPaths):
            paths = _announced(source.paths, announce)
            yield from filer.file_paths(paths, target_id, cancelled=cancelled)
        elif isinstance(source, DroppedBytes):
            announce(source.name)
            yield filer.file_bytes(source.data, source.name, target_id)
        elif isinstance(source, Unreadable):
            announce(source.shown)
            yield FilingOutcome(source.shown, "rejected", None, source.message, source.reason)
        else:
            yield from _file_outlook(filer, source, target_id, cancelled, announce, save_outlook)


def _announced(
    paths: Iterable[Path], announce: Callable[[str], None], *, by_name: bool = False
) -> Iterator[Path]:
    # ``file_paths`` pulls the next path just before it reads it, so this is the moment.
    for path in paths:
        announce(path.name if by_name else str(path))
        yield path


def _file_outlook(
    filer: Filer,
    selection: OutlookSelection,
    target_id: str,
    cancelled: Callable[[], bool],
    announce: Callable[[str], None],
    save_outlook: SaveOutlook | None,
) -> Iterator[FilingOutcome]:
    if save_outlook is None:
        for name in selection.names:
            announce(name)
            yield FilingOutcome(
                name,
                "rejected",
                None,
                f"Outlook hat den Inhalt von „{name}“ nicht übergeben. Bitte die E-Mail in "
                "Outlook als Datei speichern (Datei → Speichern unter) und die Datei ablegen.",
                "drop_unreadable",
            )
        return
    with tempfile.TemporaryDirectory(prefix="eakte-outlook-") as folder:
        try:
            saved = save_outlook(selection.names, Path(folder))
            if len(saved) != len(selection.names):
                raise SelectionChangedError(len(selection.names), len(saved))
        except EAkteError as exc:
            log.warning("saving the Outlook selection failed: %s", exc.code)
            for name in selection.names:
                announce(name)
                yield FilingOutcome(name, "rejected", None, exc.message, exc.code)
            return
        paths = _announced(saved, announce, by_name=True)
        outcomes = filer.file_paths(paths, target_id, cancelled=cancelled)
        for outcome in outcomes:
            # The temp folder is gone afterwards; the clerk knows the mail by its name.
            yield replace(outcome, path=Path(outcome.path).name)
