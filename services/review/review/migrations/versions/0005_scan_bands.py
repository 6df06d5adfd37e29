"""scan hash bands (generated) and their GIN index: near scans found through an index

Revision ID: review_0005
Revises: review_0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "review_0005"
down_revision = "review_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "review_items",
        sa.Column(
            "scan_bands",
            postgresql.ARRAY(sa.Integer()),
            sa.Computed(
                "CASE WHEN scan_phash ~ '^[0-9a-fA-F]{16}$' THEN ARRAY[substring(('x' || scan_phash)::bit(64) from 1 for 10)::integer + 0, substring(('x' || scan_phash)::bit(64) from 11 for 9)::integer + 1024, substring(('x' || scan_phash)::bit(64) from 20 for 9)::integer + 2048, substring(('x' || scan_phash)::bit(64) from 29 for 9)::integer + 3072, substring(('x' || scan_phash)::bit(64) from 38 for 9)::integer + 4096, substring(('x' || scan_phash)::bit(64) from 47 for 9)::integer + 5120, substring(('x' || scan_phash)::bit(64) from 56 for 9)::integer + 6144] END",
                persisted=True,
            ),
            nullable=True,
        ),
    )
    op.create_index(
        "ix_review_items_scan_bands",
        "review_items",
        ["scan_bands"],
        unique=False,
        postgresql_using="gin",
        postgresql_with={"fastupdate": "off"},
    )


def downgrade() -> None:
    op.drop_index("ix_review_items_scan_bands", table_name="review_items", postgresql_using="gin")
    op.drop_column("review_items", "scan_bands")
