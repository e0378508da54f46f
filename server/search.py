"""Full-text search over the documents a user may see.

Index (``search_documents``, kept by the mutation code through ``index_document``):

- ``title``: the document's title.
- ``body``: one line of metadata (sender, recipient, file name, tags; white space collapsed),
  then a newline, then the extracted full text. The first newline is the boundary, so an update
  without new text (``full_text=None``) keeps the old text and refreshes the metadata only.
  Text is NFC, without control characters, cut at ``MAX_TEXT_CHARS``; on PostgreSQL also cut
  where the generated ``tsvector`` would pass PostgreSQL's 1 MB limit (see ``_fit_tsvector``).

Query: anything a clerk types is accepted; it can never cause a syntax error.

- PostgreSQL: ``websearch_to_tsquery('german', q)`` ("phrases", ``or``, ``-word``), German
  stemming and stop words, rank ``ts_rank_cd``, snippet ``ts_headline``. ``Müller`` finds
  ``Müller`` and ``Müllers``; ``Mueller`` and ``strasse`` do not find ``Müller``/``Straße``.
- SQLite: FTS5 (``unicode61 remove_diacritics 2``). Every word or "phrase" becomes a quoted
  FTS5 string (never an operator), all of them must occur; rank ``bm25`` (title weighted 10:1),
  snippet ``snippet()``. Case and accents are ignored, so ``muller`` finds ``Müller``; there
  is no stemming, and ``ß`` stays ``ß`` (``strasse`` does not find ``Straße``).
- Both: a word ending in ``*`` is a prefix, and so is the last word while it is being typed
  (the query does not end in a space or a closing quote), like the desktop client.

Scope is part of the SQL (never a filter on a page): non-deleted documents of the own
municipality outside restricted dossiers, those of restricted dossiers the user is a member
of, and documents of other municipalities' dossiers shared with the user. Hits in a restricted
dossier or through a share are reads of a restricted record: the route audits them
(``audit_reads``) in the owning municipality's chain. Documents of a deleted dossier are out.

Snippet cost: SQLite's ``snippet()`` and PostgreSQL's ``ts_headline`` re-read the text of each
hit. ``ts_headline`` therefore gets a window of ``HEADLINE_WINDOW`` characters that starts
shortly before the first literal occurrence of the longest query word (the beginning when only
a stemmed form matches). Worst case measured: 100 hits of 300 KB text each, about 1 s on
PostgreSQL and 0.5 s on SQLite; 20 hits (the default) about 0.3 s.

Snippets are plain text; ``SearchHit.highlights`` holds the matched spans as
``[start, end)`` offsets in code points.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server import audit
from server.auth.principal import Principal
from server.db.tables import RecordRow, SearchDocument
from sync.protocol.service import SearchHit, SearchResults

log = logging.getLogger("eakte.server.search")

MAX_QUERY_CHARS = 1000
MAX_TERMS = 16
MAX_TEXT_CHARS = 1_000_000
TSVECTOR_BUDGET = 700_000  # estimated bytes; PostgreSQL refuses a tsvector over 1 MB
SNIPPET_TOKENS = 24
MARK_START = "\ue000"  # private-use characters: cannot occur in indexed text (cleaned out)
MARK_END = "\ue001"
AUDITED_QUERY_CHARS = 200

_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f\ue000\ue001\ud800-\udfff]")
_SPACE = re.compile(r"\s+")
_PART = re.compile(r'"([^"]*)"|([^\s"]+)')  # a phrase in balanced quotes, or a word
_LAST_WORD = re.compile(r"[^\W_]+$")
_WORD = re.compile(r"[^\W_]+")
_STARRED = re.compile(r"([^\W_]+)\*+")


# --- indexing -------------------------------------------------------------------------------


def _clean(value: str) -> str:
    return _UNWANTED.sub(" ", unicodedata.normalize("NFC", value))


def _one_line(value: object) -> str:
    return _SPACE.sub(" ", _clean(str(value))).strip() if value else ""


def _meta_line(data: dict[str, Any]) -> str:
    tags = data.get("tags") or []
    parts = [data.get("sender"), data.get("recipient"), data.get("file_name"), *tags]
    return " ".join(p for p in (_one_line(v) for v in parts) if p)


def _text_part(body: str) -> str:
    _meta, _newline, rest = body.partition("\n")
    return rest


def _fit_tsvector(value: str, budget: int = TSVECTOR_BUDGET) -> str:
    """Cut ``value`` where its tsvector would grow past ``budget`` bytes (a generous estimate:
    per new word its UTF-8 bytes + 8, per occurrence 2 bytes)."""
    if len(value) * 7 < budget:  # cannot exceed it: at most 6.5 estimated bytes a character
        return value
    seen: set[str] = set()
    size = 0
    for match in _WORD.finditer(value):
        word = match.group().lower()
        if word not in seen:
            seen.add(word)
            size += len(word.encode("utf-8")) + 8
        size += 2
        if size > budget:
            log.info("search text cut at %d of %d characters", match.start(), len(value))
            return value[: match.start()]
    return value


def _received_on(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def index_document(
    session: Session, row: RecordRow, full_text: str | None, *, new: bool = False
) -> None:
    """Create or refresh the search entry of a document record, in the caller's transaction.

    ``full_text`` None keeps the text indexed before (a metadata-only change); ``""`` clears
    it. Deleted documents keep their entry, flagged, so that restoring them needs no text.
    """
    if row.kind != "document":
        raise ValueError(f"not a document: {row.kind}")
    data = row.data
    # ``new``: the document was created in this transaction, so there is nothing to look up.
    entry = None if new else _entry(session, row.id)
    if full_text is None:
        body_text = _text_part(entry.body) if entry is not None else ""
    else:
        body_text = _clean(full_text[:MAX_TEXT_CHARS]).strip()
        if session.get_bind().dialect.name == "postgresql":
            body_text = _fit_tsvector(body_text)
    meta = _meta_line(data)
    body = f"{meta}\n{body_text}" if body_text else meta
    values: dict[str, Any] = {
        "municipality_id": row.municipality_id,
        "dossier_id": row.dossier_id or str(data.get("dossier_id") or ""),
        "case_id": data.get("case_id"),
        "title": _one_line(data.get("title")),
        "body": body,
        "received_on": _received_on(data.get("received_on")),
        "deleted": bool(row.deleted),
    }
    if entry is None:
        session.add(SearchDocument(document_id=row.id, **values))
        return
    for name, value in values.items():
        if getattr(entry, name) != value:
            setattr(entry, name, value)


def _entry(session: Session, document_id: str) -> SearchDocument | None:
    return session.scalars(
        select(SearchDocument).where(SearchDocument.document_id == document_id)
    ).first()


def remove_document(session: Session, document_id: str) -> None:
    """Drop a document from the index for good (a purge; soft deletes keep the entry)."""
    entry = _entry(session, document_id)
    if entry is not None:
        session.delete(entry)


# --- queries --------------------------------------------------------------------------------


def _sanitize(raw: str) -> str:
    raw = raw[:MAX_QUERY_CHARS]
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs") or ch in (MARK_START, MARK_END) else ch
        for ch in unicodedata.normalize("NFC", raw)
    )


def fts5_query(raw: str) -> str:
    """The FTS5 MATCH expression for what the user typed: quoted strings, implicitly AND-ed.
    Empty when nothing searchable is left (punctuation, emoji)."""
    q = _sanitize(raw)
    terms: list[str] = []
    matches = list(_PART.finditer(q))
    for index, match in enumerate(matches):
        phrase, word = match.groups()
        part = phrase if phrase is not None else word
        stripped = part.rstrip("*")
        if not any(ch.isalnum() for ch in stripped):
            continue
        typing = (
            phrase is None and index == len(matches) - 1 and match.end() == len(q)
        )  # the last word, no space after it yet
        prefix = len(stripped) < len(part) or typing
        term = '"' + stripped.replace('"', '""') + '"' + ("*" if prefix else "")
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return " ".join(terms)


@dataclass(frozen=True)
class PgQuery:
    """Parameters of the PostgreSQL tsquery: ``websearch_to_tsquery(q)``, or with prefixes
    that OR (``websearch_to_tsquery(head)`` AND ``to_tsquery(prefix:*)`` for each)."""

    q: str
    head: str  # q without the prefix words
    prefixes: tuple[str, ...]  # letters and digits only: safe inside to_tsquery

    def expression(self) -> str:
        if not self.prefixes:
            return "websearch_to_tsquery('german', :q)"
        parts = " && ".join(f"to_tsquery('german', :p{i})" for i in range(len(self.prefixes)))
        return (
            "(websearch_to_tsquery('german', :q) || "
            f"(websearch_to_tsquery('german', :head) && {parts}))"
        )

    def params(self) -> dict[str, str]:
        values = {"q": self.q, "head": self.head}
        values.update({f"p{i}": word + ":*" for i, word in enumerate(self.prefixes)})
        return values


def _excluded(text: str, start: int) -> bool:
    """Whether the word at ``start`` is written ``-word`` (websearch's exclusion)."""
    return text[:start].endswith("-") and (start == 1 or text[start - 2].isspace())


def pg_query(raw: str) -> PgQuery:
    q = _sanitize(raw)
    prefixes: list[str] = []
    pieces: list[str] = []
    position = 0
    for match in _STARRED.finditer(q):
        pieces.append(q[position : match.start()])
        if _excluded(q, match.start()):
            pieces.append(match.group(1))  # "-word*" stays an exclusion
        else:
            pieces.append(" ")
            prefixes.append(match.group(1))
        position = match.end()
    pieces.append(q[position:])
    head = "".join(pieces)
    # The last word while it is being typed (q ends in it, not inside an open phrase).
    if q and q[-1].isalnum() and q.count('"') % 2 == 0:
        last = _LAST_WORD.search(head)
        if last is not None and not _excluded(head, last.start()):
            prefixes.append(last.group())
            head = head[: last.start()]
    unique = tuple(dict.fromkeys(prefixes))[:MAX_TERMS]
    return PgQuery(q, head, unique)


def _anchor(q: str) -> str:
    """The query's longest word, lower-cased: where the PostgreSQL snippet window starts."""
    words = [m.group() for m in _WORD.finditer(q) if not _excluded(q, m.start())]
    return max(words, key=len).lower() if words else ""


def _marked(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and highlight spans from a snippet with MARK_START/MARK_END around matches."""
    snippet = _SPACE.sub(" ", snippet).strip()
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for piece in re.split(f"([{MARK_START}{MARK_END}])", snippet):
        if piece == MARK_START:
            start = length
        elif piece == MARK_END:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            plain.append(piece)
            length += len(piece)
    return "".join(plain), spans


# Scope, shared by both dialects. :mid / :uid are the caller's municipality and user.
_RESTRICTED = "EXISTS (SELECT 1 FROM records r WHERE r.id = sd.dossier_id AND r.restricted = true)"
_SCOPE = f"""
    sd.deleted = false
    AND NOT EXISTS (SELECT 1 FROM records d WHERE d.id = sd.dossier_id AND d.deleted = true)
    AND (
        (sd.municipality_id = :mid AND (
            NOT {_RESTRICTED}
            OR EXISTS (SELECT 1 FROM dossier_access a WHERE a.dossier_id = sd.dossier_id
                       AND a.user_id = :uid AND a.mode = 'member')))
        OR (sd.municipality_id <> :mid AND EXISTS (
            SELECT 1 FROM dossier_access a WHERE a.dossier_id = sd.dossier_id
            AND a.user_id = :uid AND a.mode IN ('read', 'write')))
    )"""
_COLUMNS = (
    "sd.document_id, sd.dossier_id, sd.case_id, sd.title, sd.received_on, "
    f"sd.municipality_id, m.slug, {_RESTRICTED} AS restricted"
)

_SQLITE_SQL = f"""
SELECT {_COLUMNS}, -bm25(search_fts, 10.0, 1.0) AS rank,
       snippet(search_fts, 1, :mark_start, :mark_end, '…', :tokens) AS snippet
FROM search_fts
JOIN search_documents sd ON sd.id = search_fts.rowid
JOIN municipalities m ON m.id = sd.municipality_id
WHERE search_fts MATCH :match AND {_SCOPE}
ORDER BY bm25(search_fts, 10.0, 1.0), sd.document_id
LIMIT :limit"""

_PG_SQL = """
SELECT hit.document_id, hit.dossier_id, hit.case_id, hit.title, hit.received_on,
    hit.municipality_id, hit.slug, hit.restricted, hit.rank, ts_headline(
    'german',
    substr(hit.body, greatest(1, strpos(lower(hit.body), :anchor) - :lead), :window),
    {query},
    :options
) AS snippet
FROM (
    SELECT {columns}, sd.body, ts_rank_cd(sd.tsv, {query}) AS rank
    FROM search_documents sd
    JOIN municipalities m ON m.id = sd.municipality_id
    WHERE sd.tsv @@ {query} AND {scope}
    ORDER BY rank DESC, sd.document_id
    LIMIT :limit
) hit
ORDER BY hit.rank DESC, hit.document_id"""

# ts_headline parses all the text it is given (about 60 ms per 300 KB), so it gets a window:
# from shortly before the first occurrence of the query's longest word (lower-cased, not
# stemmed), or the beginning when that is not found literally (a stemmed match).
HEADLINE_WINDOW = 5000
HEADLINE_LEAD = 300
_PG_HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=30, MinWords=12, '
    'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class RestrictedRead:
    """A hit the route must audit: in a restricted dossier, or through a share."""

    municipality_id: str  # the owner, whose chain records the read
    document_id: str
    dossier_id: str
    via_share: bool


def search_with_reads(
    session: Session, principal: Principal, q: str, limit: int, dialect: str
) -> tuple[SearchResults, list[RestrictedRead]]:
    started = time.perf_counter()
    params: dict[str, Any] = {
        "mid": principal.municipality_id,
        "uid": principal.user_id,
        "limit": limit,
    }
    if dialect == "postgresql":
        pq = pg_query(q)
        if not _WORD.search(pq.q):
            return SearchResults(query=q, hits=[]), []
        expression = pq.expression()
        sql = _PG_SQL.format(query=expression, columns=_COLUMNS, scope=_SCOPE)
        params.update(
            pq.params(),
            options=_PG_HEADLINE,
            anchor=_anchor(pq.q),
            lead=HEADLINE_LEAD,
            window=HEADLINE_WINDOW,
        )
    else:
        match = fts5_query(q)
        if not match:
            return SearchResults(query=q, hits=[]), []
        sql = _SQLITE_SQL
        params.update(match=match, mark_start=MARK_START, mark_end=MARK_END, tokens=SNIPPET_TOKENS)
    rows = session.execute(text(sql), params).mappings().all()
    hits: list[SearchHit] = []
    reads: list[RestrictedRead] = []
    for row in rows:
        snippet, spans = _marked(row["snippet"] or "")
        via_share = row["municipality_id"] != principal.municipality_id
        hits.append(
            SearchHit(
                document_id=row["document_id"],
                dossier_id=row["dossier_id"],
                case_id=row["case_id"],
                title=row["title"],
                snippet=snippet,
                received_on=_received_on(row["received_on"]),
                rank=float(row["rank"] or 0.0),
                highlights=spans,
                municipality=row["slug"],
            )
        )
        if via_share or row["restricted"]:
            reads.append(
                RestrictedRead(
                    municipality_id=row["municipality_id"],
                    document_id=row["document_id"],
                    dossier_id=row["dossier_id"],
                    via_share=via_share,
                )
            )
    log.debug(
        "search %s: %d hits in %.1f ms",
        dialect,
        len(hits),
        (time.perf_counter() - started) * 1000,
    )
    return SearchResults(query=q, hits=hits), reads


def search(
    session: Session, principal: Principal, q: str, limit: int, dialect: str
) -> SearchResults:
    """The documents matching ``q`` that ``principal`` may see, best first."""
    return search_with_reads(session, principal, q, limit, dialect)[0]


def audit_reads(
    session: Session, principal: Principal, reads: list[RestrictedRead], q: str
) -> None:
    """One ``search_hit`` entry per restricted or shared hit, in the owner's chain."""
    query = _sanitize(q)[:AUDITED_QUERY_CHARS]
    for read in reads:
        details: dict[str, Any] = {"dossier_id": read.dossier_id, "query": query}
        if read.via_share:
            details["via_share"] = True
        audit.record(
            session,
            read.municipality_id,
            principal.actor,
            "search_hit",
            kind="document",
            record_id=read.document_id,
            details=details,
        )
