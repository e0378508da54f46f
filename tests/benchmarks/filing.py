"""Benchmark 1: filing a folder of mixed documents with ``Filer.file_paths``.

Floor, on the same files in the same run: read the file, open it with PyMuPDF and extract the
full text (PDFs only), SHA-256 it and copy it into a folder. That is the least any filing must
do; the pipeline additionally detects types, parses mails, renders thumbnails, fsyncs, and writes
records, journal and search index in one transaction.

Warm-cache bias: every file is read once before anything is timed, then the runs go in ABBA
order (floor, pipeline, pipeline, floor) and each side reports its best run. The pipeline gets a
fresh store for every run. A separate, smaller pass with stage timers (exclusive time per
stage) shows where the pipeline's time goes; ``--profile`` adds a cProfile listing.
"""

from __future__ import annotations

import cProfile
import hashlib
import io
import os
import pstats
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pymupdf
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

import sync.filing.extract as extract_module
from sync.blobs.store import BlobStore
from sync.filing import images, pdf, pipeline, preparation, recording
from sync.filing.pipeline import Filer
from sync.filing.thumbnails import generate_thumbnails
from sync.records import operations as ops
from sync.store.database import Store
from tests.benchmarks.cache import BENCH_DIR, scratch_dir
from tests.benchmarks.corpus import CorpusFile, corpus
from tests.benchmarks.report import Row, fmt
from tests.benchmarks.timing import StageTimer

GOAL_RATIO = 1.25
KIND_LABELS = {
    "text_pdf": "text PDF",
    "scanned_pdf": "scanned PDF",
    "mail": "e-mail + PDF",
    "photo": "JPEG photo",
    "tiff": "multi-page TIFF",
    "docx": "DOCX",
    "text": "plain text",
}


@dataclass
class Run:
    seconds: float
    thumbnail_seconds: float = 0.0  # the catch-up pass after filing
    thumbnails: int = 0
    per_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _floor_one(path: Path, target: Path, *, durable: bool) -> None:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            "".join(page.get_text() for page in doc)
    sha = hashlib.sha256(data).hexdigest()
    with (target / sha).open("wb") as out:
        out.write(data)
        if durable:
            out.flush()
            os.fsync(out.fileno())


def run_floor(files: list[CorpusFile], *, durable: bool = False) -> Run:
    """The floor; ``durable`` adds one fsync per copy, the least a crash-safe filing needs."""
    target = scratch_dir("floor")
    run = Run(0.0)
    started = time.perf_counter()
    for item in files:
        t0 = time.perf_counter()
        _floor_one(item.path, target, durable=durable)
        run.per_kind[item.kind].append(time.perf_counter() - t0)
    run.seconds = time.perf_counter() - started
    shutil.rmtree(target)
    return run


def _fresh_store(name: str) -> tuple[Store, str]:
    """A new store with one municipality, plan unit, dossier and case; returns the case id."""
    store = Store.open(scratch_dir(name) / "store")
    with store.write() as s:
        town = ops.create_municipality(s, "witzenhausen", "Stadt Witzenhausen")
        plan = ops.create_file_plan(s, town, "Aktenplan")
        top = ops.add_plan_unit(s, plan, "6", "Bauwesen")
        unit = ops.add_plan_unit(s, plan, "632.0", "Baugenehmigungen", parent=top)
        dossier = ops.create_dossier(s, unit, "Bauanträge 2024", opened_on=date(2024, 1, 2))
        case = ops.create_case(s, dossier, "Eingänge Januar", opened_on=date(2024, 1, 2))
        s.flush()
        case_id = case.id
    return store, case_id


def _drop_store(store: Store) -> None:
    store.close()
    shutil.rmtree(store.root.parent)


def run_pipeline(files: list[CorpusFile], name: str = "pipeline") -> Run:
    store, case_id = _fresh_store(name)
    run = Run(0.0)
    try:
        outcomes = Filer(store, actor="bench").file_paths([f.path for f in files], case_id)
        started = time.perf_counter()
        for item, outcome in zip(files, outcomes, strict=True):
            run.statuses[outcome.status] += 1
            if outcome.status != "filed":
                print(f"    {outcome.status}: {item.path.name}: {outcome.message}")
        run.seconds = time.perf_counter() - started
        # Filing leaves thumbnails to a catch-up pass; it is work the machine does all the same.
        started = time.perf_counter()
        run.thumbnails = generate_thumbnails(store)
        run.thumbnail_seconds = time.perf_counter() - started
    finally:
        _drop_store(store)
    return run


def _instrument(timer: StageTimer) -> None:
    timer.wrap(Filer, "_commit", "batch transaction: everything not listed below it")
    timer.wrap(BlobStore, "stage_file", "stage source: copy + SHA-256")
    timer.wrap(BlobStore, "stage_bytes", "stage thumbnail / attachment bytes")
    timer.wrap(os, "fsync", "fsync of blob files and folders")
    timer.wrap(preparation, "extract", "extract: other (open, metadata, title)")
    # Finer stages inside extract; private names, so a rename only loses this detail.
    timer.wrap(extract_module, "detect", "extract: detect type by content")
    timer.wrap(pdf, "_full_text", "extract: PDF text")
    timer.wrap(pdf, "_thumbnail", "extract: PDF thumbnail render")
    timer.wrap(images, "_thumbnail", "extract: image decode + thumbnail")
    timer.wrap(extract_module, "extract_mail", "extract: mail parse")
    timer.wrap(extract_module, "extract_office", "extract: office text")
    timer.wrap(BlobStore, "commit_many", "blob renames into place + directory fsyncs")
    timer.wrap(pipeline, "resolve_target", "target lookup + duplicate check")
    timer.wrap(pipeline, "find_duplicates", "target lookup + duplicate check")
    timer.wrap(pipeline, "insert_documents", "ORM objects: document, version, blob rows")
    timer.wrap(recording, "record_change", "journal: event + outbox rows")
    timer.wrap(recording, "set_document_text", "search index (text + FTS rows)")
    timer.wrap(recording, "index_document", "search index (text + FTS rows)")
    timer.wrap(Session, "flush", "ORM flush (SQL INSERTs)")
    timer.wrap(Connection, "_commit_impl", "COMMIT (SQLite WAL fsync)")


