"""reviewers seen by the review service: the digests' recipients

Revision ID: notify_0004
Revises: notify_0003
"""

from alembic import op

from certhub_kit.tables import staff_columns

revision = "notify_0004"
down_revision = "notify_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("known_reviewer", *staff_columns())


def downgrade() -> None:
    op.drop_table("known_reviewer")
