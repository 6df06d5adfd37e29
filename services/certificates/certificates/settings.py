"""Settings of the certificates service."""

from __future__ import annotations

from pydantic import Field

from certhub_kit.settings import ServiceSettings

from .domain.moe_report import DEMO_DEPARTMENTS


class CertificatesSettings(ServiceSettings):
    host: str = "0.0.0.0"
    port: int = 8001
    demo_data: bool = False  # load the demo catalog on start (standalone turns it on)
    max_scan_bytes: int = 2 * 1024 * 1024
    max_concurrent_uploads: int = 8  # per process; bounds memory under an April rush
    confirmation_ttl_days: int = 7
    # Resending the confirmation mail: at most one mail per certificate per interval, so many resends per
    # student per hour (429 with Retry-After beyond).
    confirmation_resend_interval_s: int = Field(60, ge=1)
    confirmation_resends_per_hour: int = Field(5, ge=1)
    # Categories needing an email confirmation until review announces its tracks
    # (docs/product.md, "Review tracks": the demo's 3 資訊).
    confirmation_categories: list[int] = [3]
    presigned_ttl_s: int = 300
    page_size: int = 50
    max_page_size: int = 200
    # Catalog search is answered from an in-process copy up to this many entries, in SQL beyond.
    catalog_cache_entries: int = 50_000
    # Department names in words for reports: {"IM": ["資訊管理學系", "Department of …"]} (CERTHUB_DEPARTMENT_NAMES).
    department_names: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in DEMO_DEPARTMENTS.items()}
    )
