"""pending outbox rows indexed in the relay's claim order (seq), not by available_at

Revision ID: review_0004
Revises: review_0003
"""

from certhub_kit.migrate import index_outbox_pending_by_seq, index_outbox_pending_by_time

revision = "review_0004"
down_revision = "review_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    index_outbox_pending_by_seq()


def downgrade() -> None:
    index_outbox_pending_by_time()
