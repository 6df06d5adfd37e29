"""reviewers seen by the review service: the digests' recipients

Revision ID: notify_0004
Revises: notify_0003
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'notify_0004'
down_revision = 'notify_0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('known_reviewer',
    sa.Column('reviewer_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('depts', postgresql.ARRAY(sa.String(length=32)), nullable=False),
    sa.Column('roles', postgresql.ARRAY(sa.String(length=16)), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('reviewer_id')
    )


def downgrade() -> None:
    op.drop_table('known_reviewer')
