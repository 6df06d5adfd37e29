"""the expiry date of each projected certificate (certificate snapshots' optional expires_on)

Revision ID: rewards_0006_expiry
Revises: rewards_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "rewards_0006_expiry"
down_revision = "rewards_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("eligible_certificates", sa.Column("expires_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("eligible_certificates", "expires_on")
