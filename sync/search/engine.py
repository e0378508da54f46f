"""Searching the local store: ranked hits with metadata and highlighted snippets.

One SQL round trip per query in the common case. A materialised CTE ``top`` takes the best
bm25-ranked rowids straight from FTS5, a little more than the page needs (``_SLACK``); only
those few rows are then joined to ``search_docs``/documents for visibility and metadata, and
only the page's rows read the first ``HEAD_CHARS`` of their original text. Joining every
match to ``search_docs`` before ranking would cost 15-50 % on broad queries, so that is done
only when it is needed: with filters, or when hidden documents (Papierkorb) crowded the
over-fetched top and the page came up short.

A snippet is cut around the first match in the head of the text; only when a long text
matches further down does a hit cost two more small queries (find the match in the folded
FTS content, then read a window of the original around the corresponding position).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy.orm import Session

from sync.search import highlight
from sync.search.highlight import Matcher, Span, Terms
from sync.search.query import Query, parse

log = logging.getLogger("eakte.search")

# bm25 column weights: a word in the title counts ten times a word in the body.
WEIGHTS = {"title": 10.0, "meta": 4.0, "body": 1.0}
HEAD_CHARS = 4000
MAX_LIMIT = 500
_SLACK = 10  # extra rows fetched so that a few hidden documents do not shorten the page
_WINDOW_MARGIN = 300
_BM25 = "bm25(search_fts, " + ", ".join(str(w) for w in WEIGHTS.values()) + ")"

_TOP_FAST = f"""
    SELECT rowid AS rid, {_BM25} AS rank FROM search_fts
    WHERE search_fts MATCH :q ORDER BY rank, rid LIMIT :fetch"""
# Broad queries ("bau*", "2025") match most of the store, and bm25 must score every match
# before the first row comes back: 100-350 ms at 100,000 documents. When ranking does not
# finish within RANK_BUDGET_S, only the newest RECENT_WINDOW matches are ranked (FTS5 walks
# its rowids backwards and stops there): a clerk typing a broad word looks for recent work.
RANK_BUDGET_S = 0.020
RECENT_WINDOW = 2_000
_PROGRESS_STEPS = 20_000  # SQLite VM steps between two looks at the clock (~0.1-0.5 ms)
_TOP_RECENT = f"""
    SELECT rid, rank FROM (
        SELECT rowid AS rid, {_BM25} AS rank FROM search_fts
        WHERE search_fts MATCH :q ORDER BY rowid DESC LIMIT {RECENT_WINDOW}
    ) ORDER BY rank, rid LIMIT :fetch"""
_TOP_RECENT_FILTERED = f"""
    SELECT rid, rank FROM (
        SELECT search_fts.rowid AS rid, {_BM25} AS rank
        FROM search_fts JOIN search_docs s ON s.id = search_fts.rowid
        WHERE search_fts MATCH :q AND s.hidden = 0{{filters}}
        ORDER BY search_fts.rowid DESC LIMIT {RECENT_WINDOW}
    ) ORDER BY rank, rid LIMIT :fetch"""
_TOP_FILTERED = f"""
    SELECT search_fts.rowid AS rid, {_BM25} AS rank
    FROM search_fts JOIN search_docs s ON s.id = search_fts.rowid
    WHERE search_fts MATCH :q AND s.hidden = 0{{filters}} ORDER BY rank, rid LIMIT :fetch"""
# The first row (n = 0) only reports how many rows ``top`` held, so that a short page can
# tell "no more matches" from "hidden documents took the places".
_PAGE = """
WITH top AS MATERIALIZED ({top}),
visible AS (
    SELECT top.rid, top.rank, d.id AS doc_id, d.title, d.doc_type,
           coalesce(d.received_on, d.document_date) AS received, o.reference,
           c.title AS case_title, row_number() OVER (ORDER BY top.rank, top.rid) AS n
    FROM top JOIN search_docs s ON s.id = top.rid JOIN documents d ON d.id = s.document_id
    JOIN dossiers o ON o.id = d.dossier_id LEFT JOIN cases c ON c.id = d.case_id
    -- The Papierkorb is checked live too, not only through search_docs.hidden.
    WHERE s.hidden = 0 AND d.deleted_at IS NULL AND o.deleted_at IS NULL
      AND c.deleted_at IS NULL
)
SELECT 0, (SELECT count(*) FROM top), 0.0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
UNION ALL
SELECT n, rid, rank, doc_id, title, doc_type, received, reference, case_title,
       (SELECT substr(text, 1, :head) FROM document_texts WHERE document_id = doc_id)
