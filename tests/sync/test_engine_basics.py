"""The sync engine against the real server (SQLite and PostgreSQL): the basic round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.records.model import Case, Document, Dossier, FieldConflict, OutboxEntry, Version
from tests.server.live import LiveServer
from tests.sync.harness import make_client

pytestmark = pytest.mark.usefixtures("live_server")


def test_offline_create_reaches_the_other_client_exactly_once(
    live_server: LiveServer, tmp_path: Path
) -> None:
    registrar = make_client(tmp_path, live_server, "meinhard", "reg", role="registrar")
    clerk = make_client(tmp_path, live_server, "meinhard", "anna")
    unit = registrar.plan_unit("022", "Bauwesen")
    dossier = registrar.dossier(unit, "Bauantrag Müller")
    case = registrar.case(dossier, "Erstantrag")
    doc = registrar.file(case, "antrag.txt", b"Antrag auf Baugenehmigung")
    report = registrar.sync()
    assert report.rejected == 0, report.problems
    assert report.pushed >= 5
    # Replaying the same run changes nothing: the outbox is empty.
    again = registrar.sync()
    assert again.pushed == 0

    clerk.sync()
    assert clerk.get(Dossier, dossier).title == "Bauantrag Müller"
    assert clerk.get(Case, case).dossier_id == dossier
    document = clerk.get(Document, doc)
    assert document.title
    with clerk.store.read() as s:
        versions = s.query(Version).filter_by(document_id=doc).all()
    assert len(versions) == 1
    assert clerk.store.blobs.read_bytes(versions[0].blob_sha256) == b"Antrag auf Baugenehmigung"
    assert clerk.titles() == registrar.titles()


def test_metadata_merges_per_field_and_same_field_keeps_both(
    live_server: LiveServer, tmp_path: Path
) -> None:
    a = make_client(tmp_path, live_server, "meinhard", "reg", role="registrar")
    b = make_client(tmp_path, live_server, "meinhard", "bert")
    unit = a.plan_unit("022", "Bauwesen")
    dossier = a.dossier(unit, "Akte")
    case = a.case(dossier, "Vorgang")
    doc = a.file(case, "brief.txt", b"Brief")
    a.sync()
    b.sync()
    # Both edit offline: different fields merge, the same field is a visible conflict.
    a.edit(Document, doc, title="Titel von A", sender="Absender A")
    b.edit(Document, doc, title="Titel von B", recipient="Empfänger B")
    a.sync()
    report = b.sync()
    assert report.conflicts == 1
    a.sync()
    da, db = a.get(Document, doc), b.get(Document, doc)
    assert (da.title, da.sender, da.recipient) == (db.title, db.sender, db.recipient)
    assert da.title == "Titel von A"  # the server's value is shown ...
    assert db.recipient == "Empfänger B" and db.sender == "Absender A"
    with b.store.read() as s:
        conflict = s.query(FieldConflict).one()  # ... and B's value is kept
        assert (conflict.field, conflict.mine, conflict.theirs) == (
            "title",
            "Titel von B",
            "Titel von A",
        )
        assert s.query(OutboxEntry).count() == 0
