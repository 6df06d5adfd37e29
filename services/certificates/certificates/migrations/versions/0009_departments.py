"""the department registry (code, zh-TW and English names, active, position) with the demo departments;
catalog aliases (the names people type, e.g. 英檢 for GEPT), part of the catalog's search text

Revision ID: certificates_0009_departments
Revises: certificates_0008
"""

import sqlalchemy as sa
from alembic import op

from certhub_kit.departments import seed_rows
from certificates.adapters.tables import CATALOG_SEARCH_TEXT, CATALOG_SEARCH_TEXT_0003

revision = "certificates_0009_departments"
down_revision = "certificates_0008"
branch_labels = None
depends_on = None

# the demo catalog's entries that exist already (a fresh database gets them from demo_catalog.json)
DEMO_ALIASES = {
    "gept": "英檢, 全民英檢, GEPT",
    "toeic-lr": "多益, TOEIC",
    "ielts": "雅思",
    "toefl-ibt": "托福, TOEFL",
    "jlpt": "日檢, 日語檢定",
    "topik": "韓檢",
}


def _search_text(expression: str) -> None:
    op.drop_index("ix_catalog_search_trgm", table_name="catalog_entries")
    op.drop_column("catalog_entries", "search_text")
    op.add_column(
        "catalog_entries", sa.Column("search_text", sa.Text(), sa.Computed(expression, persisted=True), nullable=True)
    )
    op.create_index(
        "ix_catalog_search_trgm",
        "catalog_entries",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )


def upgrade() -> None:
    departments = op.create_table(
        "departments",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.bulk_insert(departments, seed_rows())
    op.add_column("catalog_entries", sa.Column("aliases", sa.Text(), nullable=True))
    _search_text(CATALOG_SEARCH_TEXT)
    for key, aliases in DEMO_ALIASES.items():
        op.execute(
            sa.text("UPDATE catalog_entries SET aliases = :a WHERE key = :k AND aliases IS NULL").bindparams(
                a=aliases, k=key
            )
        )


def downgrade() -> None:
    _search_text(CATALOG_SEARCH_TEXT_0003)
    op.drop_column("catalog_entries", "aliases")
    op.drop_table("departments")
