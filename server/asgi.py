"""The application as an import string for uvicorn's worker processes.

``eakte-server serve --workers N`` hands uvicorn ``server.asgi:create``; each worker process
imports this module and builds its own context (engine, pool, blob storage) from the
settings, which the parent has put into the ``EAKTE_SERVER_*`` environment for them.
"""

from __future__ import annotations

from fastapi import FastAPI

from server.app import create_app
from server.config import load_settings
from server.context import ServerContext
from server.logs import configure_logging


def create() -> FastAPI:
    configure_logging()
    return create_app(ServerContext.open(load_settings()))
