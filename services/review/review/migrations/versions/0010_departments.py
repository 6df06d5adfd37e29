"""review's copy of the department registry (department.changed events), seeded with the demo departments;
the English names of an item's catalog entry and level (shown in English mode)

Revision ID: review_0010_departments
Revises: review_0009
"""

import sqlalchemy as sa
from alembic import op

from certhub_kit.migrate import create_department_copy

revision = "review_0010_departments"
down_revision = "review_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_department_copy()
    op.add_column("review_items", sa.Column("entry_name_en", sa.String(length=300), nullable=True))
    op.add_column("review_items", sa.Column("level_name_en", sa.String(length=120), nullable=True))


def downgrade() -> None:
    op.drop_column("review_items", "level_name_en")
    op.drop_column("review_items", "entry_name_en")
    op.drop_table("departments")
