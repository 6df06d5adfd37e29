"""Settings of the rewards service."""

from __future__ import annotations

from certhub_kit.settings import ServiceSettings


class RewardsSettings(ServiceSettings):
    host: str = "0.0.0.0"
    port: int = 8003
