"""Tables every service has: the outbox, the inbox and the append-only audit trail.

Each service calls :func:`add_kit_tables` on its own ``MetaData`` so its Alembic
migrations create them in its own database.
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
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

OUTBOX_PENDING = "pending"
OUTBOX_SENT = "sent"


def add_kit_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", BigInteger, Identity(), primary_key=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("type", String(120), nullable=False),
        Column("envelope", JSONB(), nullable=False),
        Column("state", String(16), nullable=False, server_default=OUTBOX_PENDING),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("available_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True)),
        # the relay claims pending rows in seq order: an index of only those, in that order, stays
        # small however many sent rows the table keeps
        Index("ix_outbox_pending_seq", "seq", postgresql_where="state = 'pending'"),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(120), primary_key=True),
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("type", String(120), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    audit = Table(
        "audit_log",
        metadata,
        Column("seq", BigInteger, Identity(), primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("actor_id", String(64)),
        Column("action", String(64), nullable=False),
        Column("subject", String(64)),
        Column("from_state", String(32)),
        Column("to_state", String(32)),
        Column("reason", Text),
        Column("details", JSONB()),
        Column("correlation_id", String(64)),
    )
    return outbox, inbox, audit


AUDIT_APPEND_ONLY_SQL = [
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]
"""Run each statement with ``op.execute`` in a service's first migration."""


def staff_columns() -> list[Column]:
    """A member of staff as their access token described them when last seen (review's own record
    and notify's projection of ``review.reviewer_seen.v1`` have the same shape)."""
    return [
        Column("reviewer_id", String(64), primary_key=True),
        Column("name", String(200), nullable=False),
        Column("email", String(320)),
        Column("depts", ARRAY(String(32)), nullable=False),
        Column("roles", ARRAY(String(16)), nullable=False),
        Column("seen_at", DateTime(timezone=True), nullable=False),
    ]
