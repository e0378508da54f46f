"""Bad input, on SQLite and PostgreSQL: every refusal is a 4xx with a machine-readable ``code``,
a ``title`` and a ``message`` (``ErrorBody``), never a 500, and never a partial write.

Refused requests are checked against a count of every table a request could write to (and the
municipalities' change and audit heads). Per-item refusals of a mutation batch (status 200, the
item ``rejected``) are checked for their ``error.code``. A hypothesis test at the end fuzzes the
fields of mutations behind a valid envelope, where schemathesis (which only sees
``fields: object``) cannot reach.
"""

from __future__ import annotations

import hashlib
import http.client
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from server.audit import verify_chain
from server.db.tables import (
    AuditEntry,
    BlobOwner,
    BlobRow,
    ClientProgress,
    Municipality,
    RecordRow,
    RefreshToken,
    Upload,
    User,
)
from server.municipalities import municipality_id
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.protocol.mutations import BatchResult
from tests.server.live import ApiClient, LiveServer
from tests.server.records import Tree, create, document_fields, dossier_fields, new_id, op, update

MEINHARD = municipality_id("meinhard")
SURROGATE = "\ud800"

# --- helpers -----------------------------------------------------------------------------------


TABLES = (RecordRow, AuditEntry, ClientProgress, BlobRow, BlobOwner, Upload, RefreshToken)


def state(live: LiveServer) -> dict[str, Any]:
    """Row counts of every table a request may write to, every municipality's heads and the
    users' failed logins, in two queries; and the blob staging folder."""
    with live.ctx.db.read() as session:
        counts = session.execute(
            select(*[select(func.count()).select_from(t).scalar_subquery() for t in TABLES])
        ).one()
        heads = session.execute(
            select(
                Municipality.slug,
                Municipality.change_seq,
                Municipality.audit_head,
                select(func.sum(User.failed_logins))
                .where(User.municipality_id == Municipality.id)
                .scalar_subquery(),
            )
        ).all()
    staged = sorted(p.name for p in live.ctx.blobs.staging.iterdir())  # type: ignore[attr-defined]
    return {
        "counts": dict(zip([t.__name__ for t in TABLES], counts, strict=True)),
        "heads": sorted(tuple(h) for h in heads),
        "staged": staged,
    }


def assert_error(response: requests.Response, status: int | None = None) -> dict[str, Any]:
    """A 4xx with an ``ErrorBody``; returns the body."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    if status is not None:
        assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert {"code", "title", "message"} <= set(body) <= {"code", "title", "message", "details"}
    for key in ("code", "title", "message"):
        assert isinstance(body[key], str) and body[key].strip(), body
    return body


class Cases:
    """Many small cases in one test (a server per case would be slow): each failure is
    collected under its name, and ``verify`` reports all of them at once."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    @contextmanager
    def test(self, msg: str) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            self.failures.append(f"{msg}: {type(exc).__name__}: {exc}")

    def verify(self) -> None:
        assert not self.failures, "\n\n".join(self.failures)


class Refusals(Cases):
    """Send a request, expect a refusal, and check that nothing was written."""

    def __init__(self, live: LiveServer) -> None:
        super().__init__()
        self.live = live

    def check(
        self,
        name: str,
        send: Callable[[], requests.Response],
        status: int,
        code: str,
        field: str | None = None,
    ) -> None:
        with self.test(name):
            before = state(self.live)
            body = assert_error(send(), status)
            assert body["code"] == code, body
            if field is not None:
                fields = [p["field"] for p in body["details"]["problems"]]
                assert any(f.startswith(field) for f in fields), (field, body)
            assert state(self.live) == before, "a refused request wrote something"


def raw_post(api: ApiClient, path: str, body: bytes) -> requests.Response:
    return api.post(path, data=body, headers={"Content-Type": "application/json"})


def batch(api: ApiClient, *mutations: dict[str, Any]) -> dict[str, Any]:
    """A batch body with mutation ids that this client has not used yet (whether or not the
    server accepts the batch, so ``api.mutate`` goes on with higher ones)."""
    start = api.next_mutation_id()
    api._next_mutation = start + len(mutations)
    return {
        "client_id": api.client_id,
        "mutations": [{"mutation_id": start + i, **m} for i, m in enumerate(mutations)],
    }


