"""notify's copy of the department registry (department.changed events), seeded with the demo
departments: the names of departments in mails

Revision ID: notify_0007_departments
Revises: notify_0006
"""

import sqlalchemy as sa
from alembic import op

from certhub_kit.departments import seed_rows

revision = "notify_0007_departments"
down_revision = "notify_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    departments = op.create_table(
        "departments",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.bulk_insert(departments, seed_rows())


def downgrade() -> None:
    op.drop_table("departments")
