"""The certificates service's collaborators besides the unit of work, built once per process in
bootstrap.py (``runtime.deps``)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from ..adapters.catalog_cache import CatalogCache


@dataclass
class CertificatesDeps:
    catalog_cache: CatalogCache
    """One in-memory catalog per process (loaded on the first search)."""
    upload_slots: asyncio.Semaphore
    """At most ``max_concurrent_uploads`` scans parsed and checked at once: the rest wait with their bytes
    still in the socket, so fifty students at once cost a few megabytes, not fifty copies of each file."""
