"""kit tables (outbox, inbox, append-only audit log)

Revision ID: credentials_0001
Revises:
"""

from certhub_kit.migrate import create_kit_tables, drop_kit_tables

revision = "credentials_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kit_tables()


def downgrade() -> None:
    drop_kit_tables()
