"""A clerk's sync in a process of its own, for tests that kill it (SIGKILL) mid-sync.

    python -m tests.sync.client_process STORE URL MUNICIPALITY LOGIN   (password on stdin)

The keyring is in memory (a fresh process has none): the process logs in first. It prints one
line per progress step, so the test knows when the sync is under way.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import keyring

from sync.engine.engine import SyncProgress
from tests.support.keyrings import MemoryKeyring
from tests.sync.harness import SyncClient


def main() -> int:
    store, url, municipality, login = sys.argv[1:5]
    password = sys.stdin.readline().rstrip("\n")
    keyring.set_keyring(MemoryKeyring())
    client = SyncClient(Path(store), url, municipality, login)

    def progress(step: SyncProgress) -> None:
        print(json.dumps({"phase": step.phase, "done": step.done}), flush=True)

    client.engine.progress = progress
    client.login(password)
    report = client.sync()
    print(json.dumps({"done": True, "pushed": report.pushed, "pulled": report.pulled}), flush=True)
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
