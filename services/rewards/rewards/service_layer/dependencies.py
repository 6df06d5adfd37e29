"""The rewards service's collaborators besides the unit of work, built once per process in bootstrap.py
(``runtime.deps``)."""

from __future__ import annotations

from dataclasses import dataclass

from .context import RewardsContext


@dataclass
class RewardsDeps:
    context: RewardsContext
    """The clock, the bank cipher and list, storage: what use cases need besides the unit of work."""
