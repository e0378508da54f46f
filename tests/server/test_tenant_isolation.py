"""Tenant isolation: users of Sontra call every endpoint with Meinhard's ids.

Meinhard builds a full tree (plan unit, a normal and a restricted dossier, case, document,
an uploaded blob with its version, a note, an unfinished upload). Sontra's clerk, registrar and
admin - with the same logins as Meinhard's users, so that a name on a restricted dossier's
member list means nothing across municipalities - then read, change and upload with those ids.
Every answer must be the one for an id that does not exist, and nothing of Meinhard's may change.

The test enumerates the routes of the OpenAPI document and fails if one of them was not called
by a Sontra client here: a new endpoint needs its isolation check.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import func, select

from server.db.tables import AuditEntry, BlobOwner, Municipality, RecordRow, Upload
from server.municipalities import municipality_id
from tests.server.live import ApiClient, LiveServer
from tests.server.records import create, document_fields, dossier_fields, new_id, op, update

MEINHARD = municipality_id("meinhard")
SONTRA_ROLES = {"clerk": "otto", "registrar": "rita", "admin": "root"}

DOCUMENT_TITLE = "Bauvoranfrage Schwalbenweg 12"
RESTRICTED_TITLE = "Personalakte Wagenknecht"
FULL_TEXT = "Grundstücksteilung Flurstück achtundvierzig"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_url(digest: str) -> str:
    return f"/api/v1/blobs/{digest}"


# --- Meinhard's world --------------------------------------------------------------------------


@dataclass
class Meinhard:
    rita: ApiClient
    unit: str = field(default_factory=new_id)
    dossier: str = field(default_factory=new_id)
    restricted: str = field(default_factory=new_id)
    case: str = field(default_factory=new_id)
    document: str = field(default_factory=new_id)
    restricted_document: str = field(default_factory=new_id)
    version: str = field(default_factory=new_id)
    note: str = field(default_factory=new_id)
    blob: bytes = b"Meinhard: Bauvoranfrage, Seite 1 von 1\n" * 50
    partial: bytes = b"Meinhard: halb hochgeladen " * 40
    partial_offset: int = 100
    cursor: str = ""
    versions: dict[str, int] = field(default_factory=dict)

    @property
    def kinds(self) -> dict[str, str]:
        return {
            self.unit: "plan_unit",
            self.dossier: "dossier",
            self.restricted: "dossier",
            self.case: "case",
            self.document: "document",
            self.restricted_document: "document",
            self.version: "version",
            self.note: "note",
        }


def build_meinhard(live: LiveServer) -> Meinhard:
    rita = live.client("meinhard", "rita", role="registrar")
    live.client("meinhard", "otto")
    live.client("meinhard", "greta")  # a login that exists only in Meinhard
    m = Meinhard(rita)
    results = rita.mutate(
        create("plan_unit", {"code": "022.1", "title": "Bauanträge"}, m.unit),
        create("dossier", dossier_fields(m.unit, "Schwalbenweg 12"), m.dossier),
        create(
            "dossier",
            dossier_fields(m.unit, RESTRICTED_TITLE, restricted=True, members=["rita", "otto"]),
            m.restricted,
        ),
        create("case", {"dossier_id": m.dossier, "title": "Voranfrage"}, m.case),
        create(
            "document",
            document_fields(m.dossier, m.case, title=DOCUMENT_TITLE),
            m.document,
            text=FULL_TEXT,
        ),
        create(
            "document",
            document_fields(m.restricted, title=RESTRICTED_TITLE),
            m.restricted_document,
            text=f"{RESTRICTED_TITLE} Beurteilung",
        ),
    )
    assert [r["status"] for r in results] == ["applied"] * 6, results
    assert rita.put(blob_url(sha(m.blob)), data=m.blob).status_code == 201
    results = rita.mutate(
        create(
            "version",
            {
                "document_id": m.document,
                "number": 1,
                "blob_sha256": sha(m.blob),
                "size": len(m.blob),
                "file_name": "voranfrage.pdf",
            },
            m.version,
        ),
        create(
            "note",
            {"target_kind": "document", "target_id": m.document, "text": "Rückruf erbeten"},
            m.note,
        ),
    )
    assert [r["status"] for r in results] == ["applied"] * 2, results
    response = rita.patch(
        blob_url(sha(m.partial)),
        data=m.partial[: m.partial_offset],
        headers={"Upload-Offset": "0", "Upload-Length": str(len(m.partial))},
    )
    assert response.status_code == 204, response.text
    m.cursor = rita.get("/api/v1/changes").json()["cursor"]
    with live.ctx.db.read() as session:
        m.versions = dict(
            session.execute(
                select(RecordRow.id, RecordRow.version).where(RecordRow.municipality_id == MEINHARD)
            ).all()
        )
    assert set(m.kinds) <= set(m.versions)
    return m


def snapshot(live: LiveServer) -> dict[str, Any]:
    """Everything of Meinhard's that a request could change."""
    with live.ctx.db.read() as session:
        records = session.execute(
            select(
                RecordRow.id,
                RecordRow.version,
                RecordRow.seq,
                RecordRow.deleted,
                RecordRow.closed_at,
                RecordRow.data,
                RecordRow.updated_by,
            )
            .where(RecordRow.municipality_id == MEINHARD)
            .order_by(RecordRow.id)
        ).all()
        municipality = session.get(Municipality, MEINHARD)
        assert municipality is not None
        return {
            "records": [tuple(r) for r in records],
            "change_seq": municipality.change_seq,
            "audit": (municipality.audit_seq, municipality.audit_head),
            "audit_rows": session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.municipality_id == MEINHARD)
            ),
            "blobs": sorted(
                session.scalars(
                    select(BlobOwner.sha256).where(BlobOwner.municipality_id == MEINHARD)
                )
            ),
            "uploads": session.execute(
                select(Upload.sha256, Upload.offset, Upload.length).where(
                    Upload.municipality_id == MEINHARD
                )
            ).all(),
        }


