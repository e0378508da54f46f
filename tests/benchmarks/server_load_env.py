"""What the server benchmark runs against: a scratch PostgreSQL database, the server as its
own process, records filled in by SQL, and the CPU time each party used."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from unittest import mock

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.benchmarks.cache import REPO_ROOT

# The same cluster and role as the server tests (and CI's ``pg_ctlcluster 15 main start``).
ADMIN_URL = os.environ.get(
    "EAKTE_TEST_POSTGRES", "postgresql+psycopg://eakte:eakte@127.0.0.1:5432/postgres"
)
PASSWORD = "Korrekt-Pferd-Batterie-7"
FILL_CHUNK = 100_000
# Document rows shaped like the ones the API writes (see server/db/tables.py RecordRow).
FILL_SQL = text(
    "INSERT INTO records (id, municipality_id, kind, version, seq, dossier_id, parent_id,"
    " deleted, closed_at, restricted, blob_sha256, data, created_at, created_by, updated_at,"
    " updated_by)"
    " SELECT md5('bench-' || g)::uuid::text, :mid, 'document', 1, g,"
    " CAST(:dossier AS text), NULL, false, NULL, false, NULL,"
    " jsonb_build_object('dossier_id', CAST(:dossier AS text), 'case_id', NULL,"
    "  'title', 'Schreiben ' || g,"
    "  'doc_type', 'letter', 'mime_type', 'application/pdf',"
    "  'file_name', 'scan-' || g || '.pdf',"
    "  'sender', 'Kreisausschuss des Werra-Meißner-Kreises', 'tags', '[]'::jsonb),"
    " now(), 'bench/fill', now(), 'bench/fill'"
    " FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) AS g"
)


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        engine = create_engine(ADMIN_URL, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


@contextmanager
def scratch_database() -> Iterator[str]:
    """A fresh, empty database for this run, dropped afterwards whatever happens."""
    name = f"eakte_bench_{os.getpid()}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_env(database_url: str, blob_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EAKTE_SERVER_DATABASE_URL": database_url,
        "EAKTE_SERVER_BLOB_DIR": str(blob_dir),
        # Warning level also silences uvicorn's access log: one line per request would be
        # work for the server that a production log setup would not do on this path.
        "EAKTE_SERVER_LOG_LEVEL": "warning",
    }


def init(env: dict[str, str]) -> None:
    """``eakte-server init`` for the scratch database: the command's own function, run here
    rather than in a process of its own (that would import the server twice on a busy box)."""
    from server.cli import commands
    from server.config import load_settings

    with redirect_stdout(io.StringIO()):  # its "Datenbank bereit ..." is not a result
        status = commands.init(load_settings(env=env), demo=False)
    if status != 0:
        raise RuntimeError("eakte-server init failed")


def add_users(database_url: str, users: list[tuple[str, str, str]]) -> None:
    """(municipality, login, role) with ``PASSWORD``, through the function behind
    ``eakte-server user add``. All users share one Argon2 hash, computed once: hashing takes
    a quarter to half a second here, which for 50 users would be the longest part of setup."""
    from server.auth.passwords import hash_password
    from server.db.engine import Database
    from server.users import add_user

    hashed = hash_password(PASSWORD)
    db = Database(database_url)
    try:
        with mock.patch("server.users.hash_password", return_value=hashed), db.write() as session:
            for municipality, login, role in users:
                add_user(session, municipality, login, role, PASSWORD)
    finally:
        db.dispose()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """``eakte-server serve`` on 127.0.0.1 in a process of its own; its output in a log file."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.log_path = log_path
        args = ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        if workers > 1:
            args += ["--workers", str(workers)]
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli.main", *args],
            env=env,
            cwd=REPO_ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        url = f"http://127.0.0.1:{self.port}/api/v1/health"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not answer /health in {timeout_s:.0f} s")

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def fill_records(database_url: str, municipality_id: str, first: int, last: int) -> None:
    """Documents with ``seq`` first..last for one municipality, straight into ``records``,
    and the municipality's ``change_seq`` moved to ``last`` as if they had come through the
    API. Then VACUUM ANALYZE, as autovacuum would after such a load."""
    dossier = "00000000-0000-4000-8000-00000000d05e"
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for lo in range(first, last + 1, FILL_CHUNK):
                hi = min(last, lo + FILL_CHUNK - 1)
                conn.execute(
                    FILL_SQL, {"mid": municipality_id, "dossier": dossier, "lo": lo, "hi": hi}
                )
            conn.execute(
                text("UPDATE municipalities SET change_seq = :seq WHERE id = :mid"),
                {"seq": last, "mid": municipality_id},
            )
            conn.execute(text("VACUUM ANALYZE records"))
            conn.execute(text("VACUUM ANALYZE municipalities"))
    finally:
        engine.dispose()