def send_with_declared_length(
    api: ApiClient, method: str, path: str, declared: int, body: bytes
) -> requests.Response:
    """A request that announces ``declared`` bytes but sends only ``body``: the server must
    answer from the header alone. Returned as a ``requests.Response`` for ``assert_error``."""
    parts = urlsplit(api.base_url)
    assert parts.hostname is not None
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest(method, path)
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(declared))
        for key in (PROTOCOL_HEADER, "Authorization"):
            conn.putheader(key, str(api.headers[key]))
        conn.endheaders(body)
        raw = conn.getresponse()
        response = requests.Response()
        response.status_code = raw.status
        response.headers.update(dict(raw.getheaders()))
        response._content = raw.read()
        return response
    finally:
        conn.close()


def chunked(total: int, piece: int = 256 * 1024) -> Iterator[bytes]:
    """A body without Content-Length (requests sends a generator chunked)."""
    sent = 0
    while sent < total:
        size = min(piece, total - sent)
        yield b" " * size
        sent += size


@pytest.fixture
def rita(live_server: LiveServer) -> ApiClient:
    return live_server.client("meinhard", "rita", role="registrar")


INVALID_UTF8 = [
    b'{"client_id": "\xff\xfe", "mutations": []}',
    b'{"\xc3\x28": 1}',
    b'{"client_id": "abc\xc0\xaf"}',  # an overlong "/"
]


# --- malformed bodies ------------------------------------------------------------------------


def test_malformed_json_and_wrong_shapes(live_server: LiveServer, rita: ApiClient) -> None:
    Tree(rita)
    r = Refusals(live_server)
    for path in ("/api/v1/mutations", "/api/v1/auth/login", "/api/v1/auth/refresh"):
        r.check(
            f"truncated JSON to {path}",
            lambda path=path: raw_post(rita, path, b'{"client_id":'),
            400,
            "malformed_json",
        )
        r.check(
            f"not JSON to {path}",
            lambda path=path: raw_post(rita, path, b"client_id=1"),
            400,
            "malformed_json",
        )
    for name, body in [
        ("a list", b"[]"),
        ("a string", b'"x"'),
        ("null", b"null"),
        ("nothing", b""),
        ("text/plain", None),
    ]:
        if body is None:
            send = lambda: rita.post(  # noqa: E731
                "/api/v1/mutations",
                data=json.dumps(batch(rita, create("plan_unit", {"code": "1", "title": "x"}))),
                headers={"Content-Type": "text/plain"},
            )
        else:
            send = lambda body=body: raw_post(rita, "/api/v1/mutations", body)  # noqa: E731
        r.check(f"body is {name}", send, 422, "invalid_request", "body")
    # Bytes that are no UTF-8: refused (the exact code is checked by a test below).
    cases = [(body, 400) for body in INVALID_UTF8]
    # Python's JSON reader lets an encoded surrogate (CESU-8) through as a lone surrogate, and
    # skips a byte order mark: the validation refuses what comes out.
    cases += [(b'{"client_id": "\xed\xa0\x80", "mutations": []}', 422)]
    cases += [(b"\xef\xbb\xbf{}", 422)]
    for body, status in cases:
        with r.test(f"not UTF-8: {body!r}"):
            before = state(live_server)
            assert_error(raw_post(rita, "/api/v1/mutations", body), status)
            assert state(live_server) == before
    r.verify()


