"""reward rules per academic year, application flags and capped amounts, returned transfers

Revision ID: rewards_0007
Revises: rewards_0006_expiry
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "rewards_0007"
down_revision = "rewards_0006_expiry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("standard_amount", sa.Integer(), nullable=True))
    op.add_column(
        "applications", sa.Column("flags", postgresql.JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb"))
    )
    op.add_column("applications", sa.Column("returned_fees", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "reward_rules",
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("cap_per_student", sa.Integer(), nullable=True),
        sa.Column("budget", sa.Integer(), nullable=True),
        sa.Column("exclusions", postgresql.JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("ranking", sa.String(length=32), nullable=False, server_default="earliest"),
        sa.Column("return_fee", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("academic_year"),
    )
    op.create_table(
        "payout_returns",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("batch_id", sa.UUID(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("returned_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["batch_id"], ["payout_batches.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_payout_returns_batch", "payout_returns", ["batch_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_payout_returns_batch", table_name="payout_returns")
    op.drop_table("payout_returns")
    op.drop_table("reward_rules")
    op.drop_column("applications", "returned_fees")
    op.drop_column("applications", "flags")
    op.drop_column("applications", "standard_amount")
