"""One sync run: guards, uploads, push, pull, downloads, cache limit (DESIGN.md, sync contract).

Only one run per store at a time, across processes (a lock file beside the database): two app
instances on one cache take turns instead of sending the same outbox twice. Every step commits
what it achieved, so a run killed at any point leaves a store from which the next run simply
continues: unanswered mutations go again under their ids, the cursor is where the last applied
page left it, partial downloads resume.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import filelock
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sync.engine import binding
from sync.engine.apply import UNKNOWN_SIZE, Context
from sync.engine.auth import Authenticator
from sync.engine.errors import DiskFullError, MassDeleteError, SyncBusyError, is_disk_full
from sync.engine.offline import pin_offline_sets
from sync.engine.outbox import pending_blobs, plan_batch
from sync.engine.pull import cursor_stop, pull
from sync.engine.push import PushOutcome, settle
from sync.engine.transfer_files import TransferProgress
from sync.engine.transfers import BlobTransfers
from sync.errors import EAkteError
from sync.protocol.auth import TokenResponse
from sync.protocol.changes import MAX_PAGE
from sync.protocol.mutations import BatchResult, MutationBatch
from sync.records.model import Blob, OutboxEntry, SyncProblem, utcnow
from sync.records.status import LAST_SYNC_KEY
from sync.store import cache
from sync.store.database import Store
from sync.transport import ServerClient, ServerRefusedError

log = logging.getLogger("eakte.sync")

LOCK_NAME = "sync.lock"
# Deletions of dossiers, cases and documents in one run above which the clerk confirms first.
MASS_DELETE_THRESHOLD = 50
MAX_ROUNDS = 10_000
DOWNLOAD_BATCH = 200  # downloaded blobs recorded per commit


@dataclass(frozen=True)
class SyncProgress:
    # "upload" (files), "upload_bytes" (of the current file), "push", "pull", "download"
    phase: str
    done: int
    total: int | None = None


@dataclass
class SyncReport:
    pushed: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    delayed: int = 0
    pulled: int = 0
    uploaded: int = 0
    downloaded: int = 0
    evicted_bytes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.conflicts or self.rejected or self.problems)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: ServerClient,
        auth: Authenticator,
        *,
        cache_limit_bytes: int | None = None,
        progress: Callable[[SyncProgress], None] | None = None,
        download_all: bool = False,
    ) -> None:
        self.store = store
        self.client = client
        self.auth = auth
        self.cache_limit_bytes = cache_limit_bytes
        self.progress = progress
        self.download_all = download_all
        self.page_size = MAX_PAGE
        self.transfers = BlobTransfers(client, store.blobs, auth)
        self._checked: TokenResponse | None = None
        self._ctx: Context | None = None
        self._cancel = threading.Event()

    # -- public ---------------------------------------------------------------------------

    def login(self, password: str) -> binding.Binding:
        """Log in and bind the store (or check that it is this account's)."""
        answer = self.auth.login(password)
        return self._bind(answer)

    def cancel(self) -> None:
        self._cancel.set()

    def run(self, *, allow_mass_delete: bool = False) -> SyncReport:
        self._cancel.clear()
        lock = filelock.FileLock(str(self.store.root / LOCK_NAME))
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout as exc:
            raise SyncBusyError(
                "Ein anderes E-Akte-Fenster gleicht diesen Datenbestand gerade ab. "
                "Es geht gleich weiter."
            ) from exc
        try:
            return self._run(allow_mass_delete)
        except (OSError, SQLAlchemyError) as exc:
            if is_disk_full(exc):
                raise DiskFullError() from exc
            raise
        finally:
            lock.release()

    # -- the steps ------------------------------------------------------------------------

    def _run(self, allow_mass_delete: bool) -> SyncReport:
        report = SyncReport()
        self._token()  # logs in by refresh token if needed, checks the binding
        if not allow_mass_delete:
            self._check_mass_delete()
        self._upload(report)
        self._push(report)
        if self._cancel.is_set():
            return report
        outcome = pull(
            self.store,
            self._context(),
            self._fetch_changes,
            page_size=self.page_size,
            on_page=lambda n: self._report("pull", n),
        )
        report.pulled = outcome.records
        self._download(report)
        if self.cache_limit_bytes is not None:
            report.evicted_bytes = cache.enforce_limit(self.store, self.cache_limit_bytes)
        with self.store.write() as session:
            binding.put_setting(session, LAST_SYNC_KEY, utcnow().isoformat())
        log.info(
            "sync done: %d pushed, %d merged, %d conflicts, %d rejected, %d pulled, %d up, %d down",
            report.pushed,
            report.merged,
            report.conflicts,
            report.rejected,
            report.pulled,
            report.uploaded,
            report.downloaded,
        )
        return report

    def _check_mass_delete(self) -> None:
        with self.store.read() as session:
            count = session.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(
                    OutboxEntry.op == "delete",
                    OutboxEntry.entity_kind.in_(("dossier", "case", "document")),
                )
            )
        if (count or 0) > MASS_DELETE_THRESHOLD:
            raise MassDeleteError(int(count or 0))

    def _upload(self, report: SyncReport) -> None:
        with self.store.read() as session:
            wanted = pending_blobs(session)
            synced = set(
                session.scalars(
                    select(Blob.sha256).where(Blob.sha256.in_(list(wanted)), Blob.synced)
                )
            )
            sizes: dict[str, int] = {
                sha: int(size)
                for sha, size in session.execute(
                    select(Blob.sha256, Blob.size).where(Blob.sha256.in_(list(wanted)))
                )
            }
        todo = [sha for sha in wanted if sha not in synced]
        for index, sha in enumerate(todo):
            if self._cancel.is_set():
                return
            size = sizes.get(sha, wanted[sha])
            try:
                sent = self.transfers.upload(
                    sha,
                    size,
                    progress=lambda done, total: self._report("upload_bytes", done, total),
                )
            except EAkteError as exc:
                self._transfer_problem(report, sha, exc)
                if _connection_lost(exc):
                    raise
                continue
            with self.store.write() as session:
                session.execute(update(Blob).where(Blob.sha256 == sha).values(synced=True))
            report.uploaded += 1 if sent else 0
            self._report("upload", index + 1, len(todo))

    def _push(self, report: SyncReport) -> None:
        ctx = self._context()
        outcome = PushOutcome()
        for _round in range(MAX_ROUNDS):
            if self._cancel.is_set():
                break
            with self.store.write() as session:

                def ready(sha: str, session: Session = session) -> bool:
                    blob = session.get(Blob, sha)
                    return blob is not None and blob.synced

                planned = plan_batch(session, ready)
                client_id = binding.get_setting(session, binding.CLIENT_ID)
                cursor = binding.get_setting(session, binding.CURSOR)
            if not planned:
                break
            # With our cursor: a server restored from a backup refuses the batch (DESIGN
            # rule 9) instead of letting it hide the restore from the pull.
            batch = MutationBatch(
                client_id=client_id or "", mutations=[p.mutation for p in planned], cursor=cursor
            )
            try:
                body = self._call(
                    "POST", "/mutations", json=batch.model_dump(mode="json"), idempotent=True
                )
            except ServerRefusedError as exc:
                stop = cursor_stop(exc)
                if stop is None:
                    raise
                raise stop from exc
            answer = BatchResult.model_validate(body)
            before = (outcome.applied, outcome.merged, outcome.rejected, outcome.delayed)
            with self.store.write() as session:
                settle(session, ctx, planned, answer.results, outcome, actor=self._actor())
            self._report("push", outcome.applied + outcome.merged + outcome.rejected)
            after = (outcome.applied, outcome.merged, outcome.rejected, outcome.delayed)
            if after == before:
                log.warning("a batch changed nothing; stopping the push for this run")
                break
        report.pushed += outcome.applied
        report.merged += outcome.merged
        report.conflicts += outcome.conflicts
        report.rejected += outcome.rejected
        report.delayed += outcome.delayed
        report.problems += outcome.problems

    def _download(self, report: SyncReport) -> None:
        with self.store.write() as session:
            wanted = pin_offline_sets(session)
            if self.download_all:
                rows = session.execute(
                    select(Blob.sha256, Blob.size).where(
                        Blob.present.is_(False), Blob.size != UNKNOWN_SIZE
                    )
                )
                wanted.update({sha: int(size) for sha, size in rows})
        # Recorded in batches (one commit each, rule 12): a blob that is in the store but
        # not yet recorded after a crash is found there next time, not fetched again.
        done: list[str] = []
        try:
            for index, (sha, size) in enumerate(sorted(wanted.items())):
                if self._cancel.is_set():
                    return
                if self.store.blobs.contains(sha) or self._download_one(sha, size, report):
                    done.append(sha)
                if len(done) >= DOWNLOAD_BATCH:
                    self._mark_present(done)
                self._report("download", index + 1, len(wanted))
        finally:
            self._mark_present(done)

    def _download_one(self, sha: str, size: int, report: SyncReport) -> bool:
        try:
            self.transfers.download(sha, size)
        except EAkteError as exc:
            self._transfer_problem(report, sha, exc)
            if _connection_lost(exc):
                raise
            return False
        report.downloaded += 1
        return True

    def _mark_present(self, shas: list[str]) -> None:
        if not shas:
            return
        with self.store.write() as session:
            session.execute(
                update(Blob).where(Blob.sha256.in_(shas)).values(present=True, synced=True)
            )
        shas.clear()

    def fetch_blob(
        self,
        sha: str,
        size: int,
        report: SyncReport | None = None,
        progress: TransferProgress | None = None,
    ) -> bool:
        """Download one blob into the cache (also used when a document is opened);
        ``progress(bytes_done, total)``."""
        try:
            self.transfers.download(sha, size, progress=progress)
        except EAkteError as exc:
            if report is not None:
                self._transfer_problem(report, sha, exc)
            if _connection_lost(exc) or report is None:
                raise
            return False
        with self.store.write() as session:
            session.execute(
                update(Blob).where(Blob.sha256 == sha).values(present=True, synced=True)
            )
        if report is not None:
            report.downloaded += 1
        return True

    # -- helpers --------------------------------------------------------------------------

    def _token(self) -> str:
        token = self.auth.token()
        answer = self.auth.last_answer
        if answer is not None and answer is not self._checked:
            self._bind(answer)
        return token

    def _bind(self, answer: TokenResponse) -> binding.Binding:
        with self.store.write() as session:
            found = binding.check(
                session,
                server_id=answer.server_id,
                municipality=answer.user.municipality.slug,
                login=answer.user.login,
            )
            if found is None:
                found = binding.bind(
                    session,
                    server_id=answer.server_id,
                    server_url=self.auth.account.server_url,
                    municipality=answer.user.municipality.slug,
                    municipality_id=answer.user.municipality.id,
                    municipality_name=answer.user.municipality.name,
                    reference_pattern=answer.user.municipality.reference_pattern,
                    login=answer.user.login,
                    user_id=answer.user.id,
                )
        self._checked = answer
        self._ctx = Context(found.municipality_id, found.municipality)
        return found

    def _context(self) -> Context:
        if self._ctx is None:
            with self.store.read() as session:
                found = binding.current(session)
            if found is None:
                self._token()
                assert self._ctx is not None
                return self._ctx
            self._ctx = Context(found.municipality_id, found.municipality)
        return self._ctx

    def _actor(self) -> str:
        return self.auth.account.login

    def _call(self, method: str, path: str, *, json: Any = None, idempotent: bool = False) -> Any:
        """A request with the access token; a 401 renews the token once."""
        try:
            return self.client.request(
                method, path, json=json, token=self._token(), idempotent=idempotent
            ).json()
        except ServerRefusedError as exc:
            if exc.status != 401:
                raise
        return self.client.request(
            method, path, json=json, token=self.auth.renew(), idempotent=idempotent
        ).json()

    def _fetch_changes(self, cursor: str | None, limit: int) -> dict[str, object]:
        query = f"/changes?limit={limit}"
        if cursor:
            query += f"&cursor={cursor}"
        body: dict[str, object] = self._call("GET", query, idempotent=True)
        return body

    def _transfer_problem(self, report: SyncReport, sha: str, exc: EAkteError) -> None:
        report.problems.append(f"{exc.title}: {exc.message}")
        with self.store.write() as session:
            found = session.scalar(
                select(SyncProblem).where(
                    SyncProblem.entity_id == sha[:36], SyncProblem.op == "transfer"
                )
            )
            if found is not None:
                found.attempts += 1
                found.message = exc.message
                return
            session.add(
                SyncProblem(
                    entity_kind="blob",
                    entity_id=sha[:36],
                    op="transfer",
                    code=exc.code,
                    title=exc.title,
                    message=exc.message,
                    payload={"sha256": sha},
                )
            )

    def _report(self, phase: str, done: int, total: int | None = None) -> None:
        if self.progress is not None:
            self.progress(SyncProgress(phase, done, total))


def _connection_lost(exc: EAkteError) -> bool:
    return exc.code in ("server_unreachable", "bad_answer", "login_required")
