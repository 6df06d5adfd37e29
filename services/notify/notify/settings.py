"""Settings of the notify service."""

from __future__ import annotations

from certhub_kit.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    host: str = "0.0.0.0"
    port: int = 8004
