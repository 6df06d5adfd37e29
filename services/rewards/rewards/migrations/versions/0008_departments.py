"""rewards' copy of the department registry (department.changed events), seeded with the demo departments;
payout batches named by academic year and number (115學年第1批)

Revision ID: rewards_0008_departments
Revises: rewards_0007
"""

import sqlalchemy as sa
from alembic import op

from certhub_kit.migrate import create_department_copy

revision = "rewards_0008_departments"
down_revision = "rewards_0007"
branch_labels = None
depends_on = None

# batches made before: the academic year they were made in (Asia/Taipei; 學年 N starts on August 1 of N + 1911),
# numbered in the order they were made
BACKFILL = """
WITH named AS (
    SELECT id, year, row_number() OVER (PARTITION BY year ORDER BY seq) AS n
    FROM (SELECT id, seq, CAST(extract(year FROM created_at AT TIME ZONE 'Asia/Taipei') AS integer) - 1911
                 - CASE WHEN extract(month FROM created_at AT TIME ZONE 'Asia/Taipei') < 8 THEN 1 ELSE 0 END AS year
          FROM payout_batches) AS made)
UPDATE payout_batches b SET academic_year = named.year, year_seq = named.n FROM named WHERE b.id = named.id
"""


def upgrade() -> None:
    create_department_copy()
    op.add_column("payout_batches", sa.Column("academic_year", sa.Integer(), nullable=True))
    op.add_column("payout_batches", sa.Column("year_seq", sa.Integer(), nullable=True))
    op.execute(BACKFILL)
    op.create_unique_constraint("uq_payout_batches_year_seq", "payout_batches", ["academic_year", "year_seq"])


def downgrade() -> None:
    op.drop_constraint("uq_payout_batches_year_seq", "payout_batches", type_="unique")
    op.drop_column("payout_batches", "year_seq")
    op.drop_column("payout_batches", "academic_year")
    op.drop_table("departments")