FROM visible WHERE n > :offset AND n <= :offset + :limit
ORDER BY 1
"""


@dataclass(frozen=True)
class SearchFilters:
    dossier_id: str | None = None
    case_id: str | None = None
    date_from: date | None = None  # Posteingangsdatum, else document date; inclusive
    date_to: date | None = None
    doc_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SearchHit:
    document_id: str
    title: str
    title_highlights: tuple[Span, ...]  # (start, end) into title
    reference: str  # the dossier's Aktenzeichen
    case_title: str | None
    doc_type: str
    received_on: date | None  # Posteingangsdatum, else the document date
    score: float  # relevance, higher is better (negated bm25)
    ranked: bool  # False: too many matches to rank in time; best of the newest ones only
    snippet: str  # plain text from the original extracted text
    highlights: tuple[Span, ...]  # (start, end) into snippet


def _filter_sql(filters: SearchFilters, params: dict[str, Any]) -> str:
    parts: list[str] = []
    if filters.dossier_id is not None:
        parts.append("s.dossier_id = :dossier_id")
        params["dossier_id"] = filters.dossier_id
    if filters.case_id is not None:
        parts.append("s.case_id = :case_id")
        params["case_id"] = filters.case_id
    if filters.date_from is not None:
        parts.append("s.sort_date >= :date_from")
        params["date_from"] = filters.date_from.isoformat()
    if filters.date_to is not None:
        parts.append("s.sort_date <= :date_to")
        params["date_to"] = filters.date_to.isoformat()
    if filters.doc_types:
        names = []
        for i, doc_type in enumerate(sorted(filters.doc_types)):
            params[f"type{i}"] = doc_type
            names.append(f":type{i}")
        parts.append(f"s.doc_type IN ({', '.join(names)})")
    return "".join(f" AND {part}" for part in parts)


def search(
    session: Session,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    """Best hits first. Any input is accepted; a query without searchable words gives []."""
    started = time.perf_counter()
    parsed = parse(query)
    if parsed.is_empty or limit <= 0:
        return []
    session.flush()  # the raw connection below does not autoflush pending ORM changes
    # The raw DB-API connection of the session's transaction: a few hundred µs less per query
    # than going through SQLAlchemy's result machinery.
    conn = cast(sqlite3.Connection, session.connection().connection.driver_connection)
    rows, ranked = _page(
        conn, parsed, filters or SearchFilters(), min(limit, MAX_LIMIT), max(offset, 0)
    )
    terms = parsed.highlight_terms()
    pattern = highlight.matcher(terms)
    hits = [_hit(conn, row, pattern, terms, ranked) for row in rows]
    log.debug(
        "search: %d terms, %d hits in %.1f ms",
        len(parsed.terms),
        len(hits),
        (time.perf_counter() - started) * 1000,
    )
    return hits


def _page(
    conn: sqlite3.Connection, parsed: Query, filters: SearchFilters, limit: int, offset: int
) -> tuple[list[Any], bool]:
    """The page's rows, and whether all matches were ranked (else only the newest ones)."""
    try:
        return _run_page(conn, parsed, filters, limit, offset, ranked=True), True
    except _OutOfTimeError:
        log.debug("search: ranking took over %.0f ms, newest matches only", RANK_BUDGET_S * 1000)
        return _run_page(conn, parsed, filters, limit, offset, ranked=False), False


class _OutOfTimeError(Exception):
    pass


