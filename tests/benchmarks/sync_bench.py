"""Benchmark: the sync engine against the real server on loopback (issue 5).

1. **First sync** of a municipality seeded through the real API (``sync_seed``): a fresh
   store's first ``SyncEngine.run()`` with ``download_all=True`` (logged in before timing),
   against the floor of ``sync_floor``: the same pages and blobs fetched raw plus the same rows
   bulk-inserted. On the SQLite server, and on PostgreSQL as a second row when it is reachable.
   Floor downloads run before and after each timed sync (F E F E F); figures are medians.
   A stage breakdown (exclusive times, ``timing.StageTimer``) says where the sync's time goes;
   ``--profile`` adds a cProfile pass (``.bench/sync-<backend>.pstats``).
2. **No-op sync** (``sync_noop``): requests counted through the fault proxy, times for a small
   and a large store.
3. **Upload throughput** (``sync_upload``).
4. **Peak memory** of syncing one large document (``sync_memory``, in child processes).

Everything is made under ``.bench/scratch/sync-<pid>`` and removed at the end.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from sync.engine import apply as apply_module
from sync.engine import engine as engine_module
from sync.engine import pull as pull_module
from sync.engine.engine import SyncEngine
from sync.engine.transfers import BlobTransfers
from tests.benchmarks import sync_floor, sync_memory, sync_noop, sync_upload
from tests.benchmarks.cache import BENCH_DIR, scratch_dir
from tests.benchmarks.report import Row
from tests.benchmarks.sync_env import (
    CLERK,
    REGISTRAR,
    Client,
    add_users,
    api,
    live_server,
    open_client,
    postgres_available,
)
from tests.benchmarks.sync_seed import Mix, seed
from tests.benchmarks.timing import StageTimer, median
from tests.server.live import LiveServer

FIRST = "witzenhausen"  # the first-sync municipality (and the large no-op store if sizes match)
NOOP_SMALL = "sontra"
NOOP_LARGE = "waldkappel"
MiB = 1024 * 1024


@dataclass(frozen=True)
class Params:
    records: int
    documents: int
    first_reps: int
    noop_records: tuple[int, int]
    noop_reps: int
    upload_mb: int
    upload_rounds: int
    memory_mb: int
    seed: int = 7
    profile: bool = False


def run(params: Params) -> list[Row]:
    folder = scratch_dir("sync")
    rows: list[Row] = []
    try:
        with live_server("sqlite", folder / "sqlite") as server:
            first_rows, client = first_sync(server, "SQLite", folder / "sqlite", params)
            rows += first_rows
            print("  no-op sync", flush=True)
            rows += noop(server, folder / "sqlite", params, client)
            print("  upload throughput", flush=True)
            rows += sync_upload.run(
                server.base_url,
                client.engine.auth,
                folder / "upload",
                params.upload_mb,
                params.upload_rounds,
                params.seed,
            )
            client.close()
            print("  peak memory", flush=True)
            rows += sync_memory.run(server, folder / "memory", params.memory_mb, params.seed)
        problem = postgres_available()
        if problem is None:
            with live_server("postgresql", folder / "pg") as server:
                pg_rows, client = first_sync(server, "PostgreSQL", folder / "pg", params)
                client.close()
                rows += pg_rows
        elif os.environ.get("EAKTE_REQUIRE_POSTGRES") == "1":
            raise RuntimeError(f"PostgreSQL is required but not reachable: {problem}")
        else:
            print(f"  PostgreSQL row skipped: not reachable: {problem}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


# --- first sync ---------------------------------------------------------------------------


def first_sync(
    server: LiveServer, backend: str, folder: Path, params: Params
) -> tuple[list[Row], Client]:
    """Seed, then time first syncs against the floor; returns the rows and the last client
    (synced, open: the large no-op store when the sizes match)."""
    add_users(server, [(FIRST, REGISTRAR, "registrar"), (FIRST, CLERK, "clerk")])
    mix = Mix.of(params.records, params.documents)
    print(f"  first sync ({backend} server): seeding {mix}", flush=True)
    seeded = seed(api(server, FIRST), params.records, params.documents, params.seed)
    blob_mb = sum(seeded.blobs.values()) / MiB
    print(
        f"    seeded through the API: {len(seeded.blobs)} blobs ({blob_mb:.1f} MiB) in "
        f"{seeded.blob_s:.1f} s, {seeded.records:,} records in {seeded.mutation_s:.1f} s "
        f"({seeded.records / seeded.mutation_s:,.0f}/s)",
        flush=True,
    )
    floor_dl: list[sync_floor.Download] = []
    synced: list[float] = []
    timer = StageTimer()
    client: Client | None = None
    token = ""
    for rep in range(params.first_reps):
        if client is not None:
            client.close()
        client = open_client(folder / f"first-{rep}", server.base_url, FIRST)
        token = client.engine.auth.token()
        floor_dl.append(sync_floor.raw_download(server.base_url, token, folder / "raw-blobs"))
        _wrap_stages(timer)
        try:
            started = time.perf_counter()
            report = client.engine.run()
            synced.append(time.perf_counter() - started)
        finally:
            timer.restore()
        if report.pulled != params.records or report.downloaded != params.documents:
            raise RuntimeError(f"the first sync did not get everything: {report}")
        if rep:
            shutil.rmtree(folder / f"first-{rep - 1}", ignore_errors=True)
    assert client is not None
    floor_dl.append(sync_floor.raw_download(server.base_url, token, folder / "raw-blobs"))
    shutil.rmtree(folder / "raw-blobs", ignore_errors=True)
    rows_of_store = sync_floor.read_rows(client.store.root)
    inserts = [sync_floor.bulk_insert(rows_of_store, folder / "floor-store") for _ in range(3)]
    download_s = median([d.seconds for d in floor_dl])
    floor_s = download_s + median(inserts)
    sync_s = median(synced)
    dl = floor_dl[0]
    print(
        f"    first sync {', '.join(f'{s:.2f}' for s in synced)} s; floor: download "
        f"{', '.join(f'{d.seconds:.2f}' for d in floor_dl)} s (of which pages "
        f"{', '.join(f'{d.page_seconds:.2f}' for d in floor_dl)} s; {dl.pages} pages, "
        f"{dl.page_bytes / MiB:.1f} MiB JSON; {dl.blobs} blobs, {dl.blob_bytes / MiB:.1f} MiB) "
        f"+ insert {', '.join(f'{s:.2f}' for s in inserts)} s ({rows_of_store.count:,} rows)"
    )
    _print_stages(timer, sum(synced))
    if params.profile:
        _profile(server, folder, backend)
    rows = [
        Row(
            "Sync",
            f"first sync, {params.records:,} records + {params.documents:,} documents "
            f"({blob_mb:.0f} MiB), {backend} server, s",
            sync_s,
            floor_s,
            "s",
            goal="ratio ≤ 2",
            met=sync_s / floor_s <= 2,
        )
    ]
    return rows, client


STAGES = (
    (SyncEngine, "run", "rest of the run (guards, outbox checks, last-sync write)"),
    (engine_module, "pull", "pull: validate pages (pydantic), page transaction + commit"),
    (SyncEngine, "_fetch_changes", "pull: GET /changes pages"),
    (pull_module, "apply_records", "pull: apply records (bulk SQL)"),
    (apply_module, "index_document", "pull: search index, one document at a time"),
    (SyncEngine, "_download", "download: list the blobs"),
    (SyncEngine, "fetch_blob", "download: one SQLite transaction per blob (present flag)"),
    (BlobTransfers, "download", "download: verify, rename into the store, directory fsync"),
    (BlobTransfers, "_fetch", "download: GET, write and fsync the .part file"),
)


def _wrap_stages(timer: StageTimer) -> None:
    for owner, name, stage in STAGES:
        timer.wrap(owner, name, stage)


def _print_stages(timer: StageTimer, total: float) -> None:
    print("    where the first sync's time goes (exclusive, all timed runs):")
    for _owner, _name, stage in STAGES:
        seconds = timer.seconds.get(stage, 0.0)
        print(
            f"      {stage:<62} {seconds:7.2f} s {100 * seconds / total:5.1f} %"
            f"  ({timer.calls.get(stage, 0):,} calls)"
        )


def _profile(server: LiveServer, folder: Path, backend: str) -> None:
    """One more first sync under cProfile; the listing printed, the stats saved."""
    client = open_client(folder / "first-profiled", server.base_url, FIRST)
    profiler = cProfile.Profile()
    profiler.enable()
    client.engine.run()
    profiler.disable()
    client.close()
    shutil.rmtree(folder / "first-profiled", ignore_errors=True)
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / f"sync-{backend.lower()}.pstats"
    profiler.dump_stats(path)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(r"sync/", 25)
    print(out.getvalue())
    print(f"    (stats in {path}; the server's thread is not profiled)")


# --- no-op sync ---------------------------------------------------------------------------


def noop(server: LiveServer, folder: Path, params: Params, first: Client) -> list[Row]:
    small_n, large_n = params.noop_records
    small = _noop_store(server, folder, NOOP_SMALL, small_n, params.seed)
    if large_n == params.records:
        large = sync_noop.NoopStore(f"{large_n:,} records", FIRST, first)
    else:
        large = _noop_store(server, folder, NOOP_LARGE, large_n, params.seed)
    stores = [small, large]
    for store in stores:
        sync_noop.count_requests(server, store)
    sync_noop.time_runs(server, stores, params.noop_reps)
    sync_noop.breakdown(stores)
    print(
        "    requests of a no-op sync: "
        + "; ".join(f"{s.label}: {s.requests} ({', '.join(s.paths)})" for s in stores)
    )
    rows = sync_noop.rows(small, large)
    small.client.close()
    if large.client is not first:
        large.client.close()
    return rows


def _noop_store(
    server: LiveServer, folder: Path, municipality: str, records: int, seed_: int
) -> sync_noop.NoopStore:
    add_users(server, [(municipality, REGISTRAR, "registrar"), (municipality, CLERK, "clerk")])
    seed(api(server, municipality), records, max(1, records // 25), seed_)
    client = open_client(folder / f"noop-{municipality}", server.base_url, municipality)
    client.engine.run()
    return sync_noop.NoopStore(f"{records:,} records", municipality, client)
