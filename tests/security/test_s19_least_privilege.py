"""S19: least privilege in PostgreSQL. deploy/postgres/init-databases.sh (the script compose's postgres
image runs) creates, under a prefix of this run, the four databases with an owner role and a service
role each; every service's real migrations run as its owner (certhub_kit.migrate, then
``grant_least_privilege``); then, signed in as each service role: its own tables are readable and
writable and audit rows can be added, but UPDATE, DELETE and TRUNCATE of audit_log, ALTER TABLE …
DISABLE TRIGGER, DROP TRIGGER, replacing the trigger function, turning triggers off for the session,
creating tables and connecting to another service's database are all refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from certhub_kit.migrate import upgrade
from tests.support.fleet import SERVICES

pytestmark = pytest.mark.security
SCRIPT = Path(__file__).resolve().parents[2] / "deploy/postgres/init-databases.sh"
FORBIDDEN = {
    "UPDATE audit_log": "UPDATE audit_log SET reason = 'rewritten'",
    "DELETE audit_log": "DELETE FROM audit_log",
    "TRUNCATE audit_log": "TRUNCATE audit_log",
    "DISABLE TRIGGER": "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "DROP TRIGGER": "DROP TRIGGER audit_log_no_update ON audit_log",
    "replace the trigger function": "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger "
    "AS $$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql",
    "session_replication_role": "SET session_replication_role = replica",
    "CREATE TABLE": "CREATE TABLE shadow (x int)",
}


def _migrations(service: str) -> Path:
    import importlib

    return Path(importlib.import_module(f"{service}.bootstrap").MIGRATIONS)


@pytest.fixture(scope="module")
async def roles(pg_server):
    if shutil.which("psql") is None:
        pytest.skip("psql (postgresql-client) is needed to run deploy/postgres/init-databases.sh")
    server = urlsplit(pg_server.replace("postgresql+asyncpg", "postgresql"))
    prefix = f"t{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "CERTHUB_DB_PREFIX": prefix,
        "POSTGRES_USER": server.username or "postgres",
        "PGHOST": server.hostname or "127.0.0.1",
        "PGPORT": str(server.port or 5432),
        "PGPASSWORD": server.password or "",
    }
    for service in SERVICES:
        env[f"CERTHUB_{service.upper()}_DB_PASSWORD"] = uuid.uuid4().hex
        env[f"CERTHUB_{service.upper()}_DB_OWNER_PASSWORD"] = uuid.uuid4().hex
    base = f"postgresql+asyncpg://{{user}}:{{password}}@{server.hostname}:{server.port or 5432}/{{db}}"
    try:
        subprocess.run(["bash", str(SCRIPT)], env=env, check=True, capture_output=True, timeout=120)
        urls = {}
        for service in SERVICES:
            db = f"{prefix}_{service}"
            secret = f"CERTHUB_{service.upper()}_DB_"
            urls[service] = {
                "owner": base.format(user=f"{db}_owner", password=env[f"{secret}OWNER_PASSWORD"], db=db),
                "app": base.format(user=db, password=env[f"{secret}PASSWORD"], db=db),
            }
            await upgrade(_migrations(service), urls[service]["owner"], app_role=db)
        yield prefix, urls
    finally:
        await _drop(pg_server, prefix)


async def _drop(pg_server: str, prefix: str) -> None:
    admin = create_async_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            for service in SERVICES:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{prefix}_{service}" WITH (FORCE)'))
            for service in SERVICES:
                for role in (f"{prefix}_{service}", f"{prefix}_{service}_owner"):
                    await conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    finally:
        await admin.dispose()


async def _refused(url: str, statement: str) -> bool:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
        return False
    except DBAPIError as exc:
        return "permission denied" in str(exc) or "must be owner" in str(exc)
    finally:
        await engine.dispose()


async def _works(url: str) -> bool:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            tables = [
                r[0] for r in await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            ]
            for table in tables:
                await conn.execute(text(f'SELECT 1 FROM "{table}" LIMIT 1'))
            await conn.execute(text("INSERT INTO audit_log (action, subject) VALUES ('s19.probe', 'x')"))
            await conn.execute(text("UPDATE outbox SET attempts = attempts WHERE false"))
            await conn.execute(text("DELETE FROM inbox WHERE false"))
            return await conn.scalar(text("SELECT count(*) FROM audit_log WHERE action = 's19.probe'")) == 1
    finally:
        await engine.dispose()


async def test_s19_a_service_role_cannot_bend_the_audit_trail_or_reach_another_database(roles) -> None:
    prefix, urls = roles
    refused, tried, failures, usable = 0, 0, [], 0
    for n, service in enumerate(SERVICES):
        app = urls[service]["app"]
        usable += await _works(app)
        other = SERVICES[(n + 1) % len(SERVICES)]
        attempts = {**FORBIDDEN, f"connect to {other}": None}
        for label, statement in attempts.items():
            tried += 1
            if statement is None:
                ok = await _cannot_connect(app.rsplit("/", 1)[0] + f"/{prefix}_{other}")
            else:
                ok = await _refused(app, statement)
            refused += ok
            if not ok:
                failures.append(f"{service}: {label}")
    print(
        f"\nS19: {usable}/{len(SERVICES)} service roles read and write their own tables and add audit rows; "
        f"{refused}/{tried} attempts refused (UPDATE/DELETE/TRUNCATE audit_log, DISABLE/DROP TRIGGER, replace "
        f"the trigger function, session_replication_role, CREATE TABLE, connect to another service's database)"
    )
    assert usable == len(SERVICES)
    assert not failures, failures


async def _cannot_connect(url: str) -> bool:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return False
    except DBAPIError as exc:
        return "permission denied" in str(exc)
    finally:
        await engine.dispose()


async def test_s19_migrations_stay_repeatable_as_the_owner(roles) -> None:
    """A second migration run (a new image, nothing to do) as the owner changes no privilege."""
    _, urls = roles
    await upgrade(_migrations("review"), urls["review"]["owner"], app_role=roles[0] + "_review")
    assert await _refused(urls["review"]["app"], FORBIDDEN["DELETE audit_log"])
