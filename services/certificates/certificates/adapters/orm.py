"""Tables of the certificates database (SQLAlchemy Core; mapped in repositories)."""

from __future__ import annotations

from .metadata import audit_log, inbox, metadata, outbox
from .tables import (
    catalog_entries,
    catalog_levels,
    catalog_requests,
    catalog_revision,
    categories,
    certificates,
    confirmation_tokens,
    departments,
    track_rules,
)

__all__ = [
    "audit_log",
    "catalog_entries",
    "catalog_levels",
    "catalog_requests",
    "catalog_revision",
    "categories",
    "certificates",
    "departments",
    "confirmation_tokens",
    "inbox",
    "metadata",
    "outbox",
    "track_rules",
]
