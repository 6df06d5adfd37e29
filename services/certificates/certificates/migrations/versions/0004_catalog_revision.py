"""catalog revision: one row bumped by every statement writing the catalog (cache invalidation)

Revision ID: certificates_0004
Revises: certificates_0003

Statement-level triggers fire for INSERT/UPDATE/DELETE/TRUNCATE and for COPY (bulk loads), in the
writer's transaction. The value comes from a sequence, so a label is never reused — not even by a
transaction that rolled back after a replica had read its uncommitted bump from inside it.
"""

import sqlalchemy as sa
from alembic import op

revision = "certificates_0004"
down_revision = "certificates_0003"
branch_labels = None
depends_on = None

TABLES = ("catalog_entries", "catalog_levels")


def upgrade() -> None:
    op.execute("CREATE SEQUENCE catalog_revision_seq")
    op.create_table("catalog_revision", sa.Column("revision", sa.BigInteger(), nullable=False))
    op.execute("INSERT INTO catalog_revision (revision) VALUES (nextval('catalog_revision_seq'))")
    op.execute("""
        CREATE FUNCTION catalog_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE catalog_revision SET revision = nextval('catalog_revision_seq');
            RETURN NULL;
        END $$""")
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_bump()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_revision ON {table}")
    op.execute("DROP FUNCTION catalog_revision_bump()")
    op.drop_table("catalog_revision")
    op.execute("DROP SEQUENCE catalog_revision_seq")
