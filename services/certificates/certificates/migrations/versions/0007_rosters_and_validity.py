"""Class rosters (pre-registered certificates waiting for their students) and catalog validity (expiry)

Revision ID: certificates_0007
Revises: certificates_0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "certificates_0007"
down_revision = "certificates_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("catalog_entries", sa.Column("validity", postgresql.JSONB(), nullable=True))
    op.add_column("certificates", sa.Column("roster_id", postgresql.UUID(as_uuid=True), nullable=True))
    op.create_table(
        "roster_prefills",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("roster_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("row_key", sa.String(length=64), nullable=False, unique=True),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("dept", sa.String(length=20)),
        sa.Column("entry_id", postgresql.UUID(as_uuid=True), sa.ForeignKey("catalog_entries.id"), nullable=False),
        sa.Column("level_id", postgresql.UUID(as_uuid=True), sa.ForeignKey("catalog_levels.id")),
        sa.Column("score", sa.String(length=50)),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("certificate_no", sa.String(length=100)),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("certificate_id", postgresql.UUID(as_uuid=True)),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_roster_prefills_roster_id", "roster_prefills", ["roster_id"])
    op.create_index("ix_roster_prefills_student", "roster_prefills", ["student_id", "completed_at"])


def downgrade() -> None:
    op.drop_index("ix_roster_prefills_student", table_name="roster_prefills")
    op.drop_index("ix_roster_prefills_roster_id", table_name="roster_prefills")
    op.drop_table("roster_prefills")
    op.drop_column("certificates", "roster_id")
    op.drop_column("catalog_entries", "validity")
