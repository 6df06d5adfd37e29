"""the expiry date of each certificate in notify's view (the expiry digest)

Revision ID: notify_0005_expiry
Revises: notify_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "notify_0005_expiry"
down_revision = "notify_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("certificate_view", sa.Column("expires_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("certificate_view", "expires_on")
