"""Percentiles and an exclusive-time stage profiler for the benchmarks."""

from __future__ import annotations

import functools
import math
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: an actually observed value, no interpolation."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


class StageTimer:
    """Attributes wall time to named stages by wrapping functions.

    Time is *exclusive*: a stage's time excludes the time of wrapped stages called inside it,
    so the stages add up to the total of the outermost one. The overhead is a few microseconds
    per call, negligible against the milliseconds that filing one document takes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list[float]] = []  # per active stage: [start, time in children]
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name, None)
        if original is None:  # renamed in the code under test: say so, measure the rest
            print(f"    (stage timer: {getattr(owner, '__name__', owner)}.{name} not found)")
            return
        timer = self

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [time.perf_counter(), 0.0]
            timer._stack.append(frame)
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - frame[0]
                timer._stack.pop()
                timer.seconds[stage] += elapsed - frame[1]
                timer.calls[stage] += 1
                if timer._stack:
                    timer._stack[-1][1] += elapsed

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()

    def total(self) -> float:
        return sum(self.seconds.values())
