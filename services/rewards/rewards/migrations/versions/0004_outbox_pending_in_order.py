"""pending outbox rows indexed in the relay's claim order (seq), not by available_at

Revision ID: rewards_0004
Revises: rewards_0003
"""
from alembic import op
import sqlalchemy as sa

revision = 'rewards_0004'
down_revision = 'rewards_0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_outbox_pending_seq', 'outbox', ['seq'], postgresql_where=sa.text("state = 'pending'"))
    op.drop_index('ix_outbox_pending', table_name='outbox')


def downgrade() -> None:
    op.create_index('ix_outbox_pending', 'outbox', ['available_at'], postgresql_where=sa.text("state = 'pending'"))
    op.drop_index('ix_outbox_pending_seq', table_name='outbox')
