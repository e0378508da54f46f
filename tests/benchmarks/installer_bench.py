"""Installer benchmark (issue 6): the size of the client package and the start of the frozen
app compared with ``uv run eakte``.

Needs a built package (``installer/build``: dist/eakte/ and dist/eakte-<version>.msi); without
one it says so and measures nothing (CI's tiny run comes before the installer step).

- Bundle: MB and files of dist/eakte/ (no floor: it is what it is).
- MSI: MB, against the bundle's MB as floor (the ratio is the cabinet's compression).
- Start: wall time from starting the process until the main window has been shown and
  grabbed (``--screenshot`` on an empty store: it writes the file once the window is ready,
  then quits), frozen app vs ``uv run eakte`` as floor. Offscreen, warm file cache (a start
  of each first, as on a PC used before), alternating order, median.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from tests.benchmarks.cache import REPO_ROOT
from tests.benchmarks.report import Row
from tests.benchmarks.timing import median

BUNDLE = REPO_ROOT / "dist" / "eakte"
TIMEOUT_S = 120
MB = 1024 * 1024


def _version() -> str:
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def _executable() -> Path | None:
    for name in ("eakte.exe", "eakte"):
        if (BUNDLE / name).is_file():
            return BUNDLE / name
    return None


def _folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files; a symbolic link (Linux bundles have some) counts once, as
    the link, though the MSI carries a copy."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def _start(command: list[str], home: Path, store: Path, shot: Path) -> float:
    """Seconds until the window's screenshot exists (the window was shown and painted)."""
    shot.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())  # no user settings or crash reports of the PC
    env["EAKTE_MACHINE_CONFIG"] = str(home / "no-machine-config.toml")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its bytecode
    started = time.perf_counter()
    child = subprocess.Popen(
        [*command, "--store", str(store), "--screenshot", str(shot)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=home,
        env=env,
    )
    try:
        while not (shot.exists() and shot.stat().st_size > 0):
            if child.poll() is not None:
                raise RuntimeError(f"{command[0]} ended without a window (exit {child.returncode})")
            if time.perf_counter() - started > TIMEOUT_S:
                raise RuntimeError(f"{command[0]}: no window after {TIMEOUT_S} s")
            time.sleep(0.01)
        return time.perf_counter() - started
    finally:
        child.wait(TIMEOUT_S)


def run(reps: int) -> list[Row]:
    executable = _executable()
    msi = REPO_ROOT / "dist" / f"eakte-{_version()}.msi"
    if executable is None or not msi.is_file():
        print("  skipped: no package in dist/ (build it with installer/build)")
        return []
    bundle_bytes, bundle_files = _folder_size(BUNDLE)
    uv = shutil.which("uv")
    rows = [
        Row("installer", "bundle dist/eakte/ (one folder)", bundle_bytes / MB, None, "MB"),
        Row("installer", "bundle files", bundle_files, None, ""),
        Row(
            "installer",
            f"MSI {msi.name} vs bundle",
            msi.stat().st_size / MB,
            bundle_bytes / MB,
            "MB",
        ),
    ]
    if uv is None:
        print("  start not measured: uv not found")
        return rows
    commands = {
        "frozen": [str(executable)],
        "uv run": [uv, "run", "--project", str(REPO_ROOT), "eakte"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="eakte-bench-installer-") as temp:
        home = Path(temp)
        store, shot = home / "store", home / "window.png"
        for command in commands.values():
            _start(command, home, store, shot)  # warm-up; the first one creates the store
        names = list(commands)
        for rep in range(reps):
            for name in names[rep % 2 :] + names[: rep % 2]:
                times[name].append(_start(commands[name], home, store, shot))
    rows.append(
        Row(
            "installer",
            "start to window: frozen app vs `uv run eakte`",
            median(times["frozen"]) * 1000,
            median(times["uv run"]) * 1000,
            "ms",
        )
    )
    return rows


if __name__ == "__main__":
    from tests.benchmarks.report import print_rows

    print_rows(run(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
