"""the SLA of each category's review track, and each certificate's category (overdue digests)

Revision ID: notify_0006
Revises: notify_0005_expiry
"""

import sqlalchemy as sa
from alembic import op

revision = "notify_0006"
down_revision = "notify_0005_expiry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "track_sla",
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("dept", sa.String(length=32), server_default="", nullable=False),
        sa.Column("sla_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("category", "dept"),
    )
    op.add_column("certificate_view", sa.Column("category", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("certificate_view", "category")
    op.drop_table("track_sla")
