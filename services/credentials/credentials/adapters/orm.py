"""Tables of the credentials database (SQLAlchemy Core; used by the repositories).

A credential row keeps the signed document the student downloads, where its bit sits in the
status list, and how often it was verified (a count only: nothing about who verified). The
certificate facts are what the status events said about the check of the original.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from certhub_kit.tables import add_kit_tables

metadata = MetaData()
outbox, inbox, audit_log = add_kit_tables(metadata)

credentials = Table(
    "credentials",
    metadata,
    Column("id", String(32), primary_key=True),  # the unguessable public id
    Column("certificate_id", UUID(as_uuid=True), nullable=False),
    Column("student_id", String(64), nullable=False),
    Column("state", String(16), nullable=False),  # active | suspended | revoked
    Column("document", JSONB(), nullable=False),
    Column("display", JSONB(), nullable=False),  # entry and level names, dates: what the verify page shows
    Column("status_list", Integer, nullable=False),
    Column("status_index", Integer, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked_reason", Text),
    Column("revoked_by", String(64)),
    Column("verifications", BigInteger, nullable=False, server_default="0"),
    UniqueConstraint("status_list", "status_index", name="uq_credentials_status_slot"),
    Index("ix_credentials_student", "student_id", "certificate_id"),
    # at most one credential in force per certificate
    Index("uq_credentials_certificate_in_force", "certificate_id", unique=True, postgresql_where="state <> 'revoked'"),
)

certificate_facts = Table(
    "certificate_facts",
    metadata,
    Column("certificate_id", UUID(as_uuid=True), primary_key=True),
    Column("original_checked_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="0"),
)

signing_keys = Table(
    "signing_keys",
    metadata,  # only in dev/standalone/test, when no key is configured
    Column("id", Integer, Identity(), primary_key=True),
    Column("seed", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
