"""content_version of a certificate (what was verified last changed) and the resend log the
confirmation-mail throttle counts

Revision ID: certificates_0006
Revises: certificates_0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "certificates_0006"
down_revision = "certificates_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "certificates", sa.Column("content_version", sa.Integer(), server_default=sa.text("1"), nullable=False)
    )
    op.create_table(
        "confirmation_resends",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("certificate_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("ix_confirmation_resends_student", "confirmation_resends", ["student_id", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_confirmation_resends_student", table_name="confirmation_resends")
    op.drop_table("confirmation_resends")
    op.drop_column("certificates", "content_version")
