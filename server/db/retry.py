"""Retrying a whole transaction when PostgreSQL aborts it for a deadlock or a serialisation
failure (two batches writing into each other's shared dossiers can lock in opposite order).
The transaction was rolled back, so running it again is safe."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

log = logging.getLogger("eakte.server.db")
T = TypeVar("T")
_RETRYABLE = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def retry_on_conflict(work: Callable[[], T], attempts: int = 4) -> T:
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as exc:
            code = getattr(exc.orig, "sqlstate", None)
            if code not in _RETRYABLE or attempt == attempts:
                raise
            log.warning("transaction conflict (%s), retrying (%d)", code, attempt)
            time.sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")
