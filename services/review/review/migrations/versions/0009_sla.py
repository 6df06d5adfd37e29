"""SLA per review track and the time an item entered its current stage

Revision ID: review_0009
Revises: review_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "review_0009"
down_revision = "review_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("review_tracks", sa.Column("sla_days", sa.Integer(), server_default="7", nullable=False))
    op.add_column(
        "review_items",
        sa.Column("stage_since", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    # items already waiting: their clock starts when they were queued
    op.execute("UPDATE review_items SET stage_since = queued_at")


def downgrade() -> None:
    op.drop_column("review_items", "stage_since")
    op.drop_column("review_tracks", "sla_days")
