"""pending outbox rows and pending mails indexed in their claim order (seq, id)

Revision ID: notify_0003
Revises: notify_0002
"""

import sqlalchemy as sa
from alembic import op

from certhub_kit.migrate import index_outbox_pending_by_seq, index_outbox_pending_by_time

revision = "notify_0003"
down_revision = "notify_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    index_outbox_pending_by_seq()
    op.create_index("ix_delivery_pending_id", "delivery", ["id"], postgresql_where=sa.text("status = 'pending'"))
    op.drop_index("ix_delivery_pending", table_name="delivery")


def downgrade() -> None:
    op.create_index("ix_delivery_pending", "delivery", ["available_at"], postgresql_where=sa.text("status = 'pending'"))
    op.drop_index("ix_delivery_pending_id", table_name="delivery")
    index_outbox_pending_by_time()
