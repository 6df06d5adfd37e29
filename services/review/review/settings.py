"""Settings of the review service."""

from __future__ import annotations

from certhub_kit.settings import ServiceSettings


class ReviewSettings(ServiceSettings):
    host: str = "0.0.0.0"
    port: int = 8002