def cursor_at(database_url: str, municipality_id: str, seq: int) -> str:
    """The cursor the server would hand out after ``seq``, signed with its secret: paging a
    million records through the API just to reach the head would dwarf the measurement."""
    from server.auth.principal import Principal
    from server.records.feed import Cursor

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            secret = conn.execute(
                text("SELECT value FROM server_settings WHERE key = 'token_secret'")
            ).scalar_one()
    finally:
        engine.dispose()
    principal = Principal("", "", "clerk", municipality_id, "")
    return Cursor(own=seq).encode(bytes.fromhex(secret), principal)


def _ticks(stat: str) -> int:
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _party(pid: int, stat: str, server_pid: int, database: str) -> str:
    parent = int(stat.rsplit(")", 1)[1].split()[1])
    if server_pid in (pid, parent):  # the server and its worker processes
        return "server"
    if pid == os.getpid():  # all the client threads
        return "clients"
    if stat[stat.index("(") + 1 : stat.rindex(")")].startswith("postgres"):
        return _postgres_party(pid, database)
    return "other"


def _postgres_party(pid: int, database: str) -> str:
    """A backend's title names its database ("postgres: 15/main: eakte eakte_bench_1
    127.0.0.1(5432) idle"), as does an autovacuum worker's: other databases' belong to other
    jobs on this machine. The cluster's own processes (WAL writer, checkpointer) count as
    this run's PostgreSQL."""
    words = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().split()
    words = [w for w in words[1:] if not w.endswith(":")]  # drop "postgres:" and "15/main:"
    if len(words) >= 3 and ("(" in words[2] or words[2] == "[local]"):
        return "postgres" if words[1] == database else "other"
    if words[:2] == ["autovacuum", "worker"] and len(words) == 3:
        return "postgres" if words[2] == database else "other"
    return "postgres"


def cpu_ticks(server_pid: int, database: str) -> dict[int, tuple[str, int]]:
    """CPU ticks so far per process: (party, ticks). Parties: the server (with its worker
    children), PostgreSQL serving this database, this process (all client threads)."""
    out: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            pid = int(entry.name)
            out[pid] = (_party(pid, stat, server_pid, database), _ticks(stat))
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    # user nice system idle iowait irq softirq steal: busy is all but idle and iowait
    out[0] = ("machine", sum(int(v) for i, v in enumerate(cpu[:8]) if i not in (3, 4)))
    return out


def cpu_share(
    before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]], seconds: float
) -> dict[str, float]:
    """Cores used on average over ``seconds``, per party. Processes that ended in between
    are missed (their time is in "other"); those that started count from zero."""
    hz = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(("server", "postgres", "clients", "other", "machine"), 0.0)
    for pid, (party, ticks) in after.items():
        used[party] += (ticks - before.get(pid, (party, 0))[1]) / hz / seconds
    # "other" is what the machine did besides the three parties, ended processes included.
    used["other"] = max(0.0, used["machine"] - used["server"] - used["postgres"] - used["clients"])
    return used
