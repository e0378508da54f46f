"""Server search over HTTP, on SQLite (FTS5) and PostgreSQL (German full text).

Documents are inserted as record rows plus ``index_document`` (what the mutation code does),
so these tests do not depend on the mutations endpoint.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from typing import Any

from sqlalchemy import select

from server import search as server_search
from server.db.tables import AuditEntry, DossierAccess, Municipality, RecordRow, SearchDocument
from tests.server.live import ApiClient, LiveServer

# --- helpers ---------------------------------------------------------------------------------


def _add_row(
    live: LiveServer,
    slug: str,
    kind: str,
    data: dict[str, Any],
    *,
    dossier_id: str | None = None,
    restricted: bool = False,
    full_text: str | None = None,
) -> str:
    record_id = str(uuid.uuid4())
    with live.ctx.db.write() as session:
        municipality = session.scalars(select(Municipality).where(Municipality.slug == slug)).one()
        municipality.change_seq += 1
        row = RecordRow(
            id=record_id,
            municipality_id=municipality.id,
            kind=kind,
            version=1,
            seq=municipality.change_seq,
            dossier_id=dossier_id or (record_id if kind == "dossier" else None),
            parent_id=data.get("case_id") or data.get("dossier_id"),
            restricted=restricted,
            data=data,
            created_by="test",
            updated_by="test",
        )
        session.add(row)
        if kind == "document":
            server_search.index_document(session, row, full_text)
    return record_id


def add_dossier(live: LiveServer, slug: str, title: str, *, restricted: bool = False) -> str:
    data = {
        "plan_unit_id": str(uuid.uuid4()),
        "reference": "022.1-0001/2026",
        "title": title,
        "restricted": restricted,
    }
    return _add_row(live, slug, "dossier", data, restricted=restricted)


def add_document(
    live: LiveServer, slug: str, dossier_id: str, title: str, text: str = "", **fields: Any
) -> str:
    data = {
        "dossier_id": dossier_id,
        "case_id": None,
        "title": title,
        "doc_type": "letter",
        "mime_type": "application/pdf",
        "file_name": fields.pop("file_name", "brief.pdf"),
        "received_on": "2026-03-02",
        "tags": [],
        **fields,
    }
    return _add_row(live, slug, "document", data, dossier_id=dossier_id, full_text=text)


def update_document(
    live: LiveServer, document_id: str, full_text: str | None, **changes: Any
) -> None:
    with live.ctx.db.write() as session:
        row = session.get(RecordRow, document_id)
        assert row is not None
        deleted = changes.pop("deleted", None)
        if deleted is not None:
            row.deleted = deleted
        row.data = {**row.data, **changes}
        row.version += 1
        server_search.index_document(session, row, full_text)


def grant(live: LiveServer, dossier_id: str, user_id: str, mode: str) -> None:
    with live.ctx.db.write() as session:
        session.add(DossierAccess(dossier_id=dossier_id, user_id=user_id, mode=mode))


def find(api: ApiClient, q: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get("/api/v1/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    hits: list[dict[str, Any]] = response.json()["hits"]
    return hits


def ids(hits: list[dict[str, Any]]) -> set[str]:
    return {hit["document_id"] for hit in hits}


def search_audit(live: LiveServer, slug: str) -> list[AuditEntry]:
    with live.ctx.db.read() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .join(Municipality, Municipality.id == AuditEntry.municipality_id)
                .where(Municipality.slug == slug, AuditEntry.action == "search_hit")
                .order_by(AuditEntry.seq)
            )
        )


# --- finding ---------------------------------------------------------------------------------


def test_finds_by_title_and_by_text_with_highlights(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Bauanträge 2026")
    by_title = add_document(live_server, "meinhard", dossier, "Baugenehmigung Scheune")
    by_text = add_document(
        live_server,
        "meinhard",
        dossier,
        "Schreiben vom Landkreis",
        "Sehr geehrte Damen und Herren, die Genehmigung für den Carport wird erteilt.",
    )
    add_document(live_server, "meinhard", dossier, "Etwas ganz anderes", "Hundesteuer")
    api = live_server.client("meinhard", "anna")

    hits = find(api, "Baugenehmigung")
    assert ids(hits) == {by_title}
    assert hits[0]["title"] == "Baugenehmigung Scheune"
    assert hits[0]["dossier_id"] == dossier
    assert hits[0]["received_on"] == "2026-03-02"
    assert hits[0]["municipality"] == "meinhard"

    hits = find(api, "Carport")
    assert ids(hits) == {by_text}
    snippet = hits[0]["snippet"]
    assert "Carport" in snippet
    marked = [snippet[start:end] for start, end in hits[0]["highlights"]]
    assert marked and all(m.lower() == "carport" for m in marked)


def test_metadata_is_searchable(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Post")
    doc = add_document(
        live_server,
        "meinhard",
        dossier,
        "Anfrage",
        sender="Zweckverband Abwasser",
        file_name="anfrage_kanal.pdf",
        tags=["Kanalnetz"],
    )
    api = live_server.client("meinhard", "anna")
    assert ids(find(api, "Zweckverband")) == {doc}
    assert ids(find(api, "Kanalnetz")) == {doc}


def test_ranks_title_matches_first(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Post")
    in_text = add_document(live_server, "meinhard", dossier, "Brief", "Es geht um den Friedhof.")
    in_title = add_document(live_server, "meinhard", dossier, "Friedhofssatzung Friedhof")
    hits = find(live_server.client("meinhard", "anna"), "Friedhof ")
    assert [h["document_id"] for h in hits] == [in_title, in_text]
    assert hits[0]["rank"] > hits[1]["rank"]


def test_umlauts(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Personal")
    doc = add_document(
        live_server, "meinhard", dossier, "Antrag Müller", "Frau Jürgens aus der Talstraße"
    )
    api = live_server.client("meinhard", "anna")
    assert ids(find(api, "Müller ")) == {doc}
    assert ids(find(api, "müller ")) == {doc}
    assert ids(find(api, "JÜRGENS ")) == {doc}
    assert ids(find(api, "Talstraße ")) == {doc}
    # NFD input (as macOS sends it) is the same word.
    assert ids(find(api, "Mu\u0308ller ")) == {doc}


def test_prefix_of_the_last_word_and_with_star(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Bauen")
    doc = add_document(live_server, "meinhard", dossier, "Bauantrag Gartenhaus", "Nordhang")
    api = live_server.client("meinhard", "anna")
    assert ids(find(api, "Bauan")) == {doc}  # still typing: a prefix
    assert ids(find(api, "Bauan*")) == {doc}
    assert ids(find(api, "Garten* Nordh")) == {doc}
    assert ids(find(api, "Bauan ")) == set()  # a finished word is a word
    assert ids(find(api, "Nordhang Bauan")) == {doc}


WEIRD_QUERIES = [
    '"',
    '"""',
    '"Bauantrag',
    'Bauantrag"',
    "AND OR NOT",
    "Bauantrag AND",
    "OR",
    "NOT Bauantrag",
    "*",
    "**",
    "Bau*trag",
    "(",
    "(Bauantrag OR",
    ")",
    "-",
    "- -",
    "-Bauantrag",
    "a:b",
    "title:Bauantrag",
    "NEAR(a b)",
    "^Bauantrag",
    "'",
    "\\",
    "&|!<->:*",
    "'Bau' & !x",
    "%",
    "_",
    "😀",
    "😀 Bauantrag 🏠",
    "Bau\u0000antrag",
    "Bauantrag\u0000",
    "\u0001\u001f",
    "x" * 500,
    ("Bauantrag " * 50)[:500],
    "ä" * 500,
    " ".join(["wort"] * 40),
    "Straße ß ẞ",
    "ﬁnanzen",  # ligature
    "\u202eevil",
    "汉字",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "; DROP TABLE records; --",
]


