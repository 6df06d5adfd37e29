"""history query indexes: a class of a year newest first; student-number prefixes

Revision ID: rewards_0003
Revises: rewards_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "rewards_0003"
down_revision = "rewards_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_applications_year_dept_class", "applications", ["academic_year", "dept", "class_", "seq"])
    op.create_index("ix_applications_student_prefix", "applications", [sa.text("lower(student_id) text_pattern_ops")])


def downgrade() -> None:
    op.drop_index("ix_applications_student_prefix", table_name="applications")
    op.drop_index("ix_applications_year_dept_class", table_name="applications")
