"""notify's copy of the department registry (department.changed events), seeded with the demo
departments: the names of departments in mails

Revision ID: notify_0007_departments
Revises: notify_0006
"""

from alembic import op

from certhub_kit.migrate import create_department_copy

revision = "notify_0007_departments"
down_revision = "notify_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_department_copy()


def downgrade() -> None:
    op.drop_table("departments")
