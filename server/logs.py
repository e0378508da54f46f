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
