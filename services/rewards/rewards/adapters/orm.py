"""Tables of the rewards database (SQLAlchemy Core; mapped in repositories)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from certhub_kit.department_copy import department_table
from certhub_kit.tables import add_kit_tables

metadata = MetaData()
outbox, inbox, audit_log = add_kit_tables(metadata)


def _now() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


standards = Table(
    "standards",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("academic_year", Integer, nullable=False),
    Column("scope", String(16), nullable=False),
    Column("level", Integer, nullable=False),
    Column("item", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("required_count", Integer, nullable=False),
    Column("qualifying", JSONB(), nullable=False),
    _now(),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("academic_year", "scope", "item", name="uq_standards_year_scope_item"),
    CheckConstraint("level BETWEEN 1 AND 5", name="ck_standards_level"),
)

windows = Table(
    "windows",
    metadata,
    Column("academic_year", Integer, primary_key=True),
    Column("opens_at", DateTime(timezone=True), nullable=False),
    Column("closes_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("closes_at > opens_at", name="ck_windows_order"),
)

# Projection of the certificates service's snapshots (certificate.status_changed / deleted).
eligible_certificates = Table(
    "eligible_certificates",
    metadata,
    Column("certificate_id", UUID(as_uuid=True), primary_key=True),
    Column("student_id", String(64)),
    Column("student_name", String(100)),
    Column("dept", String(16)),
    Column("entry_key", String(120)),
    Column("entry_name", String(200)),
    Column("level_name", String(120)),
    Column("status", String(32)),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("expires_on", Date),  # from the snapshot (older producers: NULL = never)
    Column("deleted", Boolean, nullable=False, server_default="false"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_eligible_certificates_student", "student_id"),
)

applications = Table(
    "applications",
    metadata,
    Column("seq", BigInteger, Identity(), nullable=False, unique=True),
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("academic_year", Integer, nullable=False),
    Column("student_id", String(64), nullable=False),
    Column("student_name", String(100), nullable=False),
    Column("student_email", String(200)),
    Column("dept", String(16)),
    Column("division", String(32)),
    Column("program", String(32)),
    Column("class_", String(32)),
    Column("standard_id", UUID(as_uuid=True), ForeignKey("standards.id", ondelete="RESTRICT"), nullable=False),
    Column("label", String(300), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("level", Integer, nullable=False),
    Column("status", String(32), nullable=False),
    Column("invalid_reason", Text),
    Column("invalid_reason_en", Text),
    *[
        Column(f"{stage}_{name}", kind)
        for stage in ("first", "second")
        for name, kind in (
            ("result", String(1)),
            ("reviewer_id", String(64)),
            ("reviewer_name", String(100)),
            ("reviewed_at", DateTime(timezone=True)),
            ("note", Text),
        )
    ],
    Column("paid_at", DateTime(timezone=True)),
    _now(),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("standard_amount", Integer),
    Column("flags", JSONB(), nullable=False, server_default=text("'[]'::jsonb")),
    Column("returned_fees", Integer, nullable=False, server_default="0"),  # 退匯 fees deducted from amount
    Index("ix_applications_year_dept", "academic_year", "dept"),
    Index("ix_applications_student", "student_id"),
    # History filters: a class of a year, newest first, straight off the index; student-number prefixes.
    Index("ix_applications_year_dept_class", "academic_year", "dept", "class_", "seq"),
    Index("ix_applications_student_prefix", text("lower(student_id) text_pattern_ops")),
)

# A certificate is used by at most one application, ever: the primary key says so.
application_certificates = Table(
    "application_certificates",
    metadata,
    Column("certificate_id", UUID(as_uuid=True), primary_key=True),
    Column("application_id", UUID(as_uuid=True), ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    Column("entry_name", String(200), nullable=False),
    Column("level_name", String(120)),
    Index("ix_application_certificates_application", "application_id"),
)

# Account number, postal code, address and reason are sealed with AES-GCM; only the last 4 digits are plain.
bank_accounts = Table(
    "bank_accounts",
    metadata,
    Column("application_id", UUID(as_uuid=True), ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True),
    Column("method", String(8), nullable=False),
    Column("code", String(7)),
    Column("account_last4", String(4)),
    Column("account_name", String(100)),
    Column("sealed", LargeBinary, nullable=False),
    Column("passbook_key", String(200)),
    Column("passbook_content_type", String(64)),
    Column("other_acknowledged_by", String(64)),  # method "other": who at the centre accepted the reason
    Column("other_acknowledged_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The certificates service's department registry, as its department.changed events said.
departments = department_table(metadata)

payout_batches = Table(
    "payout_batches",
    metadata,
    Column("seq", BigInteger, Identity(), nullable=False, unique=True),
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("created_by", String(64), nullable=False),
    _now(),
    Column("paid_at", DateTime(timezone=True)),
    Column("paid_by", String(64)),
    # its name: 115學年第1批 — the academic year of its applications and its number within that year
    Column("academic_year", Integer),
    Column("year_seq", Integer),
    UniqueConstraint("academic_year", "year_seq", name="uq_payout_batches_year_seq"),
)

# An application is in at most one payout batch: the primary key says so.
payout_items = Table(
    "payout_items",
    metadata,
    Column("application_id", UUID(as_uuid=True), ForeignKey("applications.id", ondelete="RESTRICT"), primary_key=True),
    Column("batch_id", UUID(as_uuid=True), ForeignKey("payout_batches.id", ondelete="CASCADE"), nullable=False),
    Index("ix_payout_items_batch", "batch_id"),
)

# The reward rules of an academic year (cap, budget, exclusions, ranking, returned-transfer fee).
reward_rules = Table(
    "reward_rules",
    metadata,
    Column("academic_year", Integer, primary_key=True),
    Column("cap_per_student", Integer),
    Column("budget", Integer),
    Column("exclusions", JSONB(), nullable=False, server_default=text("'[]'::jsonb")),
    Column("ranking", String(32), nullable=False, server_default="earliest"),
    Column("return_fee", Integer, nullable=False, server_default="0"),
    Column("updated_by", String(64)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Returned transfers (退匯): kept after the application leaves its batch, for the cashier's records.
payout_returns = Table(
    "payout_returns",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("application_id", UUID(as_uuid=True), ForeignKey("applications.id", ondelete="RESTRICT"), nullable=False),
    Column("batch_id", UUID(as_uuid=True), ForeignKey("payout_batches.id", ondelete="RESTRICT"), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("fee", Integer, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("returned_by", String(64), nullable=False),
    _now(),
    Index("ix_payout_returns_batch", "batch_id"),
)
