"""Tables of the certificates database (SQLAlchemy Core; mapped in repositories)."""

from __future__ import annotations

from sqlalchemy import MetaData

from certhub_kit.tables import add_kit_tables

metadata = MetaData()
outbox, inbox, audit_log = add_kit_tables(metadata)

from .tables import (  # noqa: E402,F401  (registers the service's tables on ``metadata``)
    catalog_entries, catalog_levels, catalog_requests, categories, certificates, confirmation_tokens,
    track_rules,
)
