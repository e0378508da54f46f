"""The audit route (permissions, paging, tenant scope) and chain verification against
tampering, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import delete, select, update

from server import audit
from server.db.tables import AuditEntry, Municipality
from tests.server.live import LiveServer


def municipality_id(live: LiveServer, slug: str) -> str:
    with live.ctx.db.read() as session:
        return session.scalars(select(Municipality.id).where(Municipality.slug == slug)).one()


def append(live: LiveServer, slug: str, count: int, action: str = "test") -> str:
    mid = municipality_id(live, slug)
    with live.ctx.db.write() as session:
        for number in range(count):
            audit.record(
                session,
                mid,
                f"{slug}/tester",
                action,
                kind="document",
                record_id=f"doc-{number}",
                details={"number": number, "note": "Prüfung äöü €", "nested": {"a": [1, 2.5]}},
            )
    return mid


def chain_problems(live: LiveServer, mid: str) -> list[str]:
    with live.ctx.db.read() as session:
        return audit.verify_chain(session, mid)


# --- route -----------------------------------------------------------------------------------


def test_clerks_may_not_read_the_log(live_server: LiveServer) -> None:
    response = live_server.client("meinhard", "anna").get("/api/v1/audit")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert "Registratur" in body["message"]


def test_anonymous_is_refused(live_server: LiveServer) -> None:
    assert live_server.client().get("/api/v1/audit").status_code == 401


def test_registrar_and_admin_page_through_their_own_log(live_server: LiveServer) -> None:
    append(live_server, "sontra", 3, "fremd")
    registrar = live_server.client("meinhard", "reg", role="registrar")
    admin = live_server.client("meinhard", "root", role="admin")
    append(live_server, "meinhard", 7)

    for api in (registrar, admin):
        seen: list[dict] = []
        after = 0
        pages = 0
        while True:
            response = api.get("/api/v1/audit", params={"after": after, "limit": 3})
            assert response.status_code == 200, response.text
            page = response.json()
            seen.extend(page["entries"])
            pages += 1
            if page["next_after"] is None:
                break
            assert page["next_after"] == page["entries"][-1]["seq"]
            after = page["next_after"]
        seqs = [entry["seq"] for entry in seen]
        assert seqs == list(range(1, len(seen) + 1))
        assert pages == -(-len(seen) // 3)
        # The two logins and the seven test entries; nothing of Sontra's.
        actions = [entry["action"] for entry in seen]
        assert actions.count("test") == 7
        assert "fremd" not in actions
        assert all(not entry["actor"].startswith("sontra/") for entry in seen)
        # Chained: every entry points at the previous one.
        for previous, entry in itertools.pairwise(seen):
            assert entry["prev_hash"] == previous["hash"]
        test_entry = next(entry for entry in seen if entry["action"] == "test")
        assert test_entry["details"]["note"] == "Prüfung äöü €"
        assert test_entry["kind"] == "document"


def test_paging_past_the_end_and_bad_parameters(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "reg", role="registrar")
    response = api.get("/api/v1/audit", params={"after": 10_000})
    assert response.status_code == 200
    assert response.json() == {"entries": [], "next_after": None}
    for params in ({"after": -1}, {"limit": 0}, {"limit": 1001}, {"after": "x"}):
        response = api.get("/api/v1/audit", params=params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid_request"


# --- verification ----------------------------------------------------------------------------


def test_an_untouched_chain_verifies(live_server: LiveServer) -> None:
    mid = append(live_server, "meinhard", 5)
    assert chain_problems(live_server, mid) == []
    # An empty chain verifies too.
    assert chain_problems(live_server, municipality_id(live_server, "ringgau")) == []


def test_edited_details_are_detected(live_server: LiveServer) -> None:
    mid = append(live_server, "meinhard", 5)
    with live_server.ctx.db.write() as session:
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.municipality_id == mid, AuditEntry.seq == 3)
            .values(details={"number": 99})
        )
    problems = chain_problems(live_server, mid)
    assert problems == ["Eintrag 3: Inhalt passt nicht zur Prüfsumme (nachträglich geändert)."]


def test_edited_time_actor_and_action_are_detected(live_server: LiveServer) -> None:
    mid = append(live_server, "meinhard", 4)
    changes = [
        {"actor": "meinhard/someone-else"},
        {"action": "harmless"},
        {"record_id": "doc-x"},
        {"kind": None},
    ]
    for seq, values in enumerate(changes, start=1):
        with live_server.ctx.db.write() as session:
            session.execute(
                update(AuditEntry)
                .where(AuditEntry.municipality_id == mid, AuditEntry.seq == seq)
                .values(**values)
            )
    assert len(chain_problems(live_server, mid)) == 4

    mid = append(live_server, "sontra", 3)
    with live_server.ctx.db.write() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.municipality_id == mid, AuditEntry.seq == 2)
        ).one()
        entry.at = entry.at + timedelta(microseconds=1)
    assert chain_problems(live_server, mid) == [
        "Eintrag 2: Inhalt passt nicht zur Prüfsumme (nachträglich geändert)."
    ]


def test_an_edit_with_a_recomputed_hash_is_detected_by_its_successor(
    live_server: LiveServer,
) -> None:
    mid = append(live_server, "meinhard", 4)
    with live_server.ctx.db.write() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.municipality_id == mid, AuditEntry.seq == 2)
        ).one()
        entry.details = {"number": 1000}
        entry.hash = audit.chain_hash(
            entry.prev_hash,
            audit.canonical(
                entry.seq,
                entry.at,
                entry.actor,
                entry.action,
                entry.kind,
                entry.record_id,
                entry.details,
            ),
        )
    assert chain_problems(live_server, mid) == [
        "Eintrag 3: Verweis auf den Vorgänger stimmt nicht."
    ]


def test_a_deleted_entry_is_detected(live_server: LiveServer) -> None:
    mid = append(live_server, "meinhard", 5)
    with live_server.ctx.db.write() as session:
        session.execute(
            delete(AuditEntry).where(AuditEntry.municipality_id == mid, AuditEntry.seq == 2)
        )
    problems = chain_problems(live_server, mid)
    assert "Eintrag 2 fehlt (Lücke vor Eintrag 3)." in problems
    assert "Eintrag 3: Verweis auf den Vorgänger stimmt nicht." in problems


def test_reordered_entries_are_detected(live_server: LiveServer) -> None:
    mid = append(live_server, "meinhard", 5)
    where = (AuditEntry.municipality_id == mid,)
    with live_server.ctx.db.write() as session:
        session.execute(update(AuditEntry).where(*where, AuditEntry.seq == 2).values(seq=-2))
        session.execute(update(AuditEntry).where(*where, AuditEntry.seq == 4).values(seq=2))
        session.execute(update(AuditEntry).where(*where, AuditEntry.seq == -2).values(seq=4))
    problems = chain_problems(live_server, mid)
    assert "Eintrag 2: Inhalt passt nicht zur Prüfsumme (nachträglich geändert)." in problems
    assert "Eintrag 4: Inhalt passt nicht zur Prüfsumme (nachträglich geändert)." in problems


def test_a_cut_off_tail_is_detected(live_server: LiveServer) -> None:
    mid = append(live_server, "meinhard", 5)
    with live_server.ctx.db.write() as session:
        session.execute(
            delete(AuditEntry).where(AuditEntry.municipality_id == mid, AuditEntry.seq >= 4)
        )
    problems = chain_problems(live_server, mid)
    assert len(problems) == 1
    assert problems[0].startswith("Kettenende: laut Kommune 5 Einträge, vorhanden bis 3")


def test_a_rewritten_head_is_detected(live_server: LiveServer) -> None:
    mid = append(live_server, "meinhard", 2)
    with live_server.ctx.db.write() as session:
        session.execute(
            update(Municipality).where(Municipality.id == mid).values(audit_head="f" * 64)
        )
    assert chain_problems(live_server, mid) == [
        "Kettenende: gespeicherte Prüfsumme passt nicht zum letzten Eintrag."
    ]


def test_many_problems_are_summarised(live_server: LiveServer) -> None:
    mid = append(live_server, "meinhard", audit.MAX_PROBLEMS + 20)
    with live_server.ctx.db.write() as session:
        session.execute(
            update(AuditEntry).where(AuditEntry.municipality_id == mid).values(actor="x")
        )
    problems = chain_problems(live_server, mid)
    assert len(problems) == audit.MAX_PROBLEMS + 1
    assert problems[-1] == "… und 20 weitere Probleme."
