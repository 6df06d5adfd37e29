"""Percentiles and the median/min/max summary over repeats."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def latency_ms(values: Sequence[float]) -> dict[str, float | None]:
    """Latencies given in seconds → p50/p95/p99 in milliseconds."""
    out = {}
    for q in (50, 95, 99):
        p = percentile(values, q)
        out[f"p{q}_ms"] = None if p is None else round(p * 1000, 2)
    return out


def summary(values: Sequence[float | None]) -> dict[str, float | None]:
    numbers = [v for v in values if v is not None]
    if not numbers:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {
        "median": round(statistics.median(numbers), 3),
        "min": round(min(numbers), 3),
        "max": round(max(numbers), 3),
        "n": len(numbers),
    }
