"""Benchmark 4: the central server on PostgreSQL under the load of many desktop clients.

A scratch database is created (and dropped at the end), set up with ``eakte-server init``,
and the server runs as its own process (``eakte-server serve`` on 127.0.0.1). This process is
the clients, over loopback:

* **pollers**: each a desktop client's sync loop with its own cursor: ``GET /changes``, then
  ``POLL_THINK_S`` of think time (paging on at once while ``has_more``); clerks of several
  municipalities, so they receive what the pushers of their municipality file;
* **pushers**: each with its own ``client_id``, a batch of ``BATCH`` document creations into
  its own case, then ``PUSH_THINK_S``;
* **uploaders**: ``BLOB_BYTES`` of fresh random content in one ``PUT /blobs/{sha256}``, then
  ``UPLOAD_THINK_S``.

Throughput, p50/p99 latency and errors (non-2xx, refused mutations, exceptions) are reported
per workload. The machine has two cores shared by server, PostgreSQL and clients: the CPU
each party used is printed, to tell a server-bound figure from a client-bound one.

Before the load, a push and an upload run alone on the idle server (their service time);
after it, the idle-poll measurements of ``server_load_idle``.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.benchmarks import server_load_idle
from tests.benchmarks.report import Row
from tests.benchmarks.server_load_clients import (
    Client,
    Http,
    Poller,
    Pusher,
    Tally,
    Uploader,
    Window,
    create,
    login,
)
from tests.benchmarks.server_load_env import (
    ADMIN_URL,
    PASSWORD,
    ServerProcess,
    add_users,
    cpu_share,
    cpu_ticks,
    init,
    postgres_problem,
    scratch_database,
    server_env,
)
from tests.benchmarks.timing import median, percentile

POLL_THINK_S = 1.0
PUSH_THINK_S = 1.0
UPLOAD_THINK_S = 1.0
BATCH = 20
BLOB_BYTES = 1_000_000
HOST = "127.0.0.1"
# Load goes to the first municipalities; the growth measurement has this one to itself.
GROWTH_MUNICIPALITY = "witzenhausen"
LOAD_MUNICIPALITIES = [
    "bad-sooden-allendorf", "berkatal", "herleshausen", "meinhard", "neu-eichenberg",
    "ringgau", "sontra", "waldkappel", "wehretal", "weissenborn",
]  # fmt: skip


class Cast:
    """Who logs in as whom: clerks of several municipalities, one registrar each."""

    def __init__(self, pollers: int) -> None:
        self.municipalities = LOAD_MUNICIPALITIES[: min(10, max(2, pollers // 20))]
        self.clerks = min(4, max(1, pollers // (len(self.municipalities) * 5)))

    def users(self) -> list[tuple[str, str, str]]:
        out = [(GROWTH_MUNICIPALITY, "messung", "clerk")]
        for slug in self.municipalities:
            out.append((slug, "registratur", "registrar"))
            out += [(slug, f"sb{k}", "clerk") for k in range(self.clerks)]
        return out

    def clerk(self, i: int) -> tuple[str, str]:
        """The i-th client's municipality and clerk: round-robin over both."""
        m = len(self.municipalities)
        return self.municipalities[i % m], f"sb{(i // m) % self.clerks}"


