"""The server's log format, set up in the main process and in every worker process (uvicorn's
workers are new processes: without this, their info lines would be dropped and their warnings
printed without a time)."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format=FORMAT)
    # Alembic announces each of its plugins on every start: noise in the journal.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # uvicorn configures its access logger later (dictConfig keeps a logger's filters).
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, HideSearchTerms) for f in access.filters):
        access.addFilter(HideSearchTerms())


class HideSearchTerms(logging.Filter):
    """Blanks what clerks searched for in uvicorn's access lines.

    They log the path with its query, so ``GET /api/v1/search?q=Müller Bauantrag`` would
    put names into the journal and its backups. Other parameters stay as they were.
    """

    HIDDEN = ("q",)

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn: (client, method, path with query, HTTP version, status)
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, sep, query = args[2].partition("?")
            if sep:
                record.args = (*args[:2], f"{path}?{self._blank(query)}", *args[3:])
        return True

    def _blank(self, query: str) -> str:
        parts = []
        for part in query.split("&"):
            key = part.partition("=")[0]
            parts.append(f"{key}=…" if key in self.HIDDEN else part)
        return "&".join(parts)
