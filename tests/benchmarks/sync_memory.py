"""Peak memory of a sync that moves one large document, measured in a child process.

The parent prepares (not measured): a plan unit, dossier and case made by the registrar, a
clerk's store that has pulled them, and the large document filed into it with the real
``Filer``. Then two spawned children (``python -m tests.benchmarks.sync_memory``, arguments as
JSON on stdin): one opens that store and syncs, which uploads the document; the other starts
with a fresh store, pulls the records without blobs and then syncs with ``download_all``,
which downloads it. Each child resets its peak RSS once it is idle (imports done, store open,
logged in; ``/proc/self/clear_refs``), reads it there and after the sync (``VmHWM``; see
``peak_kib`` for why not ``ru_maxrss``); the difference is the sync's peak above idle.
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.benchmarks.report import Row

if TYPE_CHECKING:
    from tests.server.live import LiveServer

MUNICIPALITY = "ringgau"
UPLOADER = "grossdatei"
DOWNLOADER = "lesen"
MiB = 1024 * 1024
_PIECE = 16 * MiB


def peak_kib() -> int:
    """This process's peak RSS in KiB (``VmHWM``). Not ``ru_maxrss``: after ``exec`` that
    keeps the high-water mark of the process image before it (the benchmark process with the
    server in it, a copy of whose memory the child briefly was), about 200 MB here, which
    would hide any peak below it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def rusage_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def reset_peak() -> None:
    """Reset the peak RSS to the current RSS (Linux 4.0+), so that the peak afterwards is the
    peak of what follows, not of start-up (imports, a fresh store's migrations, login)."""
    Path("/proc/self/clear_refs").write_text("5")


def child(args: dict[str, Any]) -> dict[str, Any]:
    """The child's work; returns its figures."""
    from sync.credentials import CredentialStore
    from sync.engine.auth import Account, Authenticator
    from sync.engine.engine import SyncEngine
    from sync.store.database import Store
    from sync.transport import ServerClient
    from tests.support.keyrings import MemoryKeyring

    store = Store.open(Path(args["root"]))
    url = args["url"]
    client = ServerClient(url)
    account = Account(url, MUNICIPALITY, args["login"])
    auth = Authenticator(client, CredentialStore(MemoryKeyring()), account)
    engine = SyncEngine(store, client, auth, download_all=False)
    engine.login(args["password"])
    if args["mode"] == "download":
        engine.run()  # the records, not the blob: that is the measured run
        engine.download_all = True
    startup, rusage = peak_kib(), rusage_kib()
    reset_peak()
    idle = peak_kib()
    started = time.perf_counter()
    report = engine.run()
    seconds = time.perf_counter() - started
    peak = peak_kib()
    store.close()
    moved = report.uploaded if args["mode"] == "upload" else report.downloaded
    return {
        "startup_kib": startup,
        "rusage_kib": rusage,
        "idle_kib": idle,
        "peak_kib": peak,
        "seconds": seconds,
        "moved": moved,
    }


def measure(mode: str, root: Path, url: str, login: str, password: str) -> dict[str, Any]:
    """Run a child; its figures."""
    from tests.benchmarks.cache import REPO_ROOT

    args = {"mode": mode, "root": str(root), "url": url, "login": login, "password": password}
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.sync_memory"],
        input=json.dumps(args),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} child failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["moved"] != 1:
        raise RuntimeError(f"the {mode} child moved {figures['moved']} blobs instead of 1")
    return figures


def run(server: LiveServer, folder: Path, size_mb: int, seed: int) -> list[Row]:
    """Prepare the store with the large document, then measure its upload and download."""
    from sync.filing.pipeline import Filer
    from tests.benchmarks.sync_env import REGISTRAR, add_users, api, open_client
    from tests.server.live import PASSWORD
    from tests.server.records import create, dossier_fields, new_id, unit_fields

    add_users(
        server,
        [
            (MUNICIPALITY, REGISTRAR, "registrar"),
            (MUNICIPALITY, UPLOADER, "clerk"),
            (MUNICIPALITY, DOWNLOADER, "clerk"),
        ],
    )
    unit, dossier, case = new_id(), new_id(), new_id()
    results = api(server, MUNICIPALITY).mutate(
        create("plan_unit", unit_fields(), unit),
        create("dossier", dossier_fields(unit, "Flurbereinigung"), dossier),
        create("case", {"dossier_id": dossier, "title": "Planunterlagen"}, case),
    )
    assert all(r["status"] == "applied" for r in results), results
    up_root, down_root = folder / "memory-up", folder / "memory-down"
    prep = open_client(up_root, server.base_url, MUNICIPALITY, UPLOADER, download_all=False)
    try:
        prep.engine.run()
        big = folder / "Planunterlagen-Scan.bin"
        write_random(big, size_mb * MiB, seed)
        outcome = Filer(prep.store).file_path(big, case)
        big.unlink()
        if outcome.status != "filed":
            raise RuntimeError(f"the large document was not filed: {outcome}")
    finally:
        prep.close()
    up = measure("upload", up_root, server.base_url, UPLOADER, PASSWORD)
    down = measure("download", down_root, server.base_url, DOWNLOADER, PASSWORD)
    rows: list[Row] = []
    for what, fig in (("upload", up), ("download", down)):
        above = (fig["peak_kib"] - fig["idle_kib"]) / 1024
        print(
            f"    {what}: start-up peak {fig['startup_kib'] / 1024:.0f} MB (ru_maxrss "
            f"{fig['rusage_kib'] / 1024:.0f} MB), idle "
            f"{fig['idle_kib'] / 1024:.0f} MB, peak {fig['peak_kib'] / 1024:.0f}"
            f" MB, sync {fig['seconds']:.1f} s ({size_mb / fig['seconds']:.0f} MiB/s)"
        )
        rows.append(
            Row(
                "Sync",
                f"peak RSS above idle, sync that {what}s a {size_mb} MiB document",
                above,
                None,
                "MB",
                goal="< 100 MB",
                met=above < 100,
            )
        )
    shutil.rmtree(up_root, ignore_errors=True)
    shutil.rmtree(down_root, ignore_errors=True)
    return rows


def write_random(path: Path, size: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("wb") as out:
        left = size
        while left:
            piece = min(_PIECE, left)
            out.write(rng.randbytes(piece))
            left -= piece


if __name__ == "__main__":
    figures = child(json.loads(sys.stdin.read()))
    sys.stdout.write(json.dumps(figures) + "\n")
