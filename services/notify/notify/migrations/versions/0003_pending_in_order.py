"""pending outbox rows and pending mails indexed in their claim order (seq, id)

Revision ID: notify_0003
Revises: notify_0002
"""
from alembic import op
import sqlalchemy as sa

revision = 'notify_0003'
down_revision = 'notify_0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_outbox_pending_seq', 'outbox', ['seq'], postgresql_where=sa.text("state = 'pending'"))
    op.drop_index('ix_outbox_pending', table_name='outbox')
    op.create_index('ix_delivery_pending_id', 'delivery', ['id'], postgresql_where=sa.text("status = 'pending'"))
    op.drop_index('ix_delivery_pending', table_name='delivery')


def downgrade() -> None:
    op.create_index('ix_delivery_pending', 'delivery', ['available_at'],
                    postgresql_where=sa.text("status = 'pending'"))
    op.drop_index('ix_delivery_pending_id', table_name='delivery')
    op.create_index('ix_outbox_pending', 'outbox', ['available_at'], postgresql_where=sa.text("state = 'pending'"))
    op.drop_index('ix_outbox_pending_seq', table_name='outbox')
