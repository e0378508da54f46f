"""Pulling the changes feed: page by page, each page applied together with its cursor in one
transaction (sync contract rule 2), so a crash after half a page repeats that page and no more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError as SchemaError

from sync.engine import binding
from sync.engine.apply import Applied, Context, apply_records
from sync.engine.errors import ForeignCacheError, ServerRestoredError
from sync.engine.withdrawn import drop_gone
from sync.protocol.changes import MAX_PAGE, ChangesPage
from sync.store.database import Store
from sync.transport import ServerAnswerError, ServerRefusedError

log = logging.getLogger("eakte.sync.pull")

Fetch = Callable[[str | None, int], dict[str, object]]


@dataclass
class PullOutcome:
    pages: int = 0
    records: int = 0
    applied: Applied | None = None


def pull(
    store: Store,
    ctx: Context,
    fetch: Fetch,
    *,
    page_size: int = MAX_PAGE,
    on_page: Callable[[int], None] | None = None,
) -> PullOutcome:
    """Fetch and apply pages until the server has no more. ``fetch(cursor, limit)`` returns
    the JSON body of ``GET /changes``."""
    outcome = PullOutcome(applied=Applied())
    with store.read() as session:
        cursor = binding.get_setting(session, binding.CURSOR)
    while True:
        try:
            body = fetch(cursor, page_size)
        except ServerRefusedError as exc:
            stop = cursor_stop(exc)
            if stop is None:
                raise
            raise stop from exc
        try:
            page = ChangesPage.model_validate(body)
        except SchemaError as exc:
            raise ServerAnswerError(
                "Der Server hat eine Seite mit Änderungen geschickt, die nicht dem Protokoll "
                "entspricht. Es wurde nichts übernommen; bitte die IT verständigen."
            ) from exc
        with store.write() as session:
            apply_records(session, ctx, page.changes, result=outcome.applied)
            if page.gone:
                assert outcome.applied is not None
                outcome.applied.gone += drop_gone(session, [g.id for g in page.gone])
            binding.put_setting(session, binding.CURSOR, page.cursor)
        cursor = page.cursor
        outcome.pages += 1
        outcome.records += len(page.changes)
        if on_page is not None:
            on_page(outcome.records)
        if not page.has_more:
            return outcome
        if not page.changes and not page.gone:
            # "More" but nothing in it would loop forever: a server that lies.
            raise ServerAnswerError(
                "Der Server meldet weitere Änderungen, liefert aber keine. Der Abgleich wurde "
                "beendet; beim nächsten Mal wird es erneut versucht."
            )


def cursor_stop(exc: ServerRefusedError) -> Exception | None:
    """The typed stop for a refused cursor (a restored server, or another server's or
    municipality's cursor); None for any other refusal."""
    if exc.code == "cursor_ahead":
        return ServerRestoredError(exc.message)
    if exc.code == "invalid_cursor":
        return ForeignCacheError(exc.message)
    return None
