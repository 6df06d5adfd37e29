"""Tables of the notify database (SQLAlchemy Core; mapped in repositories).

Only what a mail needs is kept: the delivery log holds a mail's body only until it
is sent (then it is cleared); the projections hold a student's name, address and
their certificates' names and statuses — never scans, scores or bank details.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import UUID

from certhub_kit.department_copy import department_table
from certhub_kit.tables import add_kit_tables, staff_columns

metadata = MetaData()
outbox, inbox, audit_log = add_kit_tables(metadata)

delivery = Table(
    "delivery",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", String(120), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("template", String(64), nullable=False),
    Column("subject", Text),
    Column("text_body", Text),
    Column("html_body", Text),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("available_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("event_id", "recipient", "template", name="uq_delivery_event_recipient_template"),
    # the sender claims pending rows in id order: only those are indexed, so claiming does not
    # step over the sent rows the log keeps
    Index("ix_delivery_pending_id", "id", postgresql_where="status = 'pending'"),
    Index("ix_delivery_status_id", "status", "id"),
)

captured_mail = Table(
    "captured_mail",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("recipient", String(254), nullable=False),
    Column("subject", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

certificate_view = Table(
    "certificate_view",
    metadata,
    Column("certificate_id", UUID(as_uuid=True), primary_key=True),
    Column("student_id", String(64), nullable=False),
    Column("student_name", String(120), nullable=False),
    Column("email", String(254)),
    Column("dept", String(32)),
    Column("entry_name", Text, nullable=False),
    Column("level_name", Text),
    Column("category", Integer),  # the catalog category: which track's SLA applies
    Column("status", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status_since", DateTime(timezone=True), nullable=False),
    Column("deleted", Boolean, nullable=False, server_default="false"),
    Column("expires_on", Date),  # from the snapshot: the expiry digest (service_layer/expiry.py)
    Index("ix_certificate_view_dept_status", "dept", "status"),
    Index("ix_certificate_view_status", "status"),
)

reward_use = Table(
    "reward_use",
    metadata,
    Column("certificate_id", UUID(as_uuid=True), primary_key=True),
    Column("application_id", UUID(as_uuid=True), nullable=False, index=True),
)

# Staff the review service has seen (review.reviewer_seen.v1): the digests' recipients per department.
known_reviewer = Table("known_reviewer", metadata, *staff_columns())

# The SLA of each category's review track (review.tracks_updated.v1); dept '' = every department.
track_sla = Table(
    "track_sla",
    metadata,
    Column("category", Integer, nullable=False),
    Column("dept", String(32), nullable=False, server_default=""),
    Column("sla_days", Integer, nullable=False),
    PrimaryKeyConstraint("category", "dept"),
)

# The certificates service's department registry, as its department.changed events said: the names
# of departments in mails.
departments = department_table(metadata)
