"""Settings of the certificates service."""

from __future__ import annotations

from certhub_kit.settings import ServiceSettings


class CertificatesSettings(ServiceSettings):
    host: str = "0.0.0.0"
    port: int = 8001
