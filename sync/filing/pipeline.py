"""The one entry point for filing: paths or bytes in, documents in a case or dossier out.

Order of work, chosen so that nothing is ever half stored:

1. copy each file into the blob store's temp area while hashing it (bounded memory);
2. detect its type by content and extract text and metadata (``filing.preparation``;
   thumbnails come later, see ``filing.thumbnails``);
3. for a batch of prepared files, in ONE write transaction: skip duplicates, insert each
   document (with its mail attachments), move the blobs into place (atomic rename,
   directories fsynced), then commit.

Files that cannot be filed were rejected before the transaction, so the batch holds only
documents that go in; the transaction makes them durable together, with one commit and one
fsync per directory: that is what makes filing a stack of scans fast (DESIGN rule 12). Any
failure inside it rolls back the whole batch and reports it. A blob that is in
place when the transaction fails is merely unreferenced (garbage collection removes it); a
record without its blob cannot happen. Outcomes are reported once their batch is committed.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sync.blobs.store import StagedBlob
from sync.errors import EAkteError, FilingRejectedError
from sync.filing.preparation import (
    Extractor,
    Prepared,
    extract_here,
    prepare,
    stage_path,
    too_large,
)
from sync.filing.recording import find_duplicates, insert_documents, resolve_target
from sync.records.guards import ensure_open_container
from sync.store.database import Store

log = logging.getLogger("eakte.filing")

Status = Literal["filed", "duplicate", "rejected"]

DEFAULT_MAX_SIZE = 2 * 1024**3  # 2 GiB: larger than any scan or mail, smaller than a disk image
BATCH_FILES = 32
BATCH_SECONDS = 1.0  # a clerk watching progress sees results at least this often
# Files that operating systems and office programs leave in folders; they are not records.
JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass(frozen=True)
class FilingOutcome:
    """What became of one file. ``message`` says why it was rejected, or what a filed
    document lacks (no full text, encrypted, no preview, name adjusted)."""

    path: str
    status: Status
    document_id: str | None = None
    message: str = ""
    reason: str | None = None
    problems: tuple[str, ...] = ()
    attachment_ids: tuple[str, ...] = ()


Item = Prepared | FilingOutcome


class Filer:
    """Files documents into one store. Not thread-safe: use one per worker."""

    def __init__(
        self,
        store: Store,
        *,
        actor: str = "",
        max_size: int = DEFAULT_MAX_SIZE,
        batch_files: int = BATCH_FILES,
        batch_seconds: float = BATCH_SECONDS,
        extractor: Extractor = extract_here,
    ) -> None:
        """``extractor`` reads each staged file; the desktop passes one that runs in a child
        process, so that its GUI never waits for PyMuPDF holding the GIL."""
        self.store = store
        self.extractor = extractor
        self.actor = actor
        self.max_size = max_size
        self.batch_files = batch_files
        self.batch_seconds = batch_seconds

    def file_paths(
        self,
        paths: Iterable[Path],
        target_id: str,
        *,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[FilingOutcome]:
        """File every path (folders recursively), yielding one outcome per file, in order,
        as each batch is committed. Cancelling stops before the next file; what was already
        read is still filed."""
        refusal = self._refusal(target_id)
        batch: list[Item] = []
        started = time.monotonic()
        for path in expand_paths(paths):
            if cancelled():
                break
            batch.append(refusal(str(path)) if refusal else self._prepare_path(path))
            prepared = sum(isinstance(item, Prepared) for item in batch)
            if prepared >= self.batch_files or time.monotonic() - started >= self.batch_seconds:
                yield from self._commit(batch, target_id)
                batch, started = [], time.monotonic()
        yield from self._commit(batch, target_id)

    def file_path(self, path: Path, target_id: str) -> FilingOutcome:
        return self._commit([self._prepare_path(path)], target_id)[0]

    def file_bytes(self, data: bytes, file_name: str, target_id: str) -> FilingOutcome:
        if len(data) > self.max_size:
            return _rejected(file_name, too_large(file_name, self.max_size))
        staged = self.store.blobs.stage_bytes(data)
        return self._commit([self._prepare(file_name, file_name, staged)], target_id)[0]

    # -- the work -----------------------------------------------------------------------

    def _refusal(self, target_id: str) -> Callable[[str], FilingOutcome] | None:
        """Check the target once up front, so that a closed case refuses every file at once
        instead of after reading and extracting each of them."""
        try:
            with self.store.read() as session:
                ensure_open_container(*resolve_target(session, target_id))
        except EAkteError as exc:
            error = exc  # ``exc`` is unbound after the block; the lambda needs its own name
            return lambda shown: _rejected(shown, error)
        return None

    def _prepare_path(self, path: Path) -> Item:
        try:
            staged = stage_path(self.store.blobs, path, self.max_size)
        except FilingRejectedError as exc:
            return _rejected(str(path), exc)
        return self._prepare(str(path), path.name, staged)

    def _prepare(self, shown: str, raw_name: str, staged: StagedBlob) -> Item:
        try:
            return prepare(self.store.blobs, shown, raw_name, staged, extractor=self.extractor)
        except FilingRejectedError as exc:
            self.store.blobs.discard(staged)
            return _rejected(shown, exc)
        except BaseException:
            self.store.blobs.discard(staged)
            raise

    def _commit(self, batch: Sequence[Item], target_id: str) -> list[FilingOutcome]:
        prepared = [item for item in batch if isinstance(item, Prepared)]
        if not prepared:
            return [item for item in batch if isinstance(item, FilingOutcome)]
        done: dict[int, FilingOutcome] = {}
        keep: list[Prepared] = []
        try:
            with self.store.write() as session:
                dossier, case = resolve_target(session, target_id)
                # Checked inside the write transaction: it may have been closed meanwhile.
                ensure_open_container(dossier, case)
                where = "Vorgang" if case else "Akte"
                known = find_duplicates(
                    session,
                    dossier.id,
                    case.id if case else None,
                    (item.staged.sha256 for item in prepared),
                )
                seen: set[str] = set()  # the same content twice in one batch
                for item in prepared:
                    sha = item.staged.sha256
                    if sha not in known and sha not in seen:
                        seen.add(sha)
                        keep.append(item)
                ids = insert_documents(session, keep, dossier, case, actor=self.actor)
                for item, item_ids in zip(keep, ids, strict=True):
                    known[item.staged.sha256] = item_ids[0]
                    done[id(item)] = FilingOutcome(
                        item.shown,
                        "filed",
                        item_ids[0],
                        item.message(),
                        None,
                        tuple(str(p) for p in item.extracted.problems),
                        tuple(item_ids[1:]),
                    )
                for item in prepared:
                    if id(item) not in done:
                        done[id(item)] = FilingOutcome(
                            item.shown,
                            "duplicate",
                            known[item.staged.sha256],
                            f"„{item.file_name}“ liegt mit identischem Inhalt bereits in diesem "
                            f"{where} und wurde nicht doppelt abgelegt.",
                        )
                # The blobs are in place before the records that point at them are committed.
                self.store.blobs.commit_many([b for item in keep for b in item.staged_blobs()])
        except EAkteError as exc:
            self._discard(prepared)
            return [_rejected(i.shown, exc) if isinstance(i, Prepared) else i for i in batch]
        except BaseException:
            self._discard(prepared)
            raise
        kept = {id(item) for item in keep}
        self._discard([item for item in prepared if id(item) not in kept])
        log.info("filed %d of %d files in one batch", len(keep), len(batch))
        return [done[id(i)] if isinstance(i, Prepared) else i for i in batch]

    def _discard(self, items: Iterable[Prepared]) -> None:
        for item in items:
            for blob in item.staged_blobs():
                self.store.blobs.discard(blob)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, folders recursively in a stable order; OS and Office junk is skipped."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.casefold() not in JUNK_NAMES and not name.startswith("~$"):
                        yield Path(root) / name
        else:
            yield path


def _rejected(shown: str, exc: EAkteError) -> FilingOutcome:
    reason = exc.reason if isinstance(exc, FilingRejectedError) else exc.code
    log.info("rejected %s: %s", shown, reason)
    return FilingOutcome(shown, "rejected", None, exc.message, reason)