def test_wrong_types_and_unknown_fields(live_server: LiveServer, rita: ApiClient) -> None:
    tree = Tree(rita)
    r = Refusals(live_server)
    good = create("plan_unit", {"code": "1", "title": "x"})

    def post(body: Any) -> Callable[[], requests.Response]:
        return lambda: rita.post("/api/v1/mutations", json=body)

    envelope = batch(rita, good)
    cases: list[tuple[str, Any, str]] = [
        ("client_id a number", {**envelope, "client_id": 5}, "body.client_id"),
        ("mutations an object", {**envelope, "mutations": {"0": good}}, "body.mutations"),
        ("mutations a string", {**envelope, "mutations": "alle"}, "body.mutations"),
        ("an unknown top-level field", {**envelope, "colour": "blau"}, "body.colour"),
        ("client_id missing", {"mutations": envelope["mutations"]}, "body.client_id"),
    ]
    for name, change, field in [
        ("mutation_id a list", {"mutation_id": [1]}, "mutation_id"),
        ("mutation_id a fraction", {"mutation_id": 1.5}, "mutation_id"),
        ("kind unknown", {"kind": "folder"}, "kind"),
        ("op unknown", {"op": "rename"}, "op"),
        ("op a number", {"op": 5}, "op"),
        ("fields a list", {"fields": [1, 2]}, "fields"),
        ("fields a string", {"fields": "code=1"}, "fields"),
        ("text a number", {"text": 5}, "text"),
        ("client_time not a time", {"client_time": "gestern"}, "client_time"),
        ("an unknown field in a mutation", {"colour": "blau"}, "colour"),
        ("base_version on a create", {"base_version": 1}, ""),
    ]:
        mutation = {**envelope["mutations"][0], **change}
        where = f"body.mutations.0.{field}".rstrip(".")
        cases.append((name, {**envelope, "mutations": [mutation]}, where))
    # One bad mutation refuses the whole batch: the good ones before it are not applied.
    fine = [{**good, "mutation_id": 1, "id": new_id()}, {**good, "mutation_id": 2, "id": new_id()}]
    broken = [*fine, {**good, "mutation_id": 3, "op": "rename"}]
    cases.append(
        ("a bad mutation after good ones", {**envelope, "mutations": broken}, "body.mutations.2")
    )
    cases.append(
        (
            "the same update without base_version",
            batch(rita, {**update("document", tree.document, 1, title="x"), "base_version": None}),
            "body.mutations.0",
        )
    )
    for name, body, field in cases:
        r.check(name, post(body), 422, "invalid_request", field)
    r.verify()

    # Inside ``fields`` the envelope is fine; the item is refused on its own.
    results = rita.mutate(
        create("document", {**document_fields(tree.dossier), "colour": "blau"}),
        create("document", {**document_fields(tree.dossier), "page_count": "viele"}),
        create("document", {**document_fields(tree.dossier), "tags": "a,b"}),
        create("document", {**document_fields(tree.dossier), "title": ["Antrag"]}),
        create("dossier", {**dossier_fields(tree.unit), "restricted": "vielleicht"}),
        create("dossier", {**dossier_fields(tree.unit), "members": [{"login": "rita"}]}),
        create("case", {"dossier_id": tree.dossier}),
        update("document", tree.document, 1, colour="blau"),
        update("document", tree.document, 1, received_on="gestern"),
        update("document", tree.document, 1),
    )
    assert [x["status"] for x in results] == ["rejected"] * len(results), results
    assert [x["error"]["code"] for x in results] == ["invalid"] * len(results), results
    assert "colour" in results[0]["error"]["message"]


def test_oversized_bodies(live_server: LiveServer, rita: ApiClient) -> None:
    r = Refusals(live_server)
    limit = live_server.ctx.settings.max_body_bytes
    for path in ("/api/v1/mutations", "/api/v1/auth/login"):
        r.check(
            f"Content-Length over the limit to {path}",
            lambda path=path: send_with_declared_length(rita, "POST", path, limit + 1, b"{"),
            413,
            "too_large",
        )
        r.check(
            f"a Content-Length of 2**63 to {path}",
            lambda path=path: send_with_declared_length(rita, "POST", path, 2**63, b"{"),
            413,
            "too_large",
        )
        # (A Content-Length beyond 2**64 never reaches the application: uvicorn itself answers
        # 400 "Invalid HTTP request received.", in plain text.)
    # A body of exactly the limit is read (and refused as the JSON it is not).
    r.check(
        "exactly the limit",
        lambda: raw_post(rita, "/api/v1/mutations", b" " * limit),
        400,
        "malformed_json",
    )
    # Blobs have their own, larger limits; a declared size over them is refused up front:
    # a chunk (PATCH) over the chunk limit, a whole blob (PUT) over 4 GiB.
    blob_limit = live_server.ctx.settings.max_blob_chunk_bytes
    digest = hashlib.sha256(b"x").hexdigest()
    r.check(
        "blob PATCH over the chunk limit",
        lambda: send_with_declared_length(
            rita, "PATCH", f"/api/v1/blobs/{digest}", blob_limit + 1, b"x"
        ),
        413,
        "too_large",
    )
    r.check(
        "blob PUT over 4 GiB",
        lambda: send_with_declared_length(
            rita, "PUT", f"/api/v1/blobs/{digest}", 4 * 1024**3 + 1, b"x"
        ),
        413,
        "too_large",
    )
    # Without Content-Length the limit is enforced while reading: some 4xx with an ErrorBody
    # and nothing written (the exact code is pinned by the next test).
    with r.test("a chunked body over the limit"):
        before = state(live_server)
        response = rita.post(
            "/api/v1/mutations",
            data=chunked(limit + 1),
            headers={"Content-Type": "application/json"},
        )
        assert_error(response)
        assert state(live_server) == before
    r.verify()


