"""Upload throughput on loopback: ``BlobTransfers.upload`` against one raw ``requests.put``.

Each upload needs content the server does not have yet, so every run gets a variant of one
random buffer (its first 16 bytes numbered); making, hashing and storing the variant is not
timed. Ours uploads from the client's blob store, as a sync does, with a fresh
``BlobTransfers`` per run (the first upload of a sync run, which does not know the line's speed
yet). The floor PUTs the same number of bytes from a page-cached file with the protocol header
and the token; the server's ``max_blob_chunk_bytes`` is raised for this benchmark so that a
single PUT of that size is allowed (the client's own chunking does not depend on it). A second,
informational floor sends the chunks ours sent as raw PATCHes (the resumable protocol's least
work), which separates the client's cost from the protocol's. Each round runs the three, the
order rotating; figures are medians.
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
METHODS = ("ours", "put", "patch")


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
    times: dict[str, list[float]] = {"ours": [], "put": [], "patch": []}
    chunks: list[int] = []  # the chunk sizes ours sent, replayed by the raw PATCH floor
    for r in range(rounds):
        # Rotating; ours goes first in round 0: the PATCH floor replays its chunk sizes.
        for method in METHODS[r % 3 :] + METHODS[: r % 3]:
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
                chunks = sent.chunks
                continue
            raw_file.write_bytes(data)
            if method == "put":
                times["put"].append(_raw_put(url, auth.token(), raw_file, sha))
            else:
                times["patch"].append(_raw_patch(url, auth.token(), raw_file, sha, chunks))
            raw_file.unlink()
    shutil.rmtree(folder / "upload-blobs", ignore_errors=True)
    rate = {k: size / 1e6 / median(v) for k, v in times.items()}
    print(
        "    "
        + "; ".join(f"{k} {', '.join(f'{s:.2f}' for s in v)} s" for k, v in times.items())
        + f"; ours sent HEAD + {len(chunks)} PATCH of "
        + ", ".join(f"{c // MiB}" for c in chunks)
        + " MiB"
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
        Row(
            "Sync",
            f"upload of {size_mb} MiB vs raw PATCHes of the same chunks, MB/s",
            rate["ours"],
            rate["patch"],
            "MB/s",
            higher_is_better=True,
        ),
    ]


class _Counting(ServerClient):
    """The transport, noting the body size of each PATCH an upload sends."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.chunks: list[int] = []

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        if method == "PATCH":
            self.chunks.append(len(kwargs["data"]))
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


def _raw_patch(url: str, token: str, path: Path, sha: str, chunks: list[int]) -> float:
    """The resumable protocol's least work: the same chunks, read from the file, no HEAD, no
    hashing on the client."""
    if sum(chunks) != path.stat().st_size:
        raise RuntimeError("ours' chunks do not add up to the blob")
    http = session(token)
    total = str(sum(chunks))
    with path.open("rb") as body:
        started = time.perf_counter()
        offset = 0
        for chunk in chunks:
            response = http.patch(
                f"{url}/api/v1/blobs/{sha}",
                data=body.read(chunk),
                headers={
                    "Content-Type": "application/octet-stream",
                    "Upload-Offset": str(offset),
                    "Upload-Length": total,
                },
                timeout=600,
            )
            offset += chunk
            expected = 201 if offset == int(total) else 204
            if response.status_code != expected:
                raise RuntimeError(f"raw PATCH answered {response.status_code}: {response.text}")
        seconds = time.perf_counter() - started
    http.close()
    return seconds
