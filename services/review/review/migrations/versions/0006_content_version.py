"""content_version of a queue item: decisions on an older version of what was verified are refused

Revision ID: review_0006
Revises: review_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "review_0006"
down_revision = "review_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("review_items", sa.Column("content_version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    op.drop_column("review_items", "content_version")