def _run_page(
    conn: sqlite3.Connection,
    parsed: Query,
    filters: SearchFilters,
    limit: int,
    offset: int,
    *,
    ranked: bool,
) -> list[Any]:
    params: dict[str, Any] = {"q": parsed.fts(), "limit": limit, "offset": offset}
    params["head"] = HEAD_CHARS + 1  # one more, to know whether the text goes on
    filter_sql = _filter_sql(filters, params)
    fast, filtered = (_TOP_FAST, _TOP_FILTERED) if ranked else (_TOP_RECENT, _TOP_RECENT_FILTERED)
    if not filter_sql:
        params["fetch"] = offset + limit + _SLACK
        rows = _execute(conn, _PAGE.format(top=fast), params, budget=ranked)
        fetched, page = rows[0][1], rows[1:]
        if len(page) == limit or fetched < params["fetch"]:
            return page
        log.debug("search: hidden documents crowded the top %d, filtering first", fetched)
    params["fetch"] = offset + limit
    sql = _PAGE.format(top=filtered.format(filters=filter_sql))
    return _execute(conn, sql, params, budget=ranked)[1:]


def _execute(
    conn: sqlite3.Connection, sql: str, params: dict[str, Any], *, budget: bool
) -> list[Any]:
    if not budget:
        return conn.execute(sql, params).fetchall()
    deadline = time.perf_counter() + RANK_BUDGET_S
    conn.set_progress_handler(lambda: int(time.perf_counter() > deadline), _PROGRESS_STEPS)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        # A read interrupted by the progress handler leaves the transaction as it was.
        if "interrupted" in str(exc):
            raise _OutOfTimeError from exc
        raise
    finally:
        conn.set_progress_handler(None, 0)


def _hit(
    conn: sqlite3.Connection,
    row: Any,
    pattern: Matcher | None,
    terms: Terms,
    ranked: bool,
) -> SearchHit:
    _n, rid, rank, doc_id, title, doc_type, received, reference, case_title, head = row
    snippet, spans = _snippet(conn, rid, doc_id, head or "", pattern, terms)
    return SearchHit(
        document_id=doc_id,
        title=title,
        title_highlights=highlight.spans(pattern, title),
        reference=reference,
        case_title=case_title,
        doc_type=doc_type,
        received_on=date.fromisoformat(received) if received else None,
        score=-rank,
        ranked=ranked,
        snippet=snippet,
        highlights=spans,
    )


def _snippet(
    conn: sqlite3.Connection,
    rid: int,
    doc_id: str,
    head: str,
    pattern: Matcher | None,
    terms: Terms,
) -> tuple[str, tuple[Span, ...]]:
    more = len(head) > HEAD_CHARS
    head = head[:HEAD_CHARS]
    found = highlight.snippet(pattern, head, cut_before=False, cut_after=more)
    if found is None and more:
        found = _snippet_further_down(conn, rid, doc_id, pattern, terms)
    if found is None:
        # The match is in the title or metadata (or only FTS5 sees it): show the beginning.
        found = highlight.excerpt(pattern, head, 0, cut_before=False, cut_after=more)
    return found


def _snippet_further_down(
    conn: sqlite3.Connection,
    rid: int,
    doc_id: str,
    found: Matcher | None,
    terms: Terms,
) -> tuple[str, tuple[Span, ...]] | None:
    """Find the first match beyond the head of a long text without reading it into Python.

    ``instr`` finds the first folded token in the folded body (in C). Folding changes
    lengths only a little (ß → ss, ue → u), so the same position in the original is off by
    a few percent at most; the window read around it is that much wider.
    """
    needles = sorted({t for tokens, _ in terms for t in tokens}, key=len, reverse=True)[:3]
    if not needles:
        return None
    firsts = ", ".join(f"instr(body, :n{i})" for i in range(len(needles)))
    params: dict[str, Any] = {f"n{i}": needle for i, needle in enumerate(needles)}
    params["rid"] = rid
    row = conn.execute(f"SELECT {firsts} FROM search_fts WHERE rowid = :rid", params).fetchone()
    pos = min((p for p in row or () if p), default=0) - 1
    if pos < 0:
        return None
    margin = _WINDOW_MARGIN + pos // 25
    start = max(0, pos - margin)
    length = 2 * margin + highlight.SNIPPET_CHARS
    # One character more than needed, to know whether the text goes on.
    (window,) = conn.execute(
        "SELECT substr(text, :start, :length) FROM document_texts WHERE document_id = :id",
        {"start": start + 1, "length": length + 1, "id": doc_id},
    ).fetchone() or ("",)
    more = len(window) > length
    return highlight.snippet(found, window[:length], cut_before=start > 0, cut_after=more)


__all__ = ["HEAD_CHARS", "WEIGHTS", "SearchFilters", "SearchHit", "search"]
