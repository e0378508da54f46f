"""Upload throughput on loopback: ``BlobTransfers.upload`` against one raw ``requests.put``.

Each upload needs content the server does not have yet, so every run gets a variant of one
random buffer (its first 16 bytes numbered); making, hashing and storing the variant is not
timed. Ours uploads from the client's blob store, as a sync does, with a fresh
``BlobTransfers`` per run: HEAD, then one PUT read from the store and hashed on the way (the
client verifies what it sends). The floor PUTs the same number of bytes from a page-cached file
with the protocol header and the token, nothing else. Each round runs both, the order
alternating; figures are medians.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import time
from pathlib import Path
from typing import Any

import requests

from sync.blobs.store import BlobStore
from sync.engine.transfers import Authorizer, BlobTransfers
from sync.transport import ServerClient
from tests.benchmarks.report import Row
from tests.benchmarks.sync_floor import session
from tests.benchmarks.timing import median

MiB = 1024 * 1024
METHODS = ("ours", "put")


class _Variants:
    def __init__(self, size: int, seed: int) -> None:
        self.buffer = bytearray(random.Random(seed).randbytes(size))
        self.made = 0

    def next(self) -> tuple[bytearray, str]:
        self.made += 1
        self.buffer[:16] = self.made.to_bytes(16, "big")
        return self.buffer, hashlib.sha256(self.buffer).hexdigest()


def run(
    url: str, auth: Authorizer, folder: Path, size_mb: int, rounds: int, seed: int
) -> list[Row]:
    size = size_mb * MiB
    folder.mkdir(parents=True, exist_ok=True)
    blobs = BlobStore(folder / "upload-blobs")
    variants = _Variants(size, seed)
    raw_file = folder / "upload-raw.bin"
    times: dict[str, list[float]] = {"ours": [], "put": []}
    requests_sent: list[str] = []
    for r in range(rounds):
        for method in METHODS[r % 2 :] + METHODS[: r % 2]:
            data, sha = variants.next()
            if method == "ours":
                blobs.commit(blobs.stage_bytes(bytes(data)))
                sent = _Counting(url)
                started = time.perf_counter()
                uploaded = BlobTransfers(sent, blobs, auth).upload(sha, size)
                times["ours"].append(time.perf_counter() - started)
                blobs.delete(sha)
                if not uploaded:
                    raise RuntimeError("the server had the upload's content already")
                requests_sent = sent.methods
                continue
            raw_file.write_bytes(data)
            times["put"].append(_raw_put(url, auth.token(), raw_file, sha))
            raw_file.unlink()
    shutil.rmtree(folder / "upload-blobs", ignore_errors=True)
    rate = {k: size / 1e6 / median(v) for k, v in times.items()}
    print(
        "    "
        + "; ".join(f"{k} {', '.join(f'{s:.2f}' for s in v)} s" for k, v in times.items())
        + f"; ours sent {' + '.join(requests_sent)}"
    )
    return [
        Row(
            "Sync",
            f"upload of {size_mb} MiB on loopback, MB/s (floor: one raw PUT)",
            rate["ours"],
            rate["put"],
            "MB/s",
            goal="≥ 0.7× raw (ratio ≤ 1.43)",
            met=rate["ours"] / rate["put"] >= 0.7,
            higher_is_better=True,
        ),
    ]


class _Counting(ServerClient):
    """The transport, noting the requests an upload sends."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.methods: list[str] = []

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        self.methods.append(method)
        return super().request(method, path, **kwargs)


def _raw_put(url: str, token: str, path: Path, sha: str) -> float:
    http = session(token)
    with path.open("rb") as body:
        started = time.perf_counter()
        response = http.put(
            f"{url}/api/v1/blobs/{sha}",
            data=body,
            headers={"Content-Type": "application/octet-stream"},
            timeout=600,
        )
        seconds = time.perf_counter() - started
    http.close()
    if response.status_code != 201:
        raise RuntimeError(f"raw PUT answered {response.status_code}: {response.text[:300]}")
    return seconds
