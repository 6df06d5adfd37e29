"""The certificates service's own tables: catalog, requests, students' certificates, tokens, tracks."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from .metadata import metadata

NOW = func.now()
# One lower-cased text of everything a student may type into the catalog search: one LIKE instead of
# four ILIKEs, trigram-indexed (terms of three characters and more use the index).
# Migration 0003 made it of names, issuer and code; 0009 added the aliases (the names people type: 英檢).
CATALOG_SEARCH_TEXT_0003 = (
    "lower(name || ' ' || coalesce(name_en, '') || ' ' || issuer || ' ' || coalesce(national_code, ''))"
)
CATALOG_SEARCH_TEXT = (
    "lower(name || ' ' || coalesce(name_en, '') || ' ' || issuer || ' ' || "
    "coalesce(national_code, '') || ' ' || coalesce(aliases, ''))"
)

categories = Table(
    "categories",
    metadata,
    Column("code", Integer, primary_key=True, autoincrement=False),
    Column("name", String(50), nullable=False),
    Column("name_en", String(100)),
)

catalog_entries = Table(
    "catalog_entries",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("key", String(80), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("name_en", String(200)),
    Column("issuer", String(200), nullable=False),
    Column("category", Integer, ForeignKey("categories.code"), nullable=False),
    Column("foreign", Boolean, nullable=False, server_default=text("false")),
    Column("national_code", String(40), unique=True),
    Column("it_certificate", Boolean, nullable=False, server_default=text("false")),
    Column("bundle", String(20)),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("validity", JSONB),  # domain/validity.py; NULL = never expires
    Column("aliases", Text),  # the names people type for it (英檢, 多益), joined by ", "; searched like names
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("search_text", Text, Computed(CATALOG_SEARCH_TEXT, persisted=True)),
    Index(
        "ix_catalog_search_trgm", "search_text", postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"}
    ),
    Index("ix_catalog_code_prefix", text("upper(national_code) text_pattern_ops")),
    Index("ix_catalog_category_name", "category", "name"),
)

# The department registry (admin-kept); published as department.changed.v1 to review and rewards.
departments = Table(
    "departments",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("name_en", String(200)),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("position", Integer, nullable=False, server_default=text("0")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=NOW),
)

catalog_levels = Table(
    "catalog_levels",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("entry_id", UUID(as_uuid=True), ForeignKey("catalog_entries.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("name_en", String(100)),
    Column("cefr", String(2)),
    Column("min_score", Numeric(10, 2)),
    Column("max_score", Numeric(10, 2)),
    Column("position", Integer, nullable=False, server_default=text("0")),
    UniqueConstraint("entry_id", "name", name="uq_catalog_levels_entry_name"),
)

# One row: bumped (from the sequence ``catalog_revision_seq``) by statement triggers on catalog_entries and
# catalog_levels — migration 0004 — so each process's in-memory catalog knows when it is stale.
catalog_revision = Table(
    "catalog_revision",
    metadata,
    Column("revision", BigInteger, nullable=False),
)

catalog_requests = Table(
    "catalog_requests",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("student_id", String(64), nullable=False, index=True),
    Column("student_name", String(100), nullable=False),
    Column("student_email", String(254)),
    Column("dept", String(20)),
    Column("name", String(200), nullable=False),
    Column("issuer", String(200)),
    Column("level_name", String(100)),
    Column("note", Text),
    Column("status", String(12), nullable=False, server_default="pending"),
    Column("reason", Text),
    Column("entry_id", UUID(as_uuid=True), ForeignKey("catalog_entries.id", ondelete="SET NULL")),
    Column("answered_by", String(64)),
    Column("answered_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
)

certificates = Table(
    "certificates",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("student_id", String(64), nullable=False),
    Column("student_name", String(100), nullable=False),
    Column("student_email", String(254)),
    Column("dept", String(20)),
    Column("division", String(20)),
    Column("program", String(20)),
    Column("klass", String(20)),
    Column("entry_id", UUID(as_uuid=True), ForeignKey("catalog_entries.id"), nullable=False),
    Column("level_id", UUID(as_uuid=True), ForeignKey("catalog_levels.id")),
    Column("score", String(50)),
    Column("issued_on", Date, nullable=False),
    Column("certificate_no", String(100)),
    Column("email", String(254), nullable=False),
    Column("phone", String(30)),
    Column("mobile", String(30)),
    Column("remarks", String(500)),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False, server_default=text("1")),
    Column("content_version", Integer, nullable=False, server_default=text("1")),  # see domain.status.VERIFIED_FIELDS
    Column("needs_confirmation", Boolean, nullable=False, server_default=text("false")),
    Column("scan_key", String(120), nullable=False),
    Column("scan_content_type", String(40), nullable=False),
    Column("scan_pages", Integer, nullable=False, server_default=text("1")),
    Column("scan_phash", String(16)),
    Column("thumbnail_key", String(120), nullable=False),
    Column("reviewer_id", String(64)),
    Column("reviewer_name", String(100)),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("review_reason", Text),
    Column("review_reason_code", String(40)),  # review's reason list (GET /api/review/reasons)
    Column("review_instruction", Text),  # what the student should do to fix it
    Column("review_instruction_en", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("submitted_at", DateTime(timezone=True)),
    Column("roster_id", UUID(as_uuid=True)),  # pre-registered from a class roster (roster_prefills)
    Index("ix_certificates_student", "student_id", "created_at", "id"),
    Index("ix_certificates_dept_status", "dept", "status", "created_at"),
    Index("ix_certificates_created", "created_at", "id"),
)

confirmation_tokens = Table(
    "confirmation_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column(
        "certificate_id",
        UUID(as_uuid=True),
        ForeignKey("certificates.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

track_rules = Table(
    "track_rules",
    metadata,
    Column("category", Integer, primary_key=True, autoincrement=False),
    Column("dept", String(20), primary_key=True),  # "" = every department
    Column("track", String(40), nullable=False),
    Column("confirmation_required", Boolean, nullable=False),
    Column("as_of", DateTime(timezone=True), nullable=False),
)

# Every resent confirmation mail, kept when its certificate is deleted: the throttle counts a
# student's resends over the last hour (service_layer/registration.py, resend_confirmation).
confirmation_resends = Table(
    "confirmation_resends",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("student_id", String(64), nullable=False),
    Column("certificate_id", UUID(as_uuid=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Index("ix_confirmation_resends_student", "student_id", "sent_at"),
)

# Class rosters (團體申報): each confirmed row waits here as a pre-registered certificate until its student
# completes it (scan, email confirmation) — only then is it a certificate and flows as one (README, "Class
# rosters"). ``row_key`` (domain/roster.py) makes a re-upload of the same roster change nothing.
roster_prefills = Table(
    "roster_prefills",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("roster_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("row_key", String(64), nullable=False, unique=True),
    Column("row", Integer, nullable=False),
    Column("student_id", String(64), nullable=False),
    Column("dept", String(20)),
    Column("entry_id", UUID(as_uuid=True), ForeignKey("catalog_entries.id"), nullable=False),
    Column("level_id", UUID(as_uuid=True), ForeignKey("catalog_levels.id")),
    Column("score", String(50)),
    Column("issued_on", Date, nullable=False),
    Column("certificate_no", String(100)),
    Column("uploaded_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("certificate_id", UUID(as_uuid=True)),  # set when the student completed it
    Column("completed_at", DateTime(timezone=True)),
    Index("ix_roster_prefills_student", "student_id", "completed_at"),
)
