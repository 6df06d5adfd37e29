"""Settings of the review service."""

from __future__ import annotations

from certhub_kit.settings import ServiceSettings


class ReviewSettings(ServiceSettings):
    host: str = "0.0.0.0"
    port: int = 8002
    demo_data: bool = False  # seed the demo tracks (docs/product.md, "Review tracks") on start (standalone turns it on)
    original_max_bytes: int = 2 * 1024 * 1024
