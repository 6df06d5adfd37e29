"""Alembic, one migration history per service (own ``version_table``), run on start or by command.

A service's ``migrations/env.py`` is only::

    from certhub_kit.migrate import run_env
    from <service>.adapters.orm import metadata
    run_env(metadata, version_table="alembic_version_<service>")
"""

from __future__ import annotations

import asyncio
import zlib
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.ext.asyncio import create_async_engine

from .db import ensure_database


def alembic_config(script_location: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def run_env(metadata: MetaData, *, version_table: str) -> None:
    """Body of every service's ``env.py``: online, async, under an advisory lock."""
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("alembic's sqlalchemy.url is not set (certhub_kit.migrate.alembic_config sets it)")

    def run(connection) -> None:
        context.configure(
            connection=connection, target_metadata=metadata, version_table=version_table, compare_type=True
        )
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool, hide_parameters=True)
        async with engine.connect() as connection:
            lock = zlib.crc32(version_table.encode())
            await connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock})
            await connection.commit()
            try:
                await connection.run_sync(run)
                await connection.commit()
            finally:
                await connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock})
                await connection.commit()
        await engine.dispose()

    asyncio.run(main())


async def upgrade(script_location: Path, url: str, *, app_role: str = "") -> None:
    """Create the database if missing, then ``alembic upgrade head`` (in a worker thread,
    because env.py runs its own event loop), then :func:`grant_least_privilege`."""
    await ensure_database(url)
    await asyncio.to_thread(command.upgrade, alembic_config(script_location, url), "head")
    await grant_least_privilege(url, app_role)


_AUDIT_INSERT_ONLY = """
DO $$
DECLARE holder regrole;
BEGIN
  FOR holder IN SELECT DISTINCT a.grantee::regrole FROM pg_class c, aclexplode(c.relacl) a
                WHERE c.oid = 'audit_log'::regclass AND a.grantee <> 0 AND a.grantee <> c.relowner
                  AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES') LOOP
    EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_log FROM ' || holder::text;
  END LOOP;
  REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_log FROM PUBLIC;
END $$"""


async def grant_least_privilege(url: str, app_role: str = "") -> None:
    """Run as the schema's owner after every migration (README "Least privilege"): ``app_role`` (the
    role the service signs in as, when it is not the owner) gets SELECT/INSERT/UPDATE/DELETE on every
    table and use of every sequence; then nobody but the owner keeps UPDATE, DELETE, TRUNCATE, TRIGGER
    or REFERENCES on ``audit_log`` — the service role may only add and read audit rows, and, owning
    nothing, can neither disable nor replace the append-only trigger. A no-op for a lone superuser."""
    engine = create_async_engine(url, poolclass=pool.NullPool, hide_parameters=True)
    try:
        async with engine.begin() as conn:
            if app_role:
                role = '"' + app_role.replace('"', '""') + '"'
                tables = f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
                await conn.execute(text(tables))
                await conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
            await conn.execute(text(_AUDIT_INSERT_ONLY))
    finally:
        await engine.dispose()


def autogenerate(script_location: Path, url: str, message: str) -> None:
    """Developer tool: write a new revision from the difference between metadata and ``url``."""
    asyncio.run(ensure_database(url))
    asyncio.run(asyncio.to_thread(command.upgrade, alembic_config(script_location, url), "head"))
    command.revision(alembic_config(script_location, url), message=message, autogenerate=True)


# --- schema steps of the kit's own tables: every service's chain runs each once --------------------
def index_outbox_pending_by_seq() -> None:
    """Pending outbox rows indexed in the relay's claim order (seq) instead of by ``available_at``."""
    op.create_index("ix_outbox_pending_seq", "outbox", ["seq"], postgresql_where=sa.text("state = 'pending'"))
    op.drop_index("ix_outbox_pending", table_name="outbox")


def index_outbox_pending_by_time() -> None:
    """The step above, undone."""
    op.create_index("ix_outbox_pending", "outbox", ["available_at"], postgresql_where=sa.text("state = 'pending'"))
    op.drop_index("ix_outbox_pending_seq", table_name="outbox")


def create_kit_tables() -> None:
    """The outbox, inbox and append-only audit log as they are now, in one step: the first migration
    of a service added after the kit tables settled (the older services' chains build them step by step)."""
    from .tables import AUDIT_APPEND_ONLY_SQL, add_kit_tables

    kit = sa.MetaData()
    add_kit_tables(kit)
    kit.create_all(op.get_bind())
    for statement in AUDIT_APPEND_ONLY_SQL:
        op.execute(statement)


def drop_kit_tables() -> None:
    for table in ("outbox", "inbox", "audit_log"):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")


def create_kit_tables_v1() -> None:
    """The kit tables as the four first services' first migration (``0001_kit_tables``) created them;
    their later migrations change them step by step (a new service uses :func:`create_kit_tables`)."""
    from sqlalchemy.dialects.postgresql import JSONB

    from .tables import AUDIT_APPEND_ONLY_SQL

    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=True),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=120), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("type", sa.String(length=120), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("type", sa.String(length=120), nullable=False),
        sa.Column("envelope", JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["available_at"], unique=False, postgresql_where="state = 'pending'")
    for statement in AUDIT_APPEND_ONLY_SQL:
        op.execute(statement)


def drop_kit_tables_v1() -> None:
    op.drop_index("ix_outbox_pending", table_name="outbox", postgresql_where="state = 'pending'")
    op.drop_table("outbox")
    op.drop_table("inbox")
    op.drop_table("audit_log")


def create_department_copy() -> None:
    """A consuming service's copy of the department registry (``department_copy.py``, kept by
    ``department.changed`` events), seeded with the demo departments."""
    from .departments import seed_rows

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
