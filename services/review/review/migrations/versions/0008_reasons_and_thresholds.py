"""rejection reasons (an admin-kept list, seeded with the common ones), every rejection by reason,
graduation thresholds per department and cohort, and the CEFR of a queue item's level

Revision ID: review_0008
Revises: review_0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from review.domain.reasons import DEMO_REASONS

revision = "review_0008"
down_revision = "review_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    reasons = op.create_table(
        "review_reject_reasons",
        sa.Column("code", sa.String(length=40), primary_key=True),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("instruction", sa.Text(), nullable=False),
        sa.Column("instruction_en", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.bulk_insert(
        reasons,
        [
            {
                "code": r.code,
                "label": r.label,
                "label_en": r.label_en,
                "instruction": r.instruction,
                "instruction_en": r.instruction_en,
                "position": i,
            }
            for i, r in enumerate(DEMO_REASONS)
        ],
    )
    op.create_table(
        "review_rejections",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("certificate_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("dept", sa.String(length=32), nullable=True),
        sa.Column("reason_code", sa.String(length=40), nullable=True),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("ix_review_rejections_year", "review_rejections", ["academic_year", "reason_code"])
    op.create_table(
        "review_graduation_thresholds",
        sa.Column("dept", sa.String(length=32), nullable=False),
        sa.Column("cohort", sa.Integer(), nullable=False),
        sa.Column("rules", postgresql.JSONB(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.PrimaryKeyConstraint("dept", "cohort"),
    )
    op.add_column("review_items", sa.Column("cefr", sa.String(length=2), nullable=True))


def downgrade() -> None:
    op.drop_column("review_items", "cefr")
    op.drop_table("review_graduation_thresholds")
    op.drop_table("review_rejections")
    op.drop_table("review_reject_reasons")
