"""kit tables

Revision ID: rewards_0001
Revises:
Create Date: 2026-11-23 10:38:28.661709
"""

from certhub_kit.migrate import create_kit_tables_v1, drop_kit_tables_v1

revision = "rewards_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kit_tables_v1()


def downgrade() -> None:
    drop_kit_tables_v1()
