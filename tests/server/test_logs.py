"""The server's logging: what clerks search for stays out of the access log."""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator

import pytest
from uvicorn.config import LOGGING_CONFIG

from server.logs import HideSearchTerms, configure_logging


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    """uvicorn's access logger set up the way ``uvicorn.Config`` does it, after ours."""
    logger = logging.getLogger("uvicorn.access")
    saved = (logger.handlers[:], logger.filters[:], logger.propagate, logger.level)
    configure_logging()
    logging.config.dictConfig(LOGGING_CONFIG)
    out = io.StringIO()
    logger.handlers[0].setStream(out)  # type: ignore[attr-defined]
    yield out
    logger.handlers, logger.filters, logger.propagate = saved[0], saved[1], saved[2]
    logger.setLevel(saved[3])


def access(path: str) -> None:
    # The call uvicorn's h11/httptools protocols make for every request.
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "10.0.0.7:5123", "GET", path, "1.1", 200
    )


def test_search_terms_are_blanked_and_the_rest_of_the_line_kept(access_log: io.StringIO) -> None:
    access("/api/v1/search?q=M%C3%BCller%20Bauantrag&limit=20")
    access("/api/v1/changes?cursor=abc&limit=500")
    access("/api/v1/health")
    lines = access_log.getvalue().splitlines()
    assert len(lines) == 3
    assert '"GET /api/v1/search?q=…&limit=20 HTTP/1.1" 200' in lines[0]
    assert "M%C3%BCller" not in access_log.getvalue()
    assert "/api/v1/changes?cursor=abc&limit=500 " in lines[1]
    assert "/api/v1/health " in lines[2]


def test_set_up_once_however_often_logging_is_configured(access_log: io.StringIO) -> None:
    configure_logging()  # each worker process calls it again
    logger = logging.getLogger("uvicorn.access")
    assert sum(isinstance(f, HideSearchTerms) for f in logger.filters) == 1
