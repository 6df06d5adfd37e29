"""the centre's default queue off a partial index of the reviewable statuses

Revision ID: review_0003
Revises: review_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "review_0003"
down_revision = "review_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_review_items_reviewable",
        "review_items",
        ["queued_at", "certificate_id"],
        postgresql_where=sa.text("status IN ('rereview', 'submitted', 'verifying')"),
    )


def downgrade() -> None:
    op.drop_index("ix_review_items_reviewable", table_name="review_items")
