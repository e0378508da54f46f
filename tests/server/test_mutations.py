"""Mutations over HTTP: conditional updates, replays, zdA, permissions, per-item rejection."""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select

from server.db.tables import AuditEntry, RecordRow
from tests.server.live import LiveServer
from tests.server.records import (
    Tree,
    create,
    document_fields,
    dossier_fields,
    new_id,
    op,
    update,
)


def test_created_records_come_back_with_version_one(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    tree = Tree(registrar)
    results = registrar.mutate(update("document", tree.document, 1, title="Antrag (ergänzt)"))
    assert results[0]["status"] == "applied"
    record = results[0]["record"]
    assert record["version"] == 2
    assert record["municipality"] == "meinhard"
    assert record["fields"]["title"] == "Antrag (ergänzt)"
    assert record["updated_by"] == "meinhard/rita"


def test_a_replayed_batch_is_answered_not_applied_twice(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "rita", role="registrar")
    unit = new_id()
    batch = {
        "client_id": api.client_id,
        "mutations": [{"mutation_id": 1, **create("plan_unit", {"code": "1", "title": "A"}, unit)}],
    }
    first = api.post("/api/v1/mutations", json=batch).json()
    again = api.post("/api/v1/mutations", json=batch).json()  # the reply was lost
    assert first["results"][0]["status"] == "applied"
    assert again["results"][0]["status"] == "duplicate"
    assert again["results"][0]["record"]["id"] == unit
    assert again["last_mutation_id"] == 1
    with live_server.ctx.db.read() as session:
        assert session.scalar(select(func.count()).select_from(RecordRow)) == 1


def test_stale_update_is_answered_with_the_current_state(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    other = live_server.client("meinhard", "otto")
    tree = Tree(registrar)
    assert (
        other.mutate(update("case", tree.case, 1, title="Neu von Otto"))[0]["status"] == "applied"
    )
    result = registrar.mutate(update("case", tree.case, 1, title="Neu von Rita"))[0]
    assert result["status"] == "stale"
    assert result["error"]["code"] == "stale_base_version"
    assert result["record"]["version"] == 2
    assert result["record"]["fields"]["title"] == "Neu von Otto"


def test_one_refused_mutation_does_not_stop_the_batch(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    tree = Tree(registrar)
    good, bad, after = new_id(), new_id(), new_id()
    results = registrar.mutate(
        create("document", document_fields(tree.dossier, title="gut"), good),
        create("document", document_fields(new_id(), title="ohne Akte"), bad),
        create("document", document_fields(tree.dossier, title="danach"), after),
    )
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["error"]["code"] == "not_found"
    with live_server.ctx.db.read() as session:
        assert session.get(RecordRow, bad) is None
        seqs = sorted(session.scalars(select(RecordRow.seq)))
    assert seqs == list(range(1, len(seqs) + 1)), "a refused mutation leaves no gap"


def test_closed_records_refuse_changes_with_a_reason(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    clerk = live_server.client("meinhard", "otto")
    tree = Tree(registrar, clerk)
    refused = clerk.mutate(op("case", tree.case, "close", 1))[0]
    assert refused["status"] == "rejected"
    assert refused["error"]["code"] == "forbidden"
    closed = registrar.mutate(op("dossier", tree.dossier, "close", 1))[0]
    assert closed["status"] == "applied"
    assert closed["record"]["closed_at"] is not None
    results = clerk.mutate(
        create("document", document_fields(tree.dossier, tree.case, title="zu spät")),
        update("document", tree.document, 1, title="geändert"),
    )
    assert [r["error"]["code"] for r in results] == ["record_closed", "record_closed"]
    assert "zdA" in results[0]["error"]["message"]
    # Closing the dossier closed its case too; the case can only reopen after the dossier.
    case = registrar.mutate(op("case", tree.case, "reopen", 2))[0]
    assert case["status"] == "rejected", case
    assert registrar.mutate(op("dossier", tree.dossier, "reopen", 2))[0]["status"] == "applied"


def test_permissions_of_roles(live_server: LiveServer) -> None:
    clerk = live_server.client("meinhard", "otto")
    result = clerk.mutate(create("plan_unit", {"code": "9", "title": "Sonstiges"}))[0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"


def test_invalid_fields_are_refused_per_item(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    tree = Tree(registrar)
    results = registrar.mutate(
        create("document", {**document_fields(tree.dossier), "title": ""}),
        create("document", {**document_fields(tree.dossier), "colour": "blau"}),
        create("document", {**document_fields(tree.dossier), "file_name": "../../etc/passwd"}),
        update("document", tree.document, 1, colour="blau"),
    )
    assert [r["status"] for r in results] == ["rejected"] * 4
    assert all(r["error"]["code"] == "invalid" for r in results)


def test_text_is_stored_in_nfc(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    tree = Tree(registrar)
    nfd = unicodedata.normalize("NFD", "Größenänderung Müller")
    result = registrar.mutate(update("document", tree.document, 1, title=nfd))[0]
    assert result["record"]["fields"]["title"] == unicodedata.normalize("NFC", nfd)


def test_delete_and_restore_order(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    tree = Tree(registrar)
    results = registrar.mutate(
        op("case", tree.case, "delete", 1),
        op("document", tree.document, "restore", 1),
    )
    assert results[0]["status"] == "applied"
    assert results[0]["record"]["deleted"] is True
    # Restoring what is not deleted changes nothing but is not an error.
    assert results[1]["status"] == "applied"
    doc_deleted = registrar.mutate(op("document", tree.document, "delete", 2))[0]
    assert doc_deleted["status"] == "applied"
    refused = registrar.mutate(op("document", tree.document, "restore", 3))[0]
    assert refused["error"]["code"] == "parent_deleted"


def test_a_client_id_belongs_to_one_user(live_server: LiveServer) -> None:
    rita = live_server.client("meinhard", "rita", role="registrar")
    otto = live_server.client("meinhard", "otto")
    rita.mutate(create("plan_unit", {"code": "1", "title": "A"}))
    otto.client_id = rita.client_id
    response = otto.post(
        "/api/v1/mutations",
        json={
            "client_id": otto.client_id,
            "mutations": [{"mutation_id": 5, **create("plan_unit", {"code": "2", "title": "B"})}],
        },
    )
    assert response.status_code == 409
    assert response.json()["code"] == "client_id_taken"


def test_every_change_is_audited(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    tree = Tree(registrar)
    registrar.mutate(update("document", tree.document, 1, title="neu"))
    with live_server.ctx.db.read() as session:
        actions = list(
            session.execute(select(AuditEntry.action, AuditEntry.kind).order_by(AuditEntry.seq))
        )
    assert ("login", None) in actions
    assert ("create", "document") in actions
    assert ("update", "document") in actions


def test_an_aktenzeichen_names_one_dossier_of_a_municipality(live_server: LiveServer) -> None:
    registrar = live_server.client("meinhard", "rita", role="registrar")
    tree = Tree(registrar)
    with live_server.ctx.db.read() as session:
        taken = session.get_one(RecordRow, tree.dossier).data["reference"]
    again = {**dossier_fields(tree.unit, title="Zweite Akte"), "reference": taken}
    other = dossier_fields(tree.unit, title="Dritte Akte")
    results = registrar.mutate(create("dossier", again), create("dossier", other))
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert results[0]["error"]["code"] == "reference_taken"
    assert taken in results[0]["error"]["message"]
    renamed = update("dossier", results[1]["record"]["id"], 1, reference=taken)
    refused = registrar.mutate(renamed)[0]
    assert refused["status"] == "rejected" and refused["error"]["code"] == "reference_taken"
    # Another municipality may use the same Aktenzeichen.
    neighbour = live_server.client("sontra", "sven", role="registrar")
    unit = new_id()
    made = neighbour.mutate(
        create("plan_unit", {"code": "022.1", "title": "Bauanträge"}, unit),
        create("dossier", {**dossier_fields(unit), "reference": taken}),
    )
    assert [r["status"] for r in made] == ["applied", "applied"]
