"""Timing helpers: median and p95 over many samples after a warm-up."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Figure:
    name: str
    median_ms: float | None = None
    p95_ms: float | None = None
    samples: int = 0
    queries: int | None = None
    rate_per_s: float | None = None
    floor: str | None = None  # name of the figure this one is compared with
    note: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", {})}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_it(
    name: str, fn: Callable[[], object], *, samples: int, warmup: int = 20, floor: str | None = None
) -> Figure:
    for _ in range(warmup):
        fn()
    durations = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        durations.append((time.perf_counter() - start) * 1000)
    return Figure(
        name=name,
        median_ms=statistics.median(durations),
        p95_ms=percentile(durations, 0.95),
        samples=samples,
        floor=floor,
    )


def count_queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)
