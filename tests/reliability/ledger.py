"""Jepsen-style ledger for the reliability suite, and the run's counts (small by default)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

LONG_RUN = os.environ.get("CERTHUB_LONG_RUN", "") not in ("", "0", "false")

# default (CI, ≤ 4 minutes for the folder) → long run (the figures of issue 9)
COUNTS = {
    "r1_events": (1000, 10000),
    "r1_kills": (2, 5),
    "r1_closes": (2, 5),
    "r1_pg_stops": (1, 3),
    "r2_events": (200, 1000),
    "r3_rounds": (5, 100),
    "r4_events": (400, 2000),
    "r5_backlog": (1000, 10000),
    "r6_events": (200, 1000),
    "r7_mails": (200, 1000),
}


def count(name: str) -> int:
    small, full = COUNTS[name]
    return full if LONG_RUN else small


@dataclass
class Ledger:
    """What was attempted and acknowledged, against what was observed at the end."""

    name: str
    attempted: int = 0
    acknowledged: int = 0
    lost: int = 0
    duplicated: int = 0
    unexpected: int = 0
    figures: dict = field(default_factory=dict)

    def reconcile(
        self, acknowledged: Iterable, observed: Counter, *, maybe: Iterable = (), attempted: int | None = None
    ) -> Ledger:
        """``observed`` counts effects per key; every acknowledged key must appear exactly once;
        keys whose outcome was indeterminate (``maybe``) may appear once or not at all."""
        acked, maybe = set(acknowledged), set(maybe)
        self.attempted = attempted if attempted is not None else len(acked | maybe)
        self.acknowledged = len(acked)
        self.lost = len(acked - set(observed))
        self.duplicated = sum(n - 1 for n in observed.values() if n > 1)
        self.unexpected = len(set(observed) - acked - maybe)
        return self

    def line(self) -> str:
        extra = "".join(f" {k}={v}" for k, v in self.figures.items())
        return (
            f"[{self.name}] attempted={self.attempted} acknowledged={self.acknowledged} lost={self.lost} "
            f"duplicated={self.duplicated} unexpected={self.unexpected}{extra}"
        )

    def print(self) -> Ledger:
        print("\n" + self.line(), flush=True)
        return self

    def assert_clean(self, *, max_duplicated: int = 0) -> None:
        assert self.lost == 0, self.line()
        assert self.unexpected == 0, self.line()
        assert self.duplicated <= max_duplicated, self.line()
