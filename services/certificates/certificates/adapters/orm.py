"""Tables of the certificates database (SQLAlchemy Core; mapped in repositories)."""

from __future__ import annotations

from sqlalchemy import MetaData

from certhub_kit.tables import add_kit_tables

metadata = MetaData()
outbox, inbox, audit_log = add_kit_tables(metadata)
