"""Per-track next-step texts for students (certificate status → zh-TW and English text)

Revision ID: review_0011_track_next_steps
Revises: review_0010_departments
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "review_0011_track_next_steps"
down_revision = "review_0010_departments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("review_tracks", sa.Column("next_steps", JSONB(), server_default="{}", nullable=False))


def downgrade() -> None:
    op.drop_column("review_tracks", "next_steps")
