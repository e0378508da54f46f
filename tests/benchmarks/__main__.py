"""``uv run python -m tests.benchmarks [--size tiny|full] [--only filing,search,open,server,...]``.

``tiny`` keeps the code from rotting in CI (under a minute); ``full`` is the real measurement.
Goals are printed, never enforced: the exit code is 0 unless a benchmark crashes.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.benchmarks.cache import BENCH_DIR
from tests.benchmarks.report import Row, markdown_table, print_rows


@dataclass(frozen=True)
class Size:
    filing_files: int
    breakdown_files: int
    search_documents: int
    search_reps: int
    open_reps: int
    server_seconds: float  # load duration
    server_clients: tuple[int, int, int]  # pollers, pushers, uploaders
    server_records: tuple[int, int]  # idle-poll growth: from, to
    server_idle_reps: int
    server_workers: int  # eakte-server serve --workers
    desktop_case_documents: int  # documents in the case the tree expands
    desktop_reps: int
    dropping_files: int
    viewer_pages: int  # pages of the scanned PDF the viewer opens and scrolls
    viewer_pdfs: int  # large PDFs opened one after the other (memory)
    sync_records: tuple[int, int]  # first sync: records, of which documents (with a version)
    sync_first_reps: int
    sync_noop_records: tuple[int, int]  # no-op sync: small store, large store
    sync_noop_reps: int
    sync_upload_mb: int  # upload throughput: blob size (MiB); rounds of 3 uploads
    sync_upload_rounds: int
    sync_memory_mb: int  # peak memory: the one large document synced up and down


SIZES = {
    "tiny": Size(
        filing_files=20,
        breakdown_files=20,
        search_documents=2_000,
        search_reps=1,
        open_reps=1,
        server_seconds=5,
        server_clients=(20, 4, 2),
        server_records=(1_000, 20_000),
        server_idle_reps=200,
        server_workers=1,  # a second worker process costs CI 7 s of start-up
        desktop_case_documents=500,
        desktop_reps=1,
        dropping_files=20,
        viewer_pages=20,
        viewer_pdfs=3,
        sync_records=(1_000, 40),
        sync_first_reps=2,
        sync_noop_records=(200, 1_000),
        sync_noop_reps=15,
        sync_upload_mb=10,
        sync_upload_rounds=2,
        sync_memory_mb=20,
    ),
    "full": Size(
        filing_files=1_000,
        breakdown_files=200,
        search_documents=100_000,
        search_reps=3,
        open_reps=7,
        server_seconds=60,
        server_clients=(200, 20, 5),
        server_records=(1_000, 1_000_000),
        server_idle_reps=2_000,
        server_workers=2,
        desktop_case_documents=5_000,
        desktop_reps=7,
        dropping_files=200,
        viewer_pages=300,
        viewer_pdfs=20,
        sync_records=(50_000, 2_000),
        sync_first_reps=1,
        sync_noop_records=(1_000, 50_000),
        sync_noop_reps=30,
        sync_upload_mb=200,
        sync_upload_rounds=3,
        sync_memory_mb=500,
    ),
}
BENCHMARKS = (
    "filing", "search", "open", "server", "tree", "start", "dropping", "viewer", "sync",
    "installer",
)  # fmt: skip


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> str:
    import pymupdf

    return (
        f"{cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; PyMuPDF {pymupdf.VersionBind}; {platform.system()}"
    )


def load() -> str:
    try:
        return ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def _runner(name: str, size: Size, seed: int, profile: bool) -> Callable[[], list[Row]]:
    # Imported on demand so that one benchmark's missing piece does not stop the others.
    if name == "filing":
        from tests.benchmarks import filing

        return lambda: filing.run(size.filing_files, seed, size.breakdown_files, profile=profile)
    if name == "search":
        from tests.benchmarks import search

        return lambda: search.run(size.search_documents, seed, size.search_reps)
    if name == "server":
        from tests.benchmarks import server_load

        return lambda: server_load.run(
            size.server_seconds,
            size.server_clients,
            size.server_records,
            size.server_idle_reps,
            size.server_workers,
        )
    if name == "tree":
        from tests.benchmarks import desktop_tree

        return lambda: desktop_tree.run(size.desktop_case_documents, size.desktop_reps, seed)
    if name == "start":
        from tests.benchmarks import desktop_start

        return lambda: desktop_start.run(size.search_documents, size.desktop_reps, seed)
    if name == "dropping":
        from tests.benchmarks import desktop_dropping

        return lambda: desktop_dropping.run(size.dropping_files, seed)
    if name == "viewer":
        from tests.benchmarks import desktop_viewer

        return lambda: desktop_viewer.run(size.viewer_pages, size.viewer_pdfs)
    if name == "sync":
        from tests.benchmarks import sync_bench

        params = sync_bench.Params(
            records=size.sync_records[0],
            documents=size.sync_records[1],
            first_reps=size.sync_first_reps,
            noop_records=size.sync_noop_records,
            noop_reps=size.sync_noop_reps,
            upload_mb=size.sync_upload_mb,
            upload_rounds=size.sync_upload_rounds,
            memory_mb=size.sync_memory_mb,
            seed=seed,
            profile=profile,
        )
        return lambda: sync_bench.run(params)
    if name == "installer":
        from tests.benchmarks import installer_bench

        return lambda: installer_bench.run(size.desktop_reps)
    from tests.benchmarks import store_open

    return lambda: store_open.run(size.search_documents, seed, size.open_reps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument(
        "--only", default=",".join(BENCHMARKS), help="comma-separated: " + ",".join(BENCHMARKS)
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="cProfile listing: filing, sync")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    size = SIZES[args.size]

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"E-Akte benchmarks, size {args.size}, seed {args.seed}, {stamp}")
    print(f"Machine: {machine()}")
    # Other processes on a 2-core machine skew every figure; the load shows how much.
    print(f"Load average at start: {load()}\n", flush=True)
    rows: list[Row] = []
    started = time.perf_counter()
    for name in BENCHMARKS:
        if name not in chosen:
            continue
        print(f"== {name} ==", flush=True)
        t0 = time.perf_counter()
        result = _runner(name, size, args.seed, args.profile)()
        print_rows(result)
        print(f"  ({time.perf_counter() - t0:.1f} s)\n", flush=True)
        rows += result

    print(f"Load average at end: {load()}")
    table = markdown_table(rows)
    print(f"Markdown ({args.size}, {stamp}, total {time.perf_counter() - started:.0f} s):\n")
    print(table)
    BENCH_DIR.mkdir(exist_ok=True)
    (BENCH_DIR / f"last-{args.size}.md").write_text(
        f"{args.size}, {stamp}\n\nMachine: {machine()}\n\n{table}\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
