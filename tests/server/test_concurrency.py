"""Several writers and a reader at once: sequence order is commit order, so a reader paging
through the feed while batches commit misses nothing and sees nothing twice per change."""

from __future__ import annotations

import threading
from typing import Any

from tests.server.live import LiveServer
from tests.server.records import create, document_fields, dossier_fields, new_id, unit_fields


def test_writers_and_a_paging_reader(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    unit, dossier = new_id(), new_id()
    registrar.mutate(
        create("plan_unit", unit_fields(), unit), create("dossier", dossier_fields(unit), dossier)
    )
    writers = [live_server.client("meinhard", f"clerk{n}") for n in range(4)]
    reader = live_server.client("meinhard", "leser")
    applied: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()

    def write(api: Any) -> None:
        try:
            for _ in range(6):
                batch = []
                for i in range(8):
                    # Every third mutation is refused (an unknown dossier): its savepoint is
                    # rolled back while the batch goes on.
                    target = dossier if i % 3 else new_id()
                    batch.append(create("document", document_fields(target, title=f"D{i}")))
                results = api.mutate(*batch)
                with lock:
                    applied.extend(r["record"]["id"] for r in results if r["status"] == "applied")
        except Exception as exc:
            errors.append(repr(exc))

    seen: list[tuple[str, int]] = []
    cursor: str | None = None

    def pull() -> bool:
        nonlocal cursor
        params: dict[str, Any] = {"limit": 7}
        if cursor:
            params["cursor"] = cursor
        page = reader.get("/api/v1/changes", params=params).json()
        seen.extend((c["id"], c["version"]) for c in page["changes"])
        cursor = page["cursor"]
        return bool(page["has_more"])

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        pull()
    for t in threads:
        t.join()
    while pull():
        pass
    assert errors == []
    assert len(applied) == 4 * 6 * 5
    seen_ids = [record_id for record_id, _version in seen]
    assert set(applied) <= set(seen_ids)
    # Documents are created once and never changed: each arrives exactly once.
    assert len(seen_ids) == len(set(seen_ids))
