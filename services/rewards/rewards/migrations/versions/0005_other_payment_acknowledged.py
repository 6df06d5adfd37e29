"""who at the centre acknowledged an "other" payment method, and when

Revision ID: rewards_0005
Revises: rewards_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "rewards_0005"
down_revision = "rewards_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bank_accounts", sa.Column("other_acknowledged_by", sa.String(length=64), nullable=True))
    op.add_column("bank_accounts", sa.Column("other_acknowledged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("bank_accounts", "other_acknowledged_at")
    op.drop_column("bank_accounts", "other_acknowledged_by")
