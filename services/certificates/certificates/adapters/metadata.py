"""The one ``MetaData`` of the certificates database, with the kit's outbox, inbox and audit tables."""

from __future__ import annotations

from sqlalchemy import MetaData

from certhub_kit.tables import add_kit_tables

metadata = MetaData()
outbox, inbox, audit_log = add_kit_tables(metadata)