def test_an_oversized_chunked_body_is_answered_too_large(
    live_server: LiveServer, rita: ApiClient
) -> None:
    limit = live_server.ctx.settings.max_body_bytes
    response = rita.post(
        "/api/v1/mutations", data=chunked(limit + 1), headers={"Content-Type": "application/json"}
    )
    assert assert_error(response, 413)["code"] == "too_large"


# --- text: encodings, surrogates, NUL --------------------------------------------------------


def test_invalid_utf8_is_answered_malformed_json(live_server: LiveServer, rita: ApiClient) -> None:
    body = assert_error(raw_post(rita, "/api/v1/mutations", INVALID_UTF8[0]), 400)
    assert body["code"] == "malformed_json"


def test_lone_surrogates_and_nul(live_server: LiveServer, rita: ApiClient) -> None:
    tree = Tree(rita)
    r = Refusals(live_server)
    # json.dumps writes lone surrogates as "\ud800" escapes, which JSON allows.
    r.check(
        "a surrogate in the client id",
        lambda: rita.post("/api/v1/mutations", json={"client_id": SURROGATE, "mutations": []}),
        422,
        "invalid_request",
    )
    r.check(
        "a surrogate as a top-level key",
        lambda: rita.post("/api/v1/mutations", json={SURROGATE: 1}),
        422,
        "invalid_request",
    )
    r.check(
        "a surrogate in the full text",
        lambda: rita.post(
            "/api/v1/mutations",
            json=batch(
                rita, create("document", document_fields(tree.dossier), text=f"a{SURROGATE}")
            ),
        ),
        422,
        "invalid_request",
        "body.mutations.0.text",
    )
    for name, body in [
        ("a NUL in the login", {"municipality": "meinhard", "login": "ri\x00ta", "password": "x"}),
        (
            "a surrogate in the password",
            {"municipality": "meinhard", "login": "rita", "password": SURROGATE},
        ),
        (
            "a NUL in the municipality",
            {"municipality": "mein\x00hard", "login": "rita", "password": "x"},
        ),
    ]:
        r.check(
            name,
            lambda body=body: rita.post("/api/v1/auth/login", json=body),
            422,
            "invalid_request",
        )
    for token in (f"abc{SURROGATE}", "abc\x00def", "x" * 10_000):
        r.check(
            f"refresh token {token[:8]!r}",
            lambda token=token: rita.post("/api/v1/auth/refresh", json={"refresh_token": token}),
            401,
            "refresh_invalid",
        )
    r.check(
        "a NUL in the cursor",
        lambda: rita.get("/api/v1/changes", params={"cursor": "abc\x00def"}),
        400,
        "invalid_cursor",
    )

    # Inside ``fields``: refused per item, with ``invalid``; the answer itself stays valid JSON.
    before = state(live_server)
    results = rita.mutate(
        create("document", {**document_fields(tree.dossier), "title": f"Antrag{SURROGATE}"}),
        create("document", {**document_fields(tree.dossier), "title": "An\x00trag"}),
        create("document", {**document_fields(tree.dossier), "sender": "Müller\x00"}),
        create("document", {**document_fields(tree.dossier), "tags": [f"x{SURROGATE}"]}),
        create("document", {**document_fields(tree.dossier), f"x{SURROGATE}": 1}),
        create("document", {**document_fields(tree.dossier), "x\x00": 1}),
        create("dossier", {**dossier_fields(tree.unit), "reference": f"022{SURROGATE}"}),
        create("dossier", {**dossier_fields(tree.unit), "members": [f"ri{SURROGATE}ta"]}),
        create("note", {"target_kind": "document", "target_id": tree.document, "text": "\x00"}),
        update("document", tree.document, 1, title=f"Neu{SURROGATE}"),
        update("document", tree.document, 1, **{f"x{SURROGATE}": 1}),  # was a 500
        update("document", tree.document, 1, **{"x\x00": 1}),
    )
    assert [x["status"] for x in results] == ["rejected"] * len(results), results
    assert [x["error"]["code"] for x in results] == ["invalid"] * len(results), results
    after = state(live_server)
    assert after["counts"]["RecordRow"] == before["counts"]["RecordRow"]
    assert after["heads"] == before["heads"]

    # Search terms are never stored; odd characters just find nothing (or what matches).
    for q in (
        "a\x00b",
        "%ff",
        '"unclosed',
        "*",
        "NOT AND OR ( ) : ^ - + NEAR",
        "'\";--",
    ):
        with r.test(f"search {q!r}"):
            response = rita.get("/api/v1/search", params={"q": q})
            assert response.status_code == 200, response.text
    for raw in ("%ED%A0%80", "%FF%FE", "%C0%AF"):  # a surrogate, bytes that are no UTF-8
        with r.test(f"search q={raw}"):
            response = rita.get(f"/api/v1/search?q={raw}")
            assert response.status_code == 200, response.text
    for q in ("", "x" * 1001):
        r.check(
            f"search {len(q)} chars",
            lambda q=q: rita.get("/api/v1/search", params={"q": q}),
            422,
            "invalid_request",
            "query.q",
        )
    r.verify()

    # Extracted full text may contain NUL (PostgreSQL text cannot): never a server error.
    result = rita.mutate(
        create("document", document_fields(tree.dossier, title="Scan"), text="Zeile\x00eins")
    )[0]
    assert result["status"] in ("applied", "rejected"), result
    if result["status"] == "rejected":
        assert result["error"]["code"] == "invalid"


