"""The changes feed: paging, snapshot consistency, cursors, tenants, restriction and shares."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy import update as sql_update

from server.db.tables import Municipality
from tests.server.live import ApiClient, LiveServer
from tests.server.records import Tree, create, new_id, op, update


def pull_all(
    api: ApiClient, cursor: str | None = None, limit: int = 500
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    changes: list[dict[str, Any]] = []
    gone: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = api.get("/api/v1/changes", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        changes += page["changes"]
        gone += page["gone"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, gone, cursor


def test_pages_through_everything_once(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "rita", role="registrar")
    ids = [new_id() for _ in range(25)]
    api.mutate(
        *[create("plan_unit", {"code": str(i), "title": f"E{i}"}, rid) for i, rid in enumerate(ids)]
    )
    changes, _gone, cursor = pull_all(api, limit=10)
    assert [c["id"] for c in changes] == ids
    idle = api.get("/api/v1/changes", params={"cursor": cursor}).json()
    assert idle["changes"] == []
    assert idle["has_more"] is False


def test_a_change_committed_while_paging_is_not_missed(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "rita", role="registrar")
    ids = [new_id() for _ in range(6)]
    api.mutate(
        *[create("plan_unit", {"code": str(i), "title": f"E{i}"}, rid) for i, rid in enumerate(ids)]
    )
    first = api.get("/api/v1/changes", params={"limit": 3}).json()
    assert [c["id"] for c in first["changes"]] == ids[:3]
    # Meanwhile someone edits a record the client has already seen, and adds one.
    extra = new_id()
    api.mutate(
        update("plan_unit", ids[0], 1, title="geändert"),
        create("plan_unit", {"code": "x", "title": "neu"}, extra),
    )
    rest, _gone, _ = pull_all(api, first["cursor"], limit=3)
    assert [c["id"] for c in rest] == [*ids[3:], ids[0], extra]
    assert rest[3]["fields"]["title"] == "geändert"


def test_cursor_of_another_municipality_or_tampered_is_refused(live_server: LiveServer) -> None:
    meinhard = live_server.client("meinhard", "rita", role="registrar")
    sontra = live_server.client("sontra", "sven")
    cursor = meinhard.get("/api/v1/changes").json()["cursor"]
    response = sontra.get("/api/v1/changes", params={"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
    tampered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    assert meinhard.get("/api/v1/changes", params={"cursor": tampered}).status_code == 400


def test_a_server_behind_the_client_stops_sync(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "rita", role="registrar")
    api.mutate(*[create("plan_unit", {"code": str(i), "title": "E"}) for i in range(3)])
    _changes, _gone, cursor = pull_all(api)
    with live_server.ctx.db.write() as session:  # as if restored from last week's backup
        session.execute(
            sql_update(Municipality).where(Municipality.slug == "meinhard").values(change_seq=1)
        )
    response = api.get("/api/v1/changes", params={"cursor": cursor})
    assert response.status_code == 409
    assert response.json()["code"] == "cursor_ahead"


def test_a_server_behind_the_client_refuses_its_batch_and_applies_nothing(
    live_server: LiveServer,
) -> None:
    api = live_server.client("meinhard", "rita", role="registrar")
    api.mutate(*[create("plan_unit", {"code": str(i), "title": "E"}) for i in range(3)])
    _changes, _gone, cursor = pull_all(api)
    batch = {"client_id": api.client_id, "mutations": [], "cursor": cursor}
    batch["mutations"] = [
        {"mutation_id": api.next_mutation_id(), **create("plan_unit", {"code": "9", "title": "N"})}
    ]
    assert api.post("/api/v1/mutations", json=batch).status_code == 200  # in step: applied
    _changes, _gone, cursor = pull_all(api, cursor)
    with live_server.ctx.db.write() as session:  # as if restored from last week's backup
        session.execute(
            sql_update(Municipality).where(Municipality.slug == "meinhard").values(change_seq=1)
        )
    batch["cursor"] = cursor
    batch["mutations"] = [
        {"mutation_id": api.next_mutation_id(), **create("plan_unit", {"code": "8", "title": "X"})}
    ]
    response = api.post("/api/v1/mutations", json=batch)
    assert response.status_code == 409
    assert response.json()["code"] == "cursor_ahead"
    with live_server.ctx.db.read() as session:
        assert (
            session.scalar(select(Municipality.change_seq).where(Municipality.slug == "meinhard"))
            == 1
        )
    assert [c for c in pull_all(api)[0] if c["fields"].get("code") == "8"] == []

    sontra = live_server.client("sontra", "sven", role="registrar")
    batch["client_id"] = sontra.client_id
    refused = sontra.post("/api/v1/mutations", json=batch)  # another municipality's cursor
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_cursor"


def test_municipalities_see_only_their_own_records(live_server: LiveServer) -> None:
    meinhard = live_server.client("meinhard", "rita", role="registrar")
    sontra = live_server.client("sontra", "sven", role="registrar")
    Tree(meinhard)
    changes, _gone, _ = pull_all(sontra)
    assert changes == []
    # Using a record id of another municipality looks exactly like an unknown id.
    foreign = pull_all(meinhard)[0][0]["id"]
    unknown = new_id()
    a = sontra.mutate(update("plan_unit", foreign, 1, title="x"))[0]
    b = sontra.mutate(update("plan_unit", unknown, 1, title="x"))[0]
    assert a["error"] == b["error"]
    assert a["record"] is None


def test_restricted_dossiers_are_visible_only_to_members(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    member = live_server.client("meinhard", "paula")
    outsider = live_server.client("meinhard", "otto")
    tree = Tree(registrar, restricted_members=["paula"])
    member_ids = {c["id"] for c in pull_all(member)[0]}
    outsider_ids = {c["id"] for c in pull_all(outsider)[0]}
    assert {tree.dossier, tree.case, tree.document} <= member_ids
    assert not {tree.dossier, tree.case, tree.document} & outsider_ids
    assert tree.unit in outsider_ids
    refused = outsider.mutate(update("document", tree.document, 1, title="x"))[0]
    assert refused["error"]["code"] == "not_found"
    # Taking paula off the list: her next pull tells her to drop the dossier.
    _c, _g, cursor = pull_all(member)
    dossier = registrar.mutate(update("dossier", tree.dossier, 1, members=["rita"]))[0]
    assert dossier["status"] == "applied", dossier
    _changes, gone, _ = pull_all(member, cursor)
    assert {"kind": "dossier", "id": tree.dossier} in gone


def test_a_shared_dossier_reaches_the_neighbour_and_is_audited(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    neighbour = live_server.client("sontra", "sven")
    tree = Tree(registrar)
    _c, _g, cursor = pull_all(neighbour)
    shared = registrar.mutate(
        update(
            "dossier",
            tree.dossier,
            1,
            shares=[{"municipality": "sontra", "login": "sven", "mode": "read"}],
        )
    )[0]
    assert shared["status"] == "applied", shared
    changes, _gone, cursor = pull_all(neighbour, cursor)
    kinds = {c["kind"] for c in changes}
    assert {"share", "dossier", "case", "document"} <= kinds
    assert tree.unit not in {c["id"] for c in changes}
    refused = neighbour.mutate(update("document", tree.document, 1, title="x"))[0]
    assert refused["error"]["code"] == "forbidden"
    # Write access lets the neighbour work in the dossier; it stays Meinhard's record.
    registrar.mutate(
        update(
            "dossier",
            tree.dossier,
            2,
            shares=[{"municipality": "sontra", "login": "sven", "mode": "write"}],
        )
    )
    changes, _gone, cursor = pull_all(neighbour, cursor)
    edited = neighbour.mutate(update("document", tree.document, 1, title="von Sontra"))[0]
    assert edited["status"] == "applied", edited
    assert edited["record"]["municipality"] == "meinhard"
    # Withdrawn: gone at the next pull.
    registrar.mutate(update("dossier", tree.dossier, 3, shares=[]))
    changes, gone, _ = pull_all(neighbour, cursor)
    assert {"kind": "dossier", "id": tree.dossier} in gone
    log = registrar.get("/api/v1/audit", params={"limit": 1000}).json()["entries"]
    actions = [(e["action"], e["details"].get("via_share")) for e in log]
    assert ("share_granted", None) in actions
    assert ("read", True) in actions
    assert ("update", True) in actions
    assert ("share_revoked", None) in actions


def test_closing_is_visible_in_the_feed(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    tree = Tree(registrar)
    _c, _g, cursor = pull_all(registrar)
    registrar.mutate(op("dossier", tree.dossier, "close", 1))
    changes, _gone, _ = pull_all(registrar, cursor)
    assert {c["id"] for c in changes} == {tree.dossier, tree.case}
    assert all(c["closed_at"] for c in changes)