# --- Sontra's clients, with a record of the routes they called ---------------------------------


class Coverage:
    """Which operations of the OpenAPI document have been called. (The document rather than
    ``app.routes``: FastAPI 0.165 keeps included routers behind private wrappers there; every
    route of the server is in the document, none is ``include_in_schema=False``.)"""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.routes: dict[tuple[str, str], re.Pattern[str]] = {}
        for path, operations in spec["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "$")
            for method in operations:
                self.routes[(method.upper(), path)] = pattern
        self.called: set[tuple[str, str]] = set()

    def hook(self, response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        request = response.request
        assert request.method is not None and request.path_url is not None
        path = request.path_url.split("?", 1)[0]
        for (method, template), pattern in self.routes.items():
            if method == request.method and pattern.match(path):
                self.called.add((method, template))

    def client(self, live: LiveServer, login: str | None = None, role: str = "clerk") -> ApiClient:
        api = ApiClient(live.base_url)
        api.hooks["response"].append(self.hook)
        if login is not None:
            if ("sontra", login) not in live.users:
                live.add_user("sontra", login, role)
            api.login("sontra", login)
        return api


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "mutation_id"}


# --- the checks, one group per endpoint --------------------------------------------------------


def check_changes(sontra: ApiClient, m: Meinhard) -> None:
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        params = {"cursor": cursor} if cursor else {}
        page = sontra.get("/api/v1/changes", params=params).json()
        for record in page["changes"]:
            assert record["municipality"] == "sontra", record
            seen.add(record["id"])
        seen.update(ref["id"] for ref in page["gone"])
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert not seen & set(m.kinds)
    foreign = sontra.get("/api/v1/changes", params={"cursor": m.cursor})
    garbage = sontra.get("/api/v1/changes", params={"cursor": m.cursor[:-4] + "AAAA"})
    assert foreign.status_code == garbage.status_code == 400
    assert foreign.json() == garbage.json()
    assert foreign.json()["code"] == "invalid_cursor"


def _update_fields(kind: str) -> dict[str, Any]:
    return {
        "plan_unit": {"title": "Übernommen"},
        "dossier": {"title": "Übernommen"},
        "case": {"title": "Übernommen"},
        "document": {"title": "Übernommen"},
        "version": {"created_by": "sontra"},
        "note": {"text": "Übernommen"},
    }[kind]


@dataclass
class Own:
    """Sontra's own plan unit, dossier and document (and an uploaded blob) to point from."""

    unit: str
    dossier: str
    document: str
    blob: bytes


def build_own(registrar: ApiClient) -> Own:
    own = Own(new_id(), new_id(), new_id(), b"Sontra: eigene Datei")
    assert registrar.put(blob_url(sha(own.blob)), data=own.blob).status_code == 201
    results = registrar.mutate(
        create("plan_unit", {"code": "1", "title": "Eigen"}, own.unit),
        create("dossier", dossier_fields(own.unit, "Eigen"), own.dossier),
        create("document", document_fields(own.dossier, title="Eigen"), own.document),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    return own


def check_mutations(sontra: ApiClient, m: Meinhard, own: Own) -> None:
    """Every op on every Meinhard id is answered exactly like the same op on an unknown id."""
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for record_id, kind in m.kinds.items():
        unknown = new_id()
        base = m.versions[record_id]
        pairs.append(
            (
                update(kind, record_id, base, **_update_fields(kind)),
                update(kind, unknown, base, **_update_fields(kind)),
            )
        )
        for name in ("delete", "restore", "close", "reopen"):
            pairs.append((op(kind, record_id, name, base), op(kind, unknown, name, base)))
    # New records that point into Meinhard: children, notes, versions, moves.
    version = {
        "number": 1,
        "blob_sha256": sha(own.blob),
        "size": len(own.blob),
        "file_name": "eigen.pdf",
    }

    def children(parent: dict[str, str]) -> list[dict[str, Any]]:
        return [
            create("plan_unit", {"code": "9", "title": "Unter fremd", "parent_id": parent["unit"]}),
            create("dossier", dossier_fields(parent["unit"], "In fremdem Aktenplan")),
            create("case", {"dossier_id": parent["dossier"], "title": "Fremder Vorgang"}),
            create("case", {"dossier_id": parent["restricted"], "title": "Fremder Vorgang"}),
            create("document", document_fields(parent["dossier"], title="Fremd")),
            create("document", document_fields(parent["restricted"], title="Fremd")),
            create("document", document_fields(own.dossier, parent["case"], title="Fremd")),
            create(
                "document",
                document_fields(own.dossier, title="Anhang", parent_document_id=parent["document"]),
            ),
            create("version", {**version, "document_id": parent["document"]}),
            create("note", {"target_kind": "dossier", "target_id": parent["dossier"], "text": "x"}),
            create("note", {"target_kind": "case", "target_id": parent["case"], "text": "x"}),
            create(
                "note", {"target_kind": "document", "target_id": parent["document"], "text": "x"}
            ),
            update("document", own.document, 1, dossier_id=parent["dossier"]),
            update("dossier", own.dossier, 1, plan_unit_id=parent["unit"]),
        ]

    meinhard_parents = {
        "unit": m.unit,
        "dossier": m.dossier,
        "restricted": m.restricted,
        "case": m.case,
        "document": m.document,
    }
    unknown_parents = {key: new_id() for key in meinhard_parents}
    pairs.extend(zip(children(meinhard_parents), children(unknown_parents), strict=True))
    # A version of an own document that names Meinhard's blob: as if the blob were unknown.
    foreign_blob = {
        **version,
        "document_id": own.document,
        "blob_sha256": sha(m.blob),
        "size": len(m.blob),
    }
    unknown_blob = {**foreign_blob, "blob_sha256": sha(b"nobody has this")}
    pairs.append((create("version", foreign_blob), create("version", unknown_blob)))

    results = sontra.mutate(*[a for a, _ in pairs], *[b for _, b in pairs])
    foreign_results, unknown_results = results[: len(pairs)], results[len(pairs) :]
    for (mutation, _), foreign, unknown in zip(
        pairs, foreign_results, unknown_results, strict=True
    ):
        assert foreign["status"] == "rejected", (mutation, foreign)
        # No record of Meinhard's comes back (a moved own record may: it is Sontra's).
        record = foreign["record"]
        assert record is None or record["municipality"] == "sontra", (mutation, foreign)
        if foreign["error"]["code"] == "blob_missing":
            foreign["error"]["details"].pop("sha256")
            unknown["error"]["details"].pop("sha256")
        assert comparable(foreign) == comparable(unknown), mutation


def check_blobs(sontra: ApiClient, m: Meinhard) -> None:
    """Reading: Meinhard's stored blob and its unfinished upload look like unknown hashes."""
    unknown = sha(uuid.uuid4().bytes)
    for digest in (sha(m.blob), sha(m.partial)):
        head, head_unknown = sontra.head(blob_url(digest)), sontra.head(blob_url(unknown))
        assert head.status_code == head_unknown.status_code == 404
        assert head.headers.get("Upload-Offset") == head_unknown.headers.get("Upload-Offset") == "0"
        assert "Upload-Length" not in head.headers
        for headers in ({}, {"Range": "bytes=0-9"}, {"If-None-Match": f'"{digest}"'}):
            got = sontra.get(blob_url(digest), headers=headers)
            got_unknown = sontra.get(blob_url(unknown), headers=headers)
            assert got.status_code == got_unknown.status_code == 404
            assert got.json() == got_unknown.json()
            assert got.json()["code"] == "not_found"
            assert m.blob[:20] not in got.content
        # Resuming at Meinhard's offset: told to start at 0, like for an unknown hash.
        resume = {"Upload-Offset": str(m.partial_offset), "Upload-Length": str(len(m.partial))}
        data = m.partial[m.partial_offset : m.partial_offset + 10]
        patched = sontra.patch(blob_url(digest), data=data, headers=resume)
        patched_unknown = sontra.patch(blob_url(unknown), data=data, headers=resume)
        assert patched.status_code == patched_unknown.status_code == 409
        assert patched.json() == patched_unknown.json()
        assert patched.headers["Upload-Offset"] == "0"


def check_blob_writes(sontra: ApiClient, m: Meinhard) -> None:
    """Writing Meinhard's hashes: wrong bytes are refused and Meinhard's copy stays intact; the
    right bytes make an own copy for Sontra (content addressing), which reveals nothing."""
    digest = sha(m.blob)
    wrong = sontra.put(blob_url(digest), data=b"not the content")
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "blob_hash_mismatch"
    start = sontra.patch(
        blob_url(sha(m.partial)),
        data=m.partial[:10],
        headers={"Upload-Offset": "0", "Upload-Length": str(len(m.partial))},
    )
    assert start.status_code == 204
    assert start.headers["Upload-Offset"] == "10"  # Sontra's own upload, not Meinhard's
    stored = sontra.put(blob_url(digest), data=m.blob)
    assert stored.status_code == 201  # "stored now", as for a blob nobody had
    assert sontra.head(blob_url(digest)).status_code == 200


def check_search(sontra: ApiClient, m: Meinhard) -> None:
    for query in (DOCUMENT_TITLE, RESTRICTED_TITLE, FULL_TEXT, "Schwalbenweg", "Beurteilung"):
        response = sontra.get("/api/v1/search", params={"q": query})
        assert response.status_code == 200
        assert response.json()["hits"] == [], query
    # The control: the same words find Meinhard's documents for Meinhard.
    hits = m.rita.get("/api/v1/search", params={"q": "Schwalbenweg"}).json()["hits"]
    assert [h["document_id"] for h in hits] == [m.document]


def check_audit(sontra: ApiClient, m: Meinhard, role: str) -> None:
    response = sontra.get("/api/v1/audit", params={"limit": 1000})
    if role == "clerk":
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        return
    assert response.status_code == 200
    page = response.json()
    assert page["entries"], "Sontra's own logins are logged"
    for entry in page["entries"]:
        assert entry["actor"].startswith("sontra/"), entry
        assert entry["record_id"] not in m.kinds, entry
    # Paging past Sontra's own entries (with a sequence number Meinhard has) gives nothing.
    later = sontra.get("/api/v1/audit", params={"after": page["entries"][-1]["seq"]})
    assert later.json()["entries"] == []


def check_auth(coverage: Coverage, live: LiveServer) -> None:
    anonymous = coverage.client(live)
    health = anonymous.get("/api/v1/health").json()
    assert set(health) == {"status", "protocol_version", "server_id", "database", "server_time"}
    # A login that exists only in Meinhard is unknown in Sontra, answered like any unknown one.
    attempts = [
        anonymous.post(
            "/api/v1/auth/login",
            json={"municipality": "sontra", "login": login, "password": "Korrekt-Pferd-Batterie-7"},
        )
        for login in ("greta", f"niemand-{uuid.uuid4().hex[:8]}")
    ]
    assert [a.status_code for a in attempts] == [401, 401]
    assert attempts[0].json() == attempts[1].json()
    # Refreshing gives Sontra's identity, nothing else.
    sontra = coverage.client(live, "otto")
    refreshed = sontra.post(
        "/api/v1/auth/refresh", json={"refresh_token": sontra.tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["user"]["municipality"]["slug"] == "sontra"


# --- the test ----------------------------------------------------------------------------------


def test_another_municipality_sees_and_changes_nothing(live_server: LiveServer) -> None:
    m = build_meinhard(live_server)
    before = snapshot(live_server)
    coverage = Coverage(requests.get(live_server.base_url + "/openapi.json", timeout=30).json())
    assert len(coverage.routes) >= 11
    clients = {
        role: coverage.client(live_server, login, role) for role, login in SONTRA_ROLES.items()
    }
    own = build_own(clients["registrar"])
    for role, sontra in clients.items():
        check_changes(sontra, m)
        check_mutations(sontra, m, own)
        check_blobs(sontra, m)
        check_search(sontra, m)
        check_audit(sontra, m, role)
    check_blob_writes(clients["clerk"], m)
    check_auth(coverage, live_server)
    for sontra in clients.values():
        check_changes(sontra, m)  # still nothing after all those attempts

    assert snapshot(live_server) == before
    download = m.rita.get(blob_url(sha(m.blob)))
    assert download.status_code == 200 and download.content == m.blob
    head = m.rita.head(blob_url(sha(m.partial)))
    assert head.headers["Upload-Offset"] == str(m.partial_offset)

    missing = sorted(set(coverage.routes) - coverage.called)
    assert not missing, f"endpoints without a tenant-isolation check: {missing}"
