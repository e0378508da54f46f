"""``GET /api/v1/search?q=...&limit=...``: full-text search over what the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from server import search
from server.deps import Caller, Ctx, Protocol
from sync.protocol.service import SearchResults

router = APIRouter(tags=["search"], dependencies=[Protocol])


@router.get("/search")
def search_documents(
    ctx: Ctx,
    caller: Caller,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=search.MAX_QUERY_CHARS,
            description='Words (all must occur), "phrases", prefixes ending in *.',
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResults:
    with ctx.db.read() as session:
        results, reads = search.search_with_reads(session, caller, q, limit, ctx.db.dialect)
    if reads:
        # Hits in restricted dossiers or through a share are reads of restricted records:
        # logged before the answer leaves, so no such hit is ever shown unaudited.
        with ctx.db.write() as session:
            search.audit_reads(session, caller, reads, q)
    return results
