"""The idle-poll part of the server benchmark: a poll with nothing new against /health, and
how it grows with the number of records.

An idle poll is ``GET /changes`` with a cursor at the head of the municipality's feed; its
floor is ``GET /api/v1/health``, which makes a database round trip too (``SELECT 1``), so the
ratio is what the feed adds: token and cursor checks, the indexed feed query, the page. Both
run sequentially on one keep-alive connection, interleaved with alternating order so that
drift (autovacuum, other jobs on the machine) hits both alike; figures are medians.

For the growth, one municipality's records are filled in by SQL (``server_load_env``) to the
first size, measured, filled to the second size and measured again.
"""

from __future__ import annotations

import json
import time

from tests.benchmarks.report import Row
from tests.benchmarks.server_load_clients import Http, HttpError, changes_path
from tests.benchmarks.server_load_env import cursor_at, fill_records
from tests.benchmarks.timing import median, percentile

GOAL_IDLE_RATIO = 2.0
GOAL_GROWTH_RATIO = 1.3


def idle_latencies(
    host: str, port: int, token: str, cursor: str, reps: int, warmup: int = 20
) -> tuple[list[float], list[float]]:
    """Sequential /health and idle polls on one connection, interleaved with alternating
    order so that drift (autovacuum, other processes) hits both alike. Returns seconds."""
    http = Http(host, port, token)
    poll_path = changes_path(cursor)
    health: list[float] = []
    poll: list[float] = []

    def health_once() -> float:
        t0 = time.perf_counter()
        status, data = http.request("GET", "/api/v1/health")
        elapsed = time.perf_counter() - t0
        if status != 200:
            raise HttpError("GET", "/api/v1/health", status, data)
        return elapsed

    def poll_once() -> float:
        t0 = time.perf_counter()
        status, data = http.request("GET", poll_path)
        page = json.loads(data) if status == 200 else None
        elapsed = time.perf_counter() - t0
        if page is None:
            raise HttpError("GET", poll_path, status, data)
        if page["changes"] or page["has_more"]:
            raise RuntimeError("the idle poll is not at the head of the feed")
        return elapsed

    try:
        for _ in range(warmup):
            health_once()
            poll_once()
        for i in range(reps):
            if i % 2:
                health.append(health_once())
                poll.append(poll_once())
            else:
                poll.append(poll_once())
                health.append(health_once())
    finally:
        http.close()
    return health, poll


def run(
    host: str,
    port: int,
    url: str,
    municipality: str,
    token: str,
    records: tuple[int, int],
    reps: int,
) -> list[Row]:
    """``token``: a clerk of ``municipality``, whose feed nobody else writes to."""
    from server.municipalities import municipality_id

    mid = municipality_id(municipality)
    polls: list[float] = []
    ratios: list[float] = []  # idle poll / health at each size
    rows: list[Row] = []
    filled = 0
    for n in records:
        t0 = time.perf_counter()
        fill_records(url, mid, filled + 1, n)
        filled = n
        print(f"  {n:,} records filled in {time.perf_counter() - t0:.1f} s", flush=True)
        health, poll = idle_latencies(host, port, token, cursor_at(url, mid, n), reps)
        h, p = median(health) * 1000, median(poll) * 1000
        polls.append(p)
        ratios.append(p / h)
        print(
            f"  idle poll at {n:,} records: median {p:.2f} ms, p99 "
            f"{percentile(poll, 99) * 1000:.2f} ms; /health median {h:.2f} ms, p99 "
            f"{percentile(health, 99) * 1000:.2f} ms ({reps} each)",
            flush=True,
        )
        rows.append(
            Row("Server", f"idle poll at {n:,} records (floor /health), ms", p, h, "ms",
                goal=f"ratio ≤ {GOAL_IDLE_RATIO:g}", met=p / h <= GOAL_IDLE_RATIO)
        )  # fmt: skip
    grow = polls[-1] / polls[0]
    rows.extend((
        Row("Server", f"idle poll growth {records[0]:,} → {records[1]:,} records, ms",
            polls[-1], polls[0], "ms", goal=f"ratio ≤ {GOAL_GROWTH_RATIO:g}",
            met=grow <= GOAL_GROWTH_RATIO),
        # The two sizes are measured a minute or more apart on a shared machine; relative
        # to /health at the same moment, the drift between them cancels out.
        Row("Server", "idle poll growth, each size ÷ its /health", ratios[-1],
            ratios[0], "×"),
    ))  # fmt: skip
    return rows