def breakdown(files: list[CorpusFile], *, profile: bool) -> tuple[StageTimer, float, str]:
    """Stage times over ``files`` (fresh store); with ``profile``, a cProfile top list too."""
    timer = StageTimer()
    store, case_id = _fresh_store("breakdown")
    try:
        filer = Filer(store, actor="bench")
        _instrument(timer)  # after the store is set up: only filing is attributed
        try:
            started = time.perf_counter()
            for _ in filer.file_paths([f.path for f in files], case_id):
                pass
            seconds = time.perf_counter() - started
        finally:
            timer.restore()
    finally:
        _drop_store(store)
    listing = ""
    if profile:
        store, case_id = _fresh_store("profile")
        profiler = cProfile.Profile()
        try:
            filer = Filer(store, actor="bench")
            profiler.enable()
            for _ in filer.file_paths([f.path for f in files], case_id):
                pass
            profiler.disable()
        finally:
            _drop_store(store)
        dump = BENCH_DIR / "filing.pstats"
        profiler.dump_stats(dump)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        listing = f"(full profile in {dump}; `python -m pstats` to browse)\n{out.getvalue()}"
    return timer, seconds, listing


def run(total: int, seed: int, breakdown_files: int, *, profile: bool = False) -> list[Row]:
    files, generated = corpus(total, seed)
    size_mb = sum(f.path.stat().st_size for f in files) / 1e6
    made = f"generated in {generated:.1f} s" if generated is not None else "reused from .bench/"
    print(f"  corpus: {len(files)} files, {size_mb:.1f} MB ({made})")
    for item in files:  # warm the page cache so that neither side pays for the first read
        item.path.read_bytes()

    floor_runs, pipe_runs = [run_floor(files)], []
    pipe_runs.append(run_pipeline(files))
    pipe_runs.append(run_pipeline(files))
    floor_runs.append(run_floor(files))
    durable = run_floor(files, durable=True)  # informational, after the ABBA block
    for label, runs in (("floor", floor_runs), ("pipeline", pipe_runs)):
        times = ", ".join(f"{r.seconds:.2f} s" for r in runs)
        print(f"  {label} runs (ABBA order): {times}")
    print(f"  floor + fsync per copy: {durable.seconds:.2f} s")
    statuses = dict(pipe_runs[-1].statuses)
    print(f"  pipeline outcomes: {statuses}")
    floor, pipe = min(floor_runs, key=lambda r: r.seconds), min(pipe_runs, key=lambda r: r.seconds)

    n = len(files)
    ratio = pipe.seconds / floor.seconds
    rows = [
        Row(
            "Filing",
            f"{n} mixed files, docs/s",
            n / pipe.seconds,
            n / floor.seconds,
            "docs/s",
            goal=f"ratio ≤ {GOAL_RATIO}",
            met=ratio <= GOAL_RATIO,
            higher_is_better=True,
        )
    ]
    rows.append(
        Row(
            "Filing",
            f"{n} files vs floor + fsync per copy, docs/s",
            n / pipe.seconds,
            n / durable.seconds,
            "docs/s",
            higher_is_better=True,
        )
    )
    if pipe.thumbnails:
        total = pipe.seconds + pipe.thumbnail_seconds
        print(
            f"  thumbnail pass after filing: {pipe.thumbnails} thumbnails in "
            f"{pipe.thumbnail_seconds:.2f} s"
        )
        rows.append(
            Row(
                "Filing",
                f"{n} files + thumbnail pass ({pipe.thumbnails}), docs/s",
                n / total,
                n / floor.seconds,
                "docs/s",
                higher_is_better=True,
            )
        )
    # Filing commits in batches, so one file's time is not observable on its own: each kind
    # is filed as a stack of its own (as a clerk drops a stack of scans) and timed whole.
    for kind, label in KIND_LABELS.items():
        same = [f for f in files if f.kind == kind]
        if same:
            alone = run_pipeline(same, name=f"kind-{kind}")
            f = floor.per_kind[kind]
            rows.append(
                Row(
                    "Filing",
                    f"{label} ({len(same)}), ms/doc",
                    alone.seconds / len(same) * 1000,
                    sum(f) / len(f) * 1000,
                    "ms",
                )
            )

    subset = files[: min(breakdown_files, n)]
    timer, seconds, listing = breakdown(subset, profile=profile)
    print(f"\n  where the pipeline spends its time ({len(subset)} files, {seconds:.2f} s):")
    print(f"    {'stage':<48} {'ms/doc':>8} {'share':>6} {'calls':>6}")
    for stage, secs in sorted(timer.seconds.items(), key=lambda kv: -kv[1]):
        print(
            f"    {stage:<48} {fmt(secs / len(subset) * 1000):>8} "
            f"{secs / seconds:>6.1%} {timer.calls[stage]:>6}"
        )
    outside = seconds - timer.total()
    label = "(outside file_path: expanding paths, loop)"
    print(f"    {label:<48} {fmt(outside * 1000 / len(subset)):>8}")
    if listing:
        print(listing)
    return rows
