"""staff seen using the review API (for notify's reviewer digests)

Revision ID: review_0006
Revises: review_0005
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'review_0006'
down_revision = 'review_0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reviewers_seen',
    sa.Column('reviewer_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('depts', postgresql.ARRAY(sa.String(length=32)), nullable=False),
    sa.Column('roles', postgresql.ARRAY(sa.String(length=16)), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('reviewer_id')
    )


def downgrade() -> None:
    op.drop_table('reviewers_seen')
