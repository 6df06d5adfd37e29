"""The life of one delivery: pending → sent, or retried with backoff, or failed for good."""

from __future__ import annotations

from dataclasses import dataclass

PENDING, SENT, FAILED = "pending", "sent", "failed"
STATUSES = (PENDING, SENT, FAILED)


class TransientMailError(Exception):
    """The server may accept later (4xx reply, connection refused or dropped, timeout)."""


class PermanentMailError(Exception):
    """The server will never accept this mail (5xx reply)."""


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = 5.0
    max_s: float = 900.0
    max_attempts: int = 10

    def delay_after(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed try (1, 2, …): base·2^(n−1), capped."""
        return min(self.max_s, self.base_s * 2 ** max(0, attempts - 1))

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


def is_permanent_reply(code: int | None) -> bool:
    return code is not None and 500 <= code < 600