def run(
    seconds: float,
    clients: tuple[int, int, int],
    records: tuple[int, int],
    idle_reps: int,
    workers: int = 1,
) -> list[Row]:
    workers = int(os.environ.get("EAKTE_BENCH_SERVER_WORKERS", workers))
    problem = postgres_problem()
    if problem is not None:
        if os.environ.get("EAKTE_REQUIRE_POSTGRES") == "1":
            raise RuntimeError(f"PostgreSQL is required but not reachable: {problem}")
        where = make_url(ADMIN_URL).render_as_string(hide_password=True)
        print(f"  skipped: PostgreSQL not reachable ({where}): {problem}")
        return []
    cast = Cast(clients[0])
    with scratch_database() as url, tempfile.TemporaryDirectory(prefix="eakte-bench-") as tmp:
        env = server_env(url, Path(tmp) / "blobs")
        t0 = time.perf_counter()
        init(env)
        # The server starts (imports) while the users go in; it needs them only at log-in.
        server = ServerProcess(env, Path(tmp) / "server.log", workers)
        try:
            add_users(url, cast.users())
            server.wait_ready()
            # One at a time: concurrent log-ins within a municipality currently race on its
            # audit chain (500, duplicate audit seq), and log-ins are not what is measured.
            tokens = {
                (slug, user): login(HOST, server.port, slug, user, PASSWORD)
                for slug, user, _role in cast.users()
            }
            print(
                f"  set up in {time.perf_counter() - t0:.1f} s: {len(tokens)} users in "
                f"{len(cast.municipalities)} municipalities; server pid {server.pid}, "
                f"{workers} worker process{'es' if workers > 1 else ''}",
                flush=True,
            )
            database = str(make_url(url).database)
            alone_reps = max(3, idle_reps // 200)
            rows = _load(server, database, cast, tokens, seconds, clients, alone_reps)
            time.sleep(1)  # let the server and PostgreSQL settle after the load
            token = tokens[(GROWTH_MUNICIPALITY, "messung")]
            rows += server_load_idle.run(
                HOST, server.port, url, GROWTH_MUNICIPALITY, token, records, idle_reps
            )
        finally:
            server.stop()
            _report_server_log(server)
    return rows


def _dossiers(port: int, cast: Cast, tokens: dict[tuple[str, str], str]) -> dict[str, str]:
    """A plan unit and a dossier per municipality, filed by its registrar."""
    dossiers: dict[str, str] = {}
    for slug in cast.municipalities:
        http = Http(HOST, port, tokens[(slug, "registratur")])
        unit = create("plan_unit", {"code": "022.1", "title": "Bauanträge"})
        dossier = create(
            "dossier",
            {"plan_unit_id": unit["id"], "reference": "022.1-0001/2026", "title": "Lasttest"},
        )
        batch = [{"mutation_id": n, **m} for n, m in enumerate((unit, dossier), start=1)]
        answer = http.json(
            "POST", "/api/v1/mutations", {"client_id": unit["id"], "mutations": batch}
        )
        http.close()
        if any(r["status"] != "applied" for r in answer["results"]):
            raise RuntimeError(f"setting up {slug} failed: {answer['results']}")
        dossiers[slug] = dossier["id"]
    return dossiers


def _alone(port: int, token: str, dossier: str, reps: int) -> dict[str, float]:
    """A push and an upload on the otherwise idle server, one at a time (median ms): the
    service time, against which the latencies under load show the waiting."""
    window = Window()  # never opened: the steps are called directly
    pusher = Pusher(Http(HOST, port, token), window, 0, dossier, BATCH)
    uploader = Uploader(Http(HOST, port, token), window, 0, BLOB_BYTES)
    pusher.prepare()
    out: dict[str, float] = {}
    for name, client in (("push", pusher), ("upload", uploader)):
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            client.step()
            times.append((time.perf_counter() - t0) * 1000)
            client.between()
        out[name] = median(times)
        client.http.close()
    return out


def _start(groups: dict[str, list[Client]], window: Window) -> list[Client]:
    everyone = [c for group in groups.values() for c in group]
    for client in everyone:
        client.start()
    for client in everyone:
        client.ready.wait(120)
    failed = [c.setup_error for c in everyone if c.setup_error is not None or not c.ready.is_set()]
    if failed:
        window.start_event.set()
        window.stop_event.set()
        raise RuntimeError(f"{len(failed)} clients failed to start, e.g. {failed[0]!r}")
    return everyone


def _load(
    server: ServerProcess,
    database: str,
    cast: Cast,
    tokens: dict[tuple[str, str], str],
    seconds: float,
    clients: tuple[int, int, int],
    alone_reps: int,
) -> list[Row]:
    pollers, pushers, uploaders = clients
    port = server.port
    dossiers = _dossiers(port, cast, tokens)
    alone = _alone(port, tokens[cast.clerk(0)], dossiers[cast.clerk(0)[0]], alone_reps)

    def http(i: int) -> Http:
        return Http(HOST, port, tokens[cast.clerk(i)])

    window = Window()
    groups: dict[str, list[Client]] = {
        "poll": [Poller(http(i), window, POLL_THINK_S) for i in range(pollers)],
        "push": [
            Pusher(http(i), window, PUSH_THINK_S, dossiers[cast.clerk(i)[0]], BATCH)
            for i in range(pushers)
        ],
        "upload": [Uploader(http(i), window, UPLOAD_THINK_S, BLOB_BYTES) for i in range(uploaders)],
    }
    everyone = _start(groups, window)
    print(
        f"  load: {pollers} pollers ({POLL_THINK_S:g} s think), {pushers} pushers "
        f"({BATCH} documents a batch, {PUSH_THINK_S:g} s think), {uploaders} uploaders "
        f"({BLOB_BYTES / 1e6:g} MB, {UPLOAD_THINK_S:g} s think) for {seconds:g} s",
        flush=True,
    )
    before = cpu_ticks(server.pid, database)
    t0 = time.perf_counter()
    window.start_event.set()
    time.sleep(seconds)
    window.stop_event.set()
    elapsed = time.perf_counter() - t0
    after = cpu_ticks(server.pid, database)
    deadline = time.monotonic() + 120  # answers still under way come in, or are lost
    for client in everyone:
        client.join(max(0.1, deadline - time.monotonic()))

    cores = cpu_share(before, after, elapsed)
    print(
        f"  CPU (cores, of {os.cpu_count()}): "
        + ", ".join(f"{k} {cores[k]:.2f}" for k in ("server", "postgres", "clients", "other")),
        flush=True,
    )
    tallies = {}
    for name, group in groups.items():
        tally = Tally()
        for client in group:
            tally.merge(client.tally)
        tallies[name] = tally
    received = sum(c.records for c in groups["poll"] if isinstance(c, Poller))
    print(f"  pollers received {received:,} records in all (catch-up included)")
    for sample in [s for t in tallies.values() for s in t.samples][:5]:
        print(f"  error: {sample}")

    poll, push, upload = tallies["poll"], tallies["push"], tallies["upload"]
    return [
        *_workload(f"poll ({pollers} clients)", poll, elapsed, "polls/s"),
        *_workload(
            f"push ({pushers} clients)", push, elapsed, "batches/s",
            Row("Server", "push: mutations/s", push.units / elapsed, None, "/s",
                higher_is_better=True),
            Row("Server", "push: a batch alone on the idle server, ms", alone["push"], None, "ms"),
        ),
        *_workload(
            f"upload ({uploaders} clients)", upload, elapsed, "uploads/s",
            Row("Server", "upload: MB/s", upload.units / 1e6 / elapsed, None, "MB/s",
                higher_is_better=True),
            Row("Server", "upload: one alone on the idle server, ms", alone["upload"], None, "ms"),
        ),
    ]  # fmt: skip


def _workload(name: str, tally: Tally, elapsed: float, rate_unit: str, *extra: Row) -> list[Row]:
    lat = [s * 1000 for s in tally.latencies] or [0.0]
    short = name.split(" ")[0]
    return [
        Row("Server", f"{name}: {rate_unit}", len(tally.latencies) / elapsed, None, "/s",
            higher_is_better=True),
        *extra,
        Row("Server", f"{short}: p50 latency, ms", percentile(lat, 50), None, "ms"),
        Row("Server", f"{short}: p99 latency, ms", percentile(lat, 99), None, "ms"),
        Row("Server", f"{short}: errors", float(tally.errors), None, "", goal="none",
            met=tally.errors == 0),
    ]  # fmt: skip


def _report_server_log(server: ServerProcess) -> None:
    """Server-side errors are findings too: how many, and the first traceback."""
    try:
        lines = server.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    errors = [i for i, line in enumerate(lines) if " ERROR " in line or "Traceback" in line]
    if errors:
        print(f"  server log: {len(errors)} error lines; the first:")
        print("\n".join("    " + line for line in lines[errors[0] : errors[0] + 25]))
