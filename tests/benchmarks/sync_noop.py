"""No-op sync: a run with nothing to do, on a store with few and one with many records.

Requests are counted through the fault proxy (a second engine on the same store, logged in
through the proxy before counting). Times are taken without the proxy: several runs per store,
the two stores interleaved (the order alternating by round) after two warm-up runs each;
medians. The informational floor is one raw ``GET /changes`` at the head with the store's
cursor, timed in the same rounds. A separate pass with stage timers says where the time
goes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sync.engine import engine as engine_module
from sync.engine.engine import SyncEngine
from tests.benchmarks import sync_floor
from tests.benchmarks.report import Row
from tests.benchmarks.sync_env import Client, open_client
from tests.benchmarks.timing import StageTimer, median
from tests.server.live import LiveServer
from tests.sync.faultproxy import FaultProxy


@dataclass
class NoopStore:
    label: str  # e.g. "1,000 records"
    municipality: str
    client: Client
    runs_s: list[float] = field(default_factory=list)
    poll_s: list[float] = field(default_factory=list)
    requests: int = 0
    paths: list[str] = field(default_factory=list)


def count_requests(server: LiveServer, store: NoopStore) -> None:
    with FaultProxy(server.base_url) as proxy:
        via = open_client(
            store.client.store.root, proxy.url, store.municipality, store=store.client.store
        )
        proxy.reset()
        report = via.engine.run()
        store.requests = proxy.requests
        store.paths = [f"{r.method} {r.path.split('?')[0]}" for r in proxy.seen]
    if report.pulled or report.pushed or report.downloaded:
        raise RuntimeError(f"the no-op sync had something to do: {report}")


def time_runs(server: LiveServer, stores: list[NoopStore], reps: int) -> None:
    https = [sync_floor.session(s.client.engine.auth.token()) for s in stores]
    cursors = [sync_floor.store_cursor(s.client.store) for s in stores]
    for _ in range(2):  # warm-up
        for store in stores:
            store.client.engine.run()
    for rep in range(reps):
        order = range(len(stores)) if rep % 2 == 0 else reversed(range(len(stores)))
        for i in order:
            store = stores[i]
            started = time.perf_counter()
            report = store.client.engine.run()
            store.runs_s.append(time.perf_counter() - started)
            if report.pulled:
                raise RuntimeError("a record arrived during the no-op runs")
            store.poll_s.append(sync_floor.raw_idle_poll(https[i], server.base_url, cursors[i]))
    for http in https:
        http.close()


STAGES = (
    (SyncEngine, "run", "rest: lock, token, last-sync write (a commit)"),
    (SyncEngine, "_check_mass_delete", "outbox: mass-delete guard"),
    (SyncEngine, "_upload", "upload: blobs the outbox needs"),
    (SyncEngine, "_push", "push: plan a batch"),
    (engine_module, "pull", "pull: cursor, validate, page transaction"),
    (SyncEngine, "_fetch_changes", "pull: GET /changes"),
    (SyncEngine, "_download", "download: offline sets, missing blobs"),
)


def breakdown(stores: list[NoopStore], runs: int = 10) -> None:
    """Where a no-op run's time goes, per store (exclusive ms per run; not the timed runs)."""
    per_store: list[StageTimer] = []
    for store in stores:
        timer = StageTimer()
        for owner, name, stage in STAGES:
            timer.wrap(owner, name, stage)
        try:
            for _ in range(runs):
                store.client.engine.run()
        finally:
            timer.restore()
        per_store.append(timer)
    print(
        "    where a no-op run's time goes (exclusive ms per run): "
        + " | ".join(s.label for s in stores)
    )
    for _owner, _name, stage in STAGES:
        figures = " | ".join(f"{t.seconds.get(stage, 0.0) / runs * 1000:6.2f}" for t in per_store)
        print(f"      {stage:<48} {figures}")


def rows(small: NoopStore, large: NoopStore) -> list[Row]:
    worst = max(small.requests, large.requests)
    out = [
        Row(
            "Sync",
            "no-op sync: HTTP requests (through the fault proxy)",
            worst,
            None,
            "",
            goal="≤ 2",
            met=worst <= 2,
        )
    ]
    for store in (small, large):
        out.append(
            Row(
                "Sync",
                f"no-op sync, {store.label}, ms (floor: raw GET /changes at the head)",
                median(store.runs_s) * 1000,
                median(store.poll_s) * 1000,
                "ms",
            )
        )
    growth = median(large.runs_s) / median(small.runs_s)
    out.append(
        Row(
            "Sync",
            f"no-op sync growth, {small.label} → {large.label}, ms",
            median(large.runs_s) * 1000,
            median(small.runs_s) * 1000,
            "ms",
            goal="ratio ≤ 1.3",
            met=growth <= 1.3,
        )
    )
    return out
