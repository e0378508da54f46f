"""The ``.bench/`` folder in the repository root (git-ignored): cached inputs between runs.

A cached item is a folder that is built under a temporary name and renamed into place only
when complete, so an interrupted build is never reused; its key includes a digest of the code
that produced it, so a changed generator means a rebuild rather than stale data.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from sync.store.database import MIGRATIONS_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = REPO_ROOT / ".bench"


def schema_head() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head() or "none"


def source_digest(*paths: Path) -> str:
    """A short digest of files (folders: all files below), for cache keys."""
    digest = hashlib.sha256()
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )
        else:
            files = [path]
        for file in files:
            if file.exists():
                digest.update(file.relative_to(REPO_ROOT).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:10]


def cached_dir(key: str, build: Callable[[Path], None]) -> tuple[Path, bool]:
    """The folder for ``key``, built by ``build(folder)`` if missing; returns (folder, reused).
    Keys are ``kind-size-seed-…``: other folders of the same kind, size and seed are stale
    (older code or schema) and are removed."""
    target = BENCH_DIR / key
    if (target / ".complete").exists():
        return target, True
    # Same item, older code: a 100k store is most of a gigabyte, so do not keep it around.
    for old in BENCH_DIR.glob("-".join(key.split("-")[:3]) + "-*"):
        if old != target and ".building-" not in old.name:
            shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        shutil.rmtree(target)  # a leftover of an interrupted build
    staging = BENCH_DIR / f"{key}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        build(staging)
        (staging / ".complete").touch()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target, False


def scratch_dir(name: str) -> Path:
    """A fresh folder on the same disk as a real store (not /tmp, which may be tmpfs)."""
    path = BENCH_DIR / "scratch" / f"{name}-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def bulk_store(documents: int, seed: int) -> tuple[Path, dict[str, float | int | str]]:
    """A store with ``documents`` documents made by ``sync.demo.bulk.bulk_load``, built once
    per size, seed, schema head and generator/indexing code. Returns the store folder and its
    build facts (``build_s``: seconds the build took; ``reused``: 1 if it came from the cache).
    """
    from sync.demo.bulk import bulk_load
    from sync.store.database import Store

    key = f"store-{documents}-s{seed}-r{schema_head()}-" + source_digest(
        # What decides the stored data; the query side (engine, highlight) does not.
        REPO_ROOT / "sync/demo",
        REPO_ROOT / "resources/demo",
        REPO_ROOT / "sync/search/index.py",
        REPO_ROOT / "sync/search/folding.py",
        REPO_ROOT / "sync/records/model.py",
        REPO_ROOT / "sync/store/migrations",
    )

    def build(folder: Path) -> None:
        started = time.perf_counter()
        with Store.open(folder / "store") as store:
            bulk_load(store, documents=documents, seed=seed)
        # Store.close() checkpointed the WAL, so the folder can be renamed as it is.
        facts = {"build_s": time.perf_counter() - started, "documents": documents}
        (folder / "build.json").write_text(json.dumps(facts))

    folder, reused = cached_dir(key, build)
    facts = json.loads((folder / "build.json").read_text())
    facts["reused"] = int(reused)
    facts["key"] = key
    return folder / "store", facts
