"""a rejection's reason code and its fix instruction (zh-TW, English), as review sent them

Revision ID: certificates_0008
Revises: certificates_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "certificates_0008"
down_revision = "certificates_0007"
branch_labels = None
depends_on = None

COLUMNS = (
    ("review_reason_code", sa.String(length=40)),
    ("review_instruction", sa.Text()),
    ("review_instruction_en", sa.Text()),
)


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("certificates", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for name, _ in COLUMNS:
        op.drop_column("certificates", name)
