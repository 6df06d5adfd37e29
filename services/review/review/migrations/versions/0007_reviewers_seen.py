"""staff seen using the review API (for notify's reviewer digests)

Revision ID: review_0007
Revises: review_0006
"""

from alembic import op

from certhub_kit.tables import staff_columns

revision = "review_0007"
down_revision = "review_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("reviewers_seen", *staff_columns())


def downgrade() -> None:
    op.drop_table("reviewers_seen")
