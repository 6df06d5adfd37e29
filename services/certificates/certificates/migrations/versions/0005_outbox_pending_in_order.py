"""pending outbox rows indexed in the relay's claim order (seq), not by available_at

Revision ID: certificates_0005
Revises: certificates_0004
"""

from certhub_kit.migrate import index_outbox_pending_by_seq, index_outbox_pending_by_time

revision = "certificates_0005"
down_revision = "certificates_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    index_outbox_pending_by_seq()


def downgrade() -> None:
    index_outbox_pending_by_time()
