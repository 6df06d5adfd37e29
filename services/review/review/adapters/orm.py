"""Tables of the review database (SQLAlchemy Core; mapped in repositories)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Computed,
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
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from certhub_kit.department_copy import department_table
from certhub_kit.tables import add_kit_tables, staff_columns

from ..domain.rules import PHASH_BANDS

# domain.rules.phash_bands in SQL: the bands of a well-formed hash, NULL otherwise
SCAN_BANDS = (
    "CASE WHEN scan_phash ~ '^[0-9a-fA-F]{16}$' THEN ARRAY["
    + ", ".join(
        f"substring(('x' || scan_phash)::bit(64) from {start + 1} for {size})::integer + {n * 1024}"
        for n, (start, size) in enumerate(PHASH_BANDS)
    )
    + "] END"
)

metadata = MetaData()
outbox, inbox, audit_log = add_kit_tables(metadata)
# The certificates service's department registry, as its department.changed events said.
departments = department_table(metadata)

# Staff who used the review API, as their token said (told to notify for the digests).
reviewers_seen = Table("reviewers_seen", metadata, *staff_columns())

# The queue: the latest certificate snapshot (never older versions) plus review's own fields.
review_items = Table(
    "review_items",
    metadata,
    Column("certificate_id", UUID(as_uuid=True), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("content_version", Integer, nullable=False, server_default="1"),  # CertificateSnapshot.content_version
    Column("student_id", String(64), nullable=False),
    Column("student_name", String(200), nullable=False),
    Column("student_email", String(320)),
    Column("dept", String(32)),
    Column("division", String(32)),
    Column("program", String(32)),
    Column("class_", String(32)),
    Column("entry_id", UUID(as_uuid=True), nullable=False),
    Column("entry_key", String(120), nullable=False),
    Column("entry_name", String(300), nullable=False),
    Column("entry_name_en", String(300)),  # shown in English mode (the snapshot's, when it has one)
    Column("category", Integer, nullable=False),
    Column("it_certificate", Boolean, nullable=False, server_default="false"),
    Column("bundle", String(40)),
    Column("national_code", String(40)),
    Column("level_name", String(120)),
    Column("level_name_en", String(120)),
    Column("cefr", String(2)),  # of the level; graduation thresholds ask for CEFR at least …
    Column("issued_on", Date, nullable=False),
    Column("certificate_no", String(120)),
    Column("scan_phash", String(16)),
    Column("scan_bands", ARRAY(Integer), Computed(SCAN_BANDS, persisted=True)),  # see domain.rules.PHASH_BANDS
    Column("status", String(32), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("submitted_at", DateTime(timezone=True)),
    Column("queued_at", DateTime(timezone=True), nullable=False),  # pending since (submitted, else registered)
    # since the item entered its current status (or what was verified last changed): its SLA clock
    Column("stage_since", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("track", String(40)),
    Column("rule_year", Integer),
    Column("checklist", JSONB, nullable=False, server_default="[]"),
    Column("flags", JSONB, nullable=False, server_default="[]"),
    Column("original_key", String(200)),
    Column("original_content_type", String(60)),
    Column("original_checked_at", DateTime(timezone=True)),
    Column("original_checked_by", String(64)),
    Column("last_decision", String(32)),
    Column("decided_by", String(64)),
    Column("decided_at", DateTime(timezone=True)),
    Column("awaiting_status", String(32)),  # emitted decision not yet reflected in a snapshot
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_review_items_queue", "status", "queued_at", "certificate_id"),
    Index("ix_review_items_dept", "dept", "status", "queued_at"),
    Index("ix_review_items_student", "student_id", "bundle"),
    # fastupdate off: each insert updates the index itself, steady, rather than a pending list that a
    # later insert (or vacuum) must merge all at once
    Index("ix_review_items_scan_bands", "scan_bands", postgresql_using="gin", postgresql_with={"fastupdate": "off"}),
    # The centre's default queue (every department, the reviewable statuses), oldest first, off one index.
    Index(
        "ix_review_items_reviewable",
        "queued_at",
        "certificate_id",
        postgresql_where=text("status IN ('rereview', 'submitted', 'verifying')"),
    ),
)
# Duplicate detection compares certificate numbers case- and space-insensitively.
Index("ix_review_items_certificate_no", func.upper(func.trim(review_items.c.certificate_no)))

review_tracks = Table(
    "review_tracks",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("confirmation_required", Boolean, nullable=False, server_default="false"),
    Column("original_check_required", Boolean, nullable=False, server_default="false"),
    Column("credit_waiver", Boolean, nullable=False, server_default="false"),
    Column("recognised", JSONB),  # list of entry keys, or NULL = every entry
    Column("bundles", JSONB, nullable=False, server_default="{}"),
    Column("sla_days", Integer, nullable=False, server_default="7"),  # domain.tracks.DEFAULT_SLA_DAYS
    Column("next_steps", JSONB, nullable=False, server_default="{}"),  # status → {"zh", "en"}
)

# dept '' = the category's assignment for every department without an override.
track_assignments = Table(
    "review_track_assignments",
    metadata,
    Column("category", Integer, nullable=False),
    Column("dept", String(32), nullable=False, server_default=""),
    Column("track", String(40), nullable=False),
    PrimaryKeyConstraint("category", "dept"),
)

rule_configs = Table(
    "review_rule_configs",
    metadata,
    Column("academic_year", Integer, primary_key=True),
    Column("reporting_window_months", Integer, nullable=False),
    Column("window_applies_from", Date, nullable=False),
    Column("phash_threshold", Integer, nullable=False),
    Column("dept_thresholds", JSONB, nullable=False, server_default="{}"),
    Column("updated_by", String(64)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# One row per (student, bundle), locked FOR UPDATE while a member passes.
bundle_progress = Table(
    "review_bundle_progress",
    metadata,
    Column("student_id", String(64), nullable=False),
    Column("bundle", String(40), nullable=False),
    Column("members", JSONB, nullable=False, server_default="[]"),
    Column("complete", Boolean, nullable=False, server_default="false"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("student_id", "bundle"),
)

# The certificate that holds a student's credit waiver (first passing IT certificate).
credit_waivers = Table(
    "review_credit_waivers",
    metadata,
    Column("student_id", String(64), primary_key=True),
    Column("certificate_id", UUID(as_uuid=True), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("note", Text),
)

# Deleted certificates: a late or redelivered snapshot never brings them back.
deleted_certificates = Table(
    "review_deleted_certificates",
    metadata,
    Column("certificate_id", UUID(as_uuid=True), primary_key=True),
    Column("deleted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The admin-kept list of rejection reasons (domain.reasons); codes are retired, never deleted.
reject_reasons = Table(
    "review_reject_reasons",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("label", String(100), nullable=False),
    Column("label_en", String(200), nullable=False),
    Column("instruction", Text, nullable=False),
    Column("instruction_en", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("updated_by", String(64)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Every rejection, with its reason code (null: free text only), for the report by reason.
rejections = Table(
    "review_rejections",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("certificate_id", UUID(as_uuid=True), nullable=False),
    Column("dept", String(32)),
    Column("reason_code", String(40)),
    Column("academic_year", Integer, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_review_rejections_year", "academic_year", "reason_code"),
)

# Graduation thresholds (domain.graduation): one rule set per department and entry cohort.
graduation_thresholds = Table(
    "review_graduation_thresholds",
    metadata,
    Column("dept", String(32), nullable=False),
    Column("cohort", Integer, nullable=False),
    Column("rules", JSONB, nullable=False),
    Column("updated_by", String(64)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("dept", "cohort"),
)
