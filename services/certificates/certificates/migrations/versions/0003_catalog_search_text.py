"""catalog search over one lower-cased, trigram-indexed column

Revision ID: certificates_0003
Revises: certificates_0002
"""

import sqlalchemy as sa
from alembic import op

from certificates.adapters.tables import CATALOG_SEARCH_TEXT_0003 as CATALOG_SEARCH_TEXT

revision = "certificates_0003"
down_revision = "certificates_0002"
branch_labels = None
depends_on = None

COLUMNS = ("name", "name_en", "issuer", "national_code")


def upgrade() -> None:
    op.add_column(
        "catalog_entries",
        sa.Column("search_text", sa.Text(), sa.Computed(CATALOG_SEARCH_TEXT, persisted=True), nullable=True),
    )
    op.create_index(
        "ix_catalog_search_trgm",
        "catalog_entries",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    for column in COLUMNS:
        op.drop_index(
            f"ix_catalog_{'code' if column == 'national_code' else column}_trgm", table_name="catalog_entries"
        )


def downgrade() -> None:
    for column in COLUMNS:
        name = f"ix_catalog_{'code' if column == 'national_code' else column}_trgm"
        op.create_index(
            name,
            "catalog_entries",
            [column],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )
    op.drop_index("ix_catalog_search_trgm", table_name="catalog_entries")
    op.drop_column("catalog_entries", "search_text")
