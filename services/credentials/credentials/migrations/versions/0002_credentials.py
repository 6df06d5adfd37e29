"""credentials, the certificate facts they are built from, generated signing keys

Revision ID: credentials_0002
Revises: credentials_0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "credentials_0002"
down_revision = "credentials_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("certificate_id", sa.UUID(), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("display", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status_list", sa.Integer(), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.Column("verifications", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("status_list", "status_index", name="uq_credentials_status_slot"),
    )
    op.create_index("ix_credentials_student", "credentials", ["student_id", "certificate_id"], unique=False)
    op.create_index(
        "uq_credentials_certificate_in_force",
        "credentials",
        ["certificate_id"],
        unique=True,
        postgresql_where="state <> 'revoked'",
    )
    op.create_table(
        "certificate_facts",
        sa.Column("certificate_id", sa.UUID(), nullable=False),
        sa.Column("original_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("certificate_id"),
    )
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("seed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("signing_keys")
    op.drop_table("certificate_facts")
    op.drop_index("uq_credentials_certificate_in_force", table_name="credentials")
    op.drop_index("ix_credentials_student", table_name="credentials")
    op.drop_table("credentials")