def test_any_input_is_answered(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Bauen")
    doc = add_document(live_server, "meinhard", dossier, "Bauantrag Gartenhaus", "Nordhang")
    api = live_server.client("meinhard", "anna")
    failures = []
    for q in WEIRD_QUERIES:
        response = api.get("/api/v1/search", params={"q": q})
        if response.status_code != 200 or not isinstance(response.json().get("hits"), list):
            failures.append((q[:40], response.status_code, response.text[:200]))
    assert failures == []
    # Punctuation around a word does not hide it.
    for q in ('"Bauantrag', "(Bauantrag)", "Bauantrag\u0000", "😀 Bauantrag 🏠", "Bauantrag*"):
        assert ids(find(api, q)) == {doc}, q


def test_invalid_parameters_are_4xx(live_server: LiveServer) -> None:
    api = live_server.client("meinhard", "anna")
    for params in (
        {},
        {"q": ""},
        {"q": "x" * 1001},
        {"q": "x", "limit": "0"},
        {"q": "x", "limit": "101"},
        {"q": "x", "limit": "viele"},
    ):
        response = api.get("/api/v1/search", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["code"] == "invalid_request"
    # Invalid UTF-8 in the query string is replaced, not a crash.
    response = api.get("/api/v1/search?q=%ff%fe%ed%a0%80")
    assert response.status_code in (200, 400, 422), response.text
    anonymous = live_server.client()
    response = anonymous.get("/api/v1/search", params={"q": "x"})
    assert response.status_code == 401


def test_limit(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Viele")
    for number in range(5):
        add_document(live_server, "meinhard", dossier, f"Rechnung {number}")
    api = live_server.client("meinhard", "anna")
    assert len(find(api, "Rechnung", limit=3)) == 3
    assert len(find(api, "Rechnung")) == 5


# --- what stays out --------------------------------------------------------------------------


def test_deleted_documents_are_not_found_and_restored_ones_are(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Papierkorb")
    doc = add_document(live_server, "meinhard", dossier, "Altpapier", "Wertstoffhof Sontra")
    api = live_server.client("meinhard", "anna")
    update_document(live_server, doc, None, deleted=True)
    assert find(api, "Altpapier") == []
    assert find(api, "Wertstoffhof") == []
    # Restored without new text: the old text is still indexed.
    update_document(live_server, doc, None, deleted=False)
    assert ids(find(api, "Wertstoffhof")) == {doc}


def test_update_without_text_keeps_the_text_and_new_text_replaces_it(
    live_server: LiveServer,
) -> None:
    dossier = add_dossier(live_server, "meinhard", "Post")
    doc = add_document(live_server, "meinhard", dossier, "Alt", "Feuerwehrhaus Dach")
    api = live_server.client("meinhard", "anna")
    update_document(live_server, doc, None, title="Neu", sender="Dachdecker Wagner")
    assert ids(find(api, "Feuerwehrhaus")) == {doc}
    assert ids(find(api, "Wagner")) == {doc}
    assert ids(find(api, "Neu ")) == {doc}
    assert find(api, "Alt ") == []
    update_document(live_server, doc, "Schwimmbad")
    assert find(api, "Feuerwehrhaus") == []
    assert ids(find(api, "Schwimmbad")) == {doc}
    assert ids(find(api, "Wagner")) == {doc}


def test_documents_of_a_deleted_dossier_are_not_found(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Weg")
    add_document(live_server, "meinhard", dossier, "Verschollen")
    with live_server.ctx.db.write() as session:
        row = session.get(RecordRow, dossier)
        assert row is not None
        row.deleted = True
    assert find(live_server.client("meinhard", "anna"), "Verschollen") == []


def test_another_municipality_is_never_found(live_server: LiveServer) -> None:
    own = add_dossier(live_server, "meinhard", "Meinhard")
    foreign = add_dossier(live_server, "sontra", "Sontra")
    mine = add_document(live_server, "meinhard", own, "Kirmes Festplatz")
    theirs = add_document(live_server, "sontra", foreign, "Kirmes Marktplatz")
    assert ids(find(live_server.client("meinhard", "anna"), "Kirmes")) == {mine}
    assert ids(find(live_server.client("sontra", "bert"), "Kirmes")) == {theirs}
    # Not even an administrator of one municipality sees another's.
    admin = live_server.client("meinhard", "root", role="admin")
    assert ids(find(admin, "Kirmes")) == {mine}


def test_restricted_dossier_only_for_members_and_audited(live_server: LiveServer) -> None:
    personnel = add_dossier(live_server, "meinhard", "Personalakte", restricted=True)
    secret = add_document(live_server, "meinhard", personnel, "Gehaltsabrechnung Schmidt")
    member_id = live_server.add_user("meinhard", "paula")
    grant(live_server, personnel, member_id, "member")
    outsider = live_server.client("meinhard", "anna")
    registrar = live_server.client("meinhard", "reg", role="registrar")
    member = live_server.client("meinhard", "paula")

    assert find(outsider, "Gehaltsabrechnung") == []
    assert find(registrar, "Gehaltsabrechnung") == []
    assert search_audit(live_server, "meinhard") == []

    assert ids(find(member, "Gehaltsabrechnung")) == {secret}
    entries = search_audit(live_server, "meinhard")
    assert len(entries) == 1
    assert entries[0].actor == "meinhard/paula"
    assert entries[0].kind == "document"
    assert entries[0].record_id == secret
    assert entries[0].details["dossier_id"] == personnel
    assert entries[0].details["query"] == "Gehaltsabrechnung"
    assert "via_share" not in entries[0].details


def test_unrestricted_hits_are_not_audited(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Offen")
    add_document(live_server, "meinhard", dossier, "Sitzungsprotokoll")
    assert len(find(live_server.client("meinhard", "anna"), "Sitzungsprotokoll")) == 1
    assert search_audit(live_server, "meinhard") == []


def test_shared_dossier_is_found_by_the_grantee_and_audited(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "sontra", "Vertretung Bauamt")
    shared = add_document(live_server, "sontra", dossier, "Gutachten Brücke", "Tragfähigkeit")
    other = add_dossier(live_server, "sontra", "Nicht geteilt")
    add_document(live_server, "sontra", other, "Gutachten Kita")
    neighbour_id = live_server.add_user("meinhard", "nachbar")
    grant(live_server, dossier, neighbour_id, "read")
    neighbour = live_server.client("meinhard", "nachbar")
    colleague = live_server.client("meinhard", "anna")

    hits = find(neighbour, "Gutachten")
    assert ids(hits) == {shared}
    assert hits[0]["municipality"] == "sontra"
    assert ids(find(neighbour, "Tragfähigkeit")) == {shared}
    assert find(colleague, "Gutachten") == []

    entries = search_audit(live_server, "sontra")
    assert [e.record_id for e in entries] == [shared, shared]
    assert all(e.actor == "meinhard/nachbar" and e.details["via_share"] for e in entries)
    assert search_audit(live_server, "meinhard") == []


def test_a_share_of_a_restricted_dossier_needs_no_membership(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "sontra", "Vertraulich", restricted=True)
    doc = add_document(live_server, "sontra", dossier, "Vertrauliche Stellungnahme")
    writer = live_server.add_user("meinhard", "vertretung")
    grant(live_server, dossier, writer, "write")
    assert ids(find(live_server.client("meinhard", "vertretung"), "Stellungnahme")) == {doc}
    assert find(live_server.client("sontra", "sachb"), "Stellungnahme") == []


def test_scope_is_applied_before_the_limit(live_server: LiveServer) -> None:
    """Many invisible matches must not crowd out the visible one from a small page."""
    restricted = add_dossier(live_server, "meinhard", "Geheim", restricted=True)
    foreign = add_dossier(live_server, "sontra", "Fremd")
    for number in range(8):
        add_document(live_server, "meinhard", restricted, f"Haushaltsplan Haushaltsplan {number}")
        add_document(live_server, "sontra", foreign, f"Haushaltsplan Haushaltsplan {number}")
    open_dossier = add_dossier(live_server, "meinhard", "Offen")
    visible = add_document(live_server, "meinhard", open_dossier, "Alter Entwurf", "Haushaltsplan")
    assert ids(find(live_server.client("meinhard", "anna"), "Haushaltsplan", limit=1)) == {visible}


# --- the index -------------------------------------------------------------------------------


def test_huge_text_is_indexed(live_server: LiveServer) -> None:
    """2 million characters of distinct words would pass PostgreSQL's tsvector limit."""
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyzäöü"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(5, 12))) for _ in range(1000)]
    words += ["".join(rng.choice(letters) for _ in range(9)) for _ in range(200_000)]
    huge = "Anfangswort " + " ".join(words)
    dossier = add_dossier(live_server, "meinhard", "Groß")
    doc = add_document(live_server, "meinhard", dossier, "Großes Dokument", huge)
    assert ids(find(live_server.client("meinhard", "anna"), "Anfangswort")) == {doc}
    with live_server.ctx.db.read() as session:
        entry = session.scalars(
            select(SearchDocument).where(SearchDocument.document_id == doc)
        ).first()
        assert entry is not None
        assert 0 < len(entry.body) <= server_search.MAX_TEXT_CHARS + 1000


def test_snippet_shows_a_match_deep_in_a_long_text(live_server: LiveServer) -> None:
    filler = " ".join(f"Füllwort{n}" for n in range(5000))
    dossier = add_dossier(live_server, "meinhard", "Lang")
    add_document(
        live_server, "meinhard", dossier, "Langer Bericht", f"{filler} Brandschau {filler}"
    )
    hits = find(live_server.client("meinhard", "anna"), "Brandschau")
    assert len(hits) == 1
    snippet = hits[0]["snippet"]
    assert [snippet[a:b] for a, b in hits[0]["highlights"]] == ["Brandschau"]
    assert len(snippet) < 400


def test_control_characters_and_markers_are_cleaned(live_server: LiveServer) -> None:
    dossier = add_dossier(live_server, "meinhard", "Roh")
    doc = add_document(
        live_server, "meinhard", dossier, "Roh\ue000text", "Null\u0000Byte\u0007 \ue000Marke\ue001"
    )
    api = live_server.client("meinhard", "anna")
    hits = find(api, "Marke")
    assert ids(hits) == {doc}
    assert "\ue000" not in hits[0]["snippet"]
    assert "\ue000" not in hits[0]["title"]
    with live_server.ctx.db.read() as session:
        entry = session.scalars(
            select(SearchDocument).where(SearchDocument.document_id == doc)
        ).first()
        assert entry is not None
        assert "\x00" not in entry.body and "\x07" not in entry.body


# --- query translation (no database) ---------------------------------------------------------


def test_fts5_query_quotes_everything() -> None:
    assert server_search.fts5_query("Bau antr") == '"Bau" "antr"*'
    assert server_search.fts5_query("Bau antr ") == '"Bau" "antr"'
    assert server_search.fts5_query('"Bau antrag" OR') == '"Bau antrag" "OR"*'
    assert server_search.fts5_query("a*b") == '"a*b"*'
    assert server_search.fts5_query('x"y') == '"x" "y"*'
    assert server_search.fts5_query("😀 * - ()") == ""
    assert server_search.fts5_query("") == ""


def test_pg_query_prefixes() -> None:
    q = server_search.pg_query("Bauantrag Gart")
    assert (q.head, q.prefixes) == ("Bauantrag ", ("Gart",))
    assert server_search.pg_query("Gart*").prefixes == ("Gart",)
    assert server_search.pg_query("Gart* Nordh").prefixes == ("Gart", "Nordh")
    assert server_search.pg_query("Gart ").prefixes == ()
    assert server_search.pg_query("a -Gart").prefixes == ()
    assert server_search.pg_query("a -Gart*").prefixes == ()
    assert server_search.pg_query("Müller-Lüd").prefixes == ("Lüd",)
    assert server_search.pg_query('"offene Phr').prefixes == ()
    assert server_search.pg_query("x'; drop").prefixes == ("drop",)
    assert server_search.pg_query("Ende.").prefixes == ()
    assert server_search.pg_query("a:*|b*").prefixes == ("b",)


def test_the_sqlite_index_survives_vacuum(live_server: LiveServer) -> None:
    """FTS5 points at search_documents by an explicit integer key, which VACUUM keeps."""
    if live_server.ctx.db.dialect != "sqlite":
        return
    api = live_server.client("meinhard", "anna")
    dossier = add_dossier(live_server, "meinhard", "Akte")
    first = add_document(live_server, "meinhard", dossier, "Erstes", "Baugenehmigung Sonnenweg")
    second = add_document(live_server, "meinhard", dossier, "Zweites", "Wasserzähler Ahornweg")
    with live_server.ctx.db.write() as session:  # leave a hole in the rowids, then compact
        entry = session.scalars(
            select(SearchDocument).where(SearchDocument.document_id == first)
        ).one()
        session.delete(entry)
    path = live_server.ctx.db.engine.url.database
    assert path is not None
    with sqlite3.connect(path) as conn:
        conn.execute("VACUUM")
    assert ids(find(api, "Wasserzähler")) == {second}
