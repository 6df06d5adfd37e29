"""The CertHub services, in one list: the topology, the launchers and the test fleet read it."""

from __future__ import annotations

SERVICES: tuple[str, ...] = ("certificates", "review", "rewards", "notify", "credentials")