# --- path-like names -------------------------------------------------------------------------

PATH_LIKE = [
    "../x",
    "..",
    ".",
    "a/b",
    "/etc/passwd",
    "C:\\x",
    "\\\\server\\share\\x",
    "a\\b",
    "x\x00.pdf",
    "x\x1b.pdf",
    "",
]


def test_path_like_file_names_are_refused(live_server: LiveServer, rita: ApiClient) -> None:
    tree = Tree(rita)
    data = b"Inhalt"
    assert (
        rita.put(f"/api/v1/blobs/{hashlib.sha256(data).hexdigest()}", data=data).status_code == 201
    )
    version = {
        "document_id": tree.document,
        "number": 1,
        "blob_sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    before = state(live_server)
    results = rita.mutate(
        *[create("document", document_fields(tree.dossier, file_name=name)) for name in PATH_LIKE],
        *[create("version", {**version, "file_name": name}) for name in PATH_LIKE],
    )
    assert [x["status"] for x in results] == ["rejected"] * len(results), results
    assert {x["error"]["code"] for x in results} == {"invalid"}
    assert all("file_name" in x["error"]["message"] for x in results), results
    after = state(live_server)
    assert after["counts"]["RecordRow"] == before["counts"]["RecordRow"]
    # Names that merely look odd are names, not paths.
    fine = ["..pdf", "a..b.pdf", "Antrag (2).pdf", "Ä ö ü ß.pdf", "x" * 255]
    results = rita.mutate(
        *[create("document", document_fields(tree.dossier, file_name=n)) for n in fine]
    )
    assert [x["status"] for x in results] == ["applied"] * len(fine), results


WINDOWS_PATHS = ["C:x", "C:", "a.pdf:b", "x\n.pdf"]


def test_windows_drive_stream_and_line_break_names_are_refused(
    live_server: LiveServer, rita: ApiClient
) -> None:
    tree = Tree(rita)
    results = rita.mutate(
        *[create("document", document_fields(tree.dossier, file_name=n)) for n in WINDOWS_PATHS]
    )
    assert [x["status"] for x in results] == ["rejected"] * len(WINDOWS_PATHS), results


# --- blobs, cursors, limits, numbers, ids, batch sizes ---------------------------------------


def test_blob_bytes_that_do_not_match_the_hash(live_server: LiveServer, rita: ApiClient) -> None:
    r = Refusals(live_server)
    data = b"Bauantrag" * 100
    digest = hashlib.sha256(data).hexdigest()
    r.check(
        "PUT with other bytes",
        lambda: rita.put(f"/api/v1/blobs/{digest}", data=data[::-1]),
        422,
        "blob_hash_mismatch",
    )
    r.check(
        "PUT with fewer bytes",
        lambda: rita.put(
            f"/api/v1/blobs/{digest}", data=data, headers={"Upload-Length": str(len(data) + 1)}
        ),
        422,
        "blob_size_mismatch",
    )
    # Resumable: the first chunk is kept (that is the point), the wrong last one discards all.
    half = len(data) // 2
    position = {"Upload-Length": str(len(data))}
    first = rita.patch(
        f"/api/v1/blobs/{digest}", data=data[:half], headers={**position, "Upload-Offset": "0"}
    )
    assert first.status_code == 204
    last = rita.patch(
        f"/api/v1/blobs/{digest}",
        data=data[half:][::-1],
        headers={**position, "Upload-Offset": str(half)},
    )
    assert assert_error(last, 422)["code"] == "blob_hash_mismatch"
    head = rita.head(f"/api/v1/blobs/{digest}")
    assert head.status_code == 404 and head.headers["Upload-Offset"] == "0"
    after = state(live_server)
    assert after["counts"]["Upload"] == after["counts"]["BlobRow"] == 0
    assert after["staged"] == []
    # A version cannot point at a blob that was never stored.
    tree = Tree(rita)
    result = rita.mutate(
        create(
            "version",
            {
                "document_id": tree.document,
                "number": 1,
                "blob_sha256": digest,
                "size": len(data),
                "file_name": "a.pdf",
            },
        )
    )[0]
    assert result["status"] == "rejected" and result["error"]["code"] == "blob_missing"
    # Paths and headers that are no hash or no number.
    for name, send, status, code in [
        (
            "upper-case hash",
            lambda: rita.get("/api/v1/blobs/" + digest.upper()),
            422,
            "invalid_request",
        ),
        ("short hash", lambda: rita.head("/api/v1/blobs/abc"), 422, None),
        (
            "path-like hash",
            lambda: rita.get("/api/v1/blobs/..%2f..%2fetc%2fpasswd"),
            404,
            "not_found",
        ),
        (
            "negative offset",
            lambda: rita.patch(
                f"/api/v1/blobs/{digest}",
                data=b"x",
                headers={"Upload-Offset": "-1", "Upload-Length": "1"},
            ),
            400,
            "invalid_header",
        ),
        (
            "offset 2**70",
            lambda: rita.patch(
                f"/api/v1/blobs/{digest}",
                data=b"x",
                headers={"Upload-Offset": str(2**70), "Upload-Length": "1"},
            ),
            400,
            "invalid_header",
        ),
        (
            "length 2**63",
            lambda: rita.patch(
                f"/api/v1/blobs/{digest}",
                data=b"x",
                headers={"Upload-Offset": "0", "Upload-Length": str(2**63)},
            ),
            413,
            "blob_too_large",
        ),
    ]:
        with r.test(name):
            before = state(live_server)
            response = send()
            if code is None:  # HEAD has no body
                assert response.status_code == status
            else:
                assert assert_error(response, status)["code"] == code
            assert state(live_server) == before
    r.verify()


def test_cursors_limits_and_numbers(live_server: LiveServer, rita: ApiClient) -> None:
    tree = Tree(rita)
    r = Refusals(live_server)
    sontra = live_server.client("sontra", "rita", role="registrar")
    foreign = sontra.get("/api/v1/changes").json()["cursor"]
    own = rita.get("/api/v1/changes").json()["cursor"]
    for name, cursor, status, code in [
        ("a cursor from another municipality", foreign, 400, "invalid_cursor"),
        (
            "a tampered cursor",
            own[:-2] + ("AA" if not own.endswith("AA") else "BB"),
            400,
            "invalid_cursor",
        ),
        ("a cursor that is no cursor", "../../etc/passwd", 400, "invalid_cursor"),
        ("an overlong cursor", "x" * 8193, 422, "invalid_request"),
    ]:
        r.check(
            name,
            lambda cursor=cursor: rita.get("/api/v1/changes", params={"cursor": cursor}),
            status,
            code,
        )
    for path, name in [
        ("/api/v1/changes", "limit"),
        ("/api/v1/search", "limit"),
        ("/api/v1/audit", "limit"),
        ("/api/v1/audit", "after"),
    ]:
        for value in ("0", "-1", str(2**70), "1e3", "zehn", ""):
            if name == "after" and value == "0":
                continue
            params = {name: value, "q": "Antrag"}
            r.check(
                f"{path} {name}={value!r}",
                lambda path=path, params=params: rita.get(path, params=params),
                422,
                "invalid_request",
                f"query.{name}",
            )

    def post(
        *mutations: dict[str, Any], raw: dict[str, Any] | None = None
    ) -> Callable[[], requests.Response]:
        body = raw if raw is not None else batch(rita, *mutations)
        return lambda: rita.post("/api/v1/mutations", json=body)

    plan = create("plan_unit", {"code": "1", "title": "x"})
    for value in (0, -1, 2**62 + 1, 2**70, -(2**70)):
        raw = {"client_id": rita.client_id, "mutations": [{**plan, "mutation_id": value}]}
        r.check(
            f"mutation_id {value}",
            post(raw=raw),
            422,
            "invalid_request",
            "body.mutations.0.mutation_id",
        )
        r.check(
            f"base_version {value}",
            post(update("document", tree.document, value, title="x")),
            422,
            "invalid_request",
            "body.mutations.0.base_version",
        )
    r.check(
        "decreasing mutation ids",
        post(
            raw={
                "client_id": rita.client_id,
                "mutations": [
                    {**plan, "mutation_id": 9},
                    {**plan, "id": new_id(), "mutation_id": 8},
                ],
            }
        ),
        422,
        "invalid_request",
    )
    for name, record_id in [
        ("not a UUID", "akte-1"),
        ("an upper-case UUID", new_id().upper()),
        ("a path", "../records/1"),
        ("empty", ""),
    ]:
        r.check(
            f"id {name}",
            post({**plan, "id": record_id}),
            422,
            "invalid_request",
            "body.mutations.0.id",
        )
        r.check(
            f"client_id {name}",
            post(raw={"client_id": record_id, "mutations": [{**plan, "mutation_id": 1}]}),
            422,
            "invalid_request",
            "body.client_id",
        )
    r.check(
        "an empty batch",
        post(raw={"client_id": rita.client_id, "mutations": []}),
        422,
        "invalid_request",
        "body.mutations",
    )
    plans = [create("plan_unit", {"code": "1", "title": f"P{i}"}) for i in range(501)]
    r.check("501 mutations", post(*plans), 422, "invalid_request", "body.mutations")
    # 500 is the limit, and allowed (updates of unknown ids: cheap, refused one by one).
    unknown = [update("plan_unit", new_id(), 1, title="x") for _ in range(500)]
    results = rita.post("/api/v1/mutations", json=batch(rita, *unknown))
    assert results.status_code == 200
    assert {x["error"]["code"] for x in results.json()["results"]} == {"not_found"}

    # Numbers inside ``fields``: refused per item.
    results = rita.mutate(
        create("plan_unit", {"code": "2", "title": "x", "retention_years": 2**70}),
        create("plan_unit", {"code": "2", "title": "x", "retention_years": -1}),
        create("document", document_fields(tree.dossier, page_count=2**70)),
        create(
            "version",
            {
                "document_id": tree.document,
                "number": 2**70,
                "blob_sha256": "0" * 64,
                "size": 1,
                "file_name": "a",
            },
        ),
        create(
            "version",
            {
                "document_id": tree.document,
                "number": 1,
                "blob_sha256": "0" * 64,
                "size": -1,
                "file_name": "a",
            },
        ),
        create("case", {"dossier_id": "not-a-uuid", "title": "x"}),
        create("document", document_fields(tree.dossier, case_id="../x")),
    )
    assert [x["error"]["code"] for x in results] == ["invalid"] * len(results), results
    # Ids of the right shape that do not exist: refused per item as not found.
    results = rita.mutate(
        update("document", new_id(), 1, title="x"),
        op("case", new_id(), "close", 1),
        create("case", {"dossier_id": new_id(), "title": "x"}),
        update("document", tree.document, 1, case_id=new_id()),
    )
    assert [x["error"]["code"] for x in results] == ["not_found"] * len(results), results
    r.verify()


def test_protocol_and_login_headers(live_server: LiveServer, rita: ApiClient) -> None:
    r = Refusals(live_server)
    token = rita.headers["Authorization"]
    for name, headers, status, code in [
        ("no protocol header", {"Authorization": token}, 422, "invalid_request"),
        (
            "protocol 2",
            {PROTOCOL_HEADER: "2", "Authorization": token},
            426,
            "protocol_incompatible",
        ),
        (
            "protocol gibberish",
            {PROTOCOL_HEADER: "ÿ" * 50, "Authorization": token},
            426,
            "protocol_incompatible",
        ),
        ("no token", {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}, 401, "unauthenticated"),
        (
            "a forged token",
            {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": token[:-4] + "AAAA"},
            401,
            "unauthenticated",
        ),
        (
            "a huge token",
            {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": "Bearer " + "x" * 20_000},
            401,
            "unauthenticated",
        ),
        (
            "basic auth",
            {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": "Basic cml0YTp4"},
            401,
            "unauthenticated",
        ),
    ]:
        r.check(
            name,
            lambda headers=headers: requests.get(
                live_server.base_url + "/api/v1/changes", headers=headers, timeout=30
            ),
            status,
            code,
        )
    r.check("an unknown path", lambda: rita.get("/api/v1/records"), 404, "not_found")
    r.check(
        "an unknown method", lambda: rita.delete("/api/v1/mutations"), 405, "method_not_allowed"
    )
    r.verify()


# --- fuzzing mutations behind a valid envelope -----------------------------------------------

JSON_LEAF = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
    | st.sampled_from(["", "..", "../x", "a/b", "\x00", SURROGATE, "2026-02-30", "ÄÖÜ", new_id()])
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
REJECTION_CODES = {
    "invalid",
    "not_found",
    "forbidden",
    "record_closed",
    "record_deleted",
    "parent_deleted",
    "id_exists",
    "blob_missing",
    "stale_base_version",
}


def _valid_fields(tree: Tree, blob: tuple[str, int]) -> dict[str, dict[str, Any]]:
    return {
        "plan_unit": {"code": "9", "title": "Fuzz", "parent_id": tree.unit},
        "dossier": dossier_fields(tree.unit, "Fuzz"),
        "case": {"dossier_id": tree.dossier, "title": "Fuzz"},
        "document": document_fields(tree.dossier, tree.case, title="Fuzz"),
        "version": {
            "document_id": tree.document,
            "number": 1,
            "blob_sha256": blob[0],
            "size": blob[1],
            "file_name": "f.pdf",
        },
        "note": {"target_kind": "document", "target_id": tree.document, "text": "Fuzz"},
        "share": {"dossier_id": tree.dossier, "owner": "meinhard", "login": "rita", "mode": "read"},
    }


@st.composite
def mutations(draw: st.DrawFn, tree: Tree, blob: tuple[str, int]) -> dict[str, Any]:
    """A mutation with a valid envelope: mostly sensible, with a few fields spoilt."""
    kinds = ["plan_unit", "dossier", "case", "document", "version", "note", "share"]
    kind = draw(st.sampled_from(kinds))
    operation = draw(
        st.sampled_from(["create"] * 4 + ["update"] * 3 + ["delete", "restore", "close", "reopen"])
    )
    existing = {
        "plan_unit": tree.unit,
        "dossier": tree.dossier,
        "case": tree.case,
        "document": tree.document,
    }
    fresh = st.builds(new_id)  # st.uuids() repeats itself when derandomised
    if operation == "create":
        record_id = draw(st.one_of(fresh, fresh, fresh, st.sampled_from(list(existing.values()))))
    else:
        record_id = existing.get(kind) or draw(fresh)
        record_id = draw(st.sampled_from([record_id, record_id, record_id, draw(fresh)]))
    fields: dict[str, Any] = {}
    if operation in ("create", "update"):
        base = _valid_fields(tree, blob)[kind]
        names = sorted(base)
        fields = dict(base) if operation == "create" else {}
        if operation == "update":
            for key in draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)):
                fields[key] = base[key]
        spoilt = draw(st.sampled_from([0, 0, 0, 1, 2]))
        for key in draw(st.lists(st.sampled_from(names), min_size=spoilt, max_size=spoilt)):
            fields[key] = draw(JSON_VALUE | st.sampled_from(list(existing.values())))
        if draw(st.sampled_from([False, False, False, True])):
            fields.pop(draw(st.sampled_from(names)), None)
        if draw(st.sampled_from([False, False, False, True])):
            fields.update(draw(st.dictionaries(st.text(max_size=6), JSON_VALUE, max_size=2)))
    mutation: dict[str, Any] = {"kind": kind, "id": record_id, "op": operation, "fields": fields}
    if operation != "create":
        mutation["base_version"] = draw(st.integers(min_value=1, max_value=3))
    if kind == "document" and draw(st.booleans()):
        mutation["text"] = draw(st.text(st.characters(codec="utf-8"), max_size=30))
    return mutation


def test_fuzzed_mutation_fields_are_answered_per_item(
    live_server: LiveServer, rita: ApiClient
) -> None:
    tree = Tree(rita)
    data = b"Fuzz-Inhalt"
    digest = hashlib.sha256(data).hexdigest()
    assert rita.put(f"/api/v1/blobs/{digest}", data=data).status_code == 201

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(st.lists(mutations(tree, (digest, len(data))), min_size=1, max_size=4))
    def run(batch_mutations: list[dict[str, Any]]) -> None:
        before = state(live_server)
        body = batch(rita, *batch_mutations)
        response = rita.post("/api/v1/mutations", json=body)
        assert response.status_code == 200, response.text
        answer = BatchResult.model_validate(response.json())
        for result in answer.results:
            if result.status in ("rejected", "stale"):
                assert result.error is not None
                assert result.error.code in REJECTION_CODES, result.error
        if not any(result.status == "applied" for result in answer.results):
            after = state(live_server)
            assert after["heads"] == before["heads"], "a refused mutation advanced a sequence"
            assert after["counts"]["RecordRow"] == before["counts"]["RecordRow"]

    run()
    with live_server.ctx.db.read() as session:
        assert verify_chain(session, MEINHARD) == []
        highest = session.scalar(
            select(func.max(RecordRow.seq)).where(RecordRow.municipality_id == MEINHARD)
        )
        municipality = session.get(Municipality, MEINHARD)
        assert municipality is not None and municipality.change_seq == highest
