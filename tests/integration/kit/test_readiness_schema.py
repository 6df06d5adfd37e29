"""``/readyz`` answers 503 until the service's database is at its migration head (real PostgreSQL)."""

from __future__ import annotations

import importlib

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from certhub_kit import migrate
from certhub_kit.db import ensure_database
from certhub_kit.schema import script_heads
from tests.support.apps import Clients, running

SERVICES = ["certificates", "review", "rewards", "notify"]


@pytest.mark.parametrize("service", SERVICES)
def test_the_heads_read_from_the_scripts_are_alembics_heads(service):
    migrations = importlib.import_module(f"{service}.bootstrap").MIGRATIONS
    config = Config()
    config.set_main_option("script_location", str(migrations))
    assert script_heads(migrations) == frozenset(ScriptDirectory.from_config(config).get_heads())


async def test_an_unmigrated_database_is_not_ready_until_migrate_runs(settings_for, issuer):
    from notify.bootstrap import MIGRATIONS, create_app, load_settings

    settings = load_settings(
        **settings_for("notify", isolation="unmigrated", migrate_on_start=False, scheduler_enabled=False)
    )
    await ensure_database(settings.database_url)  # it exists, but holds no tables
    app = create_app(settings)
    async with running(app), Clients(app, issuer).anonymous() as client:
        before = await client.get("/readyz")
        assert before.status_code == 503, before.text
        body = before.json()
        assert body["status"] == "unavailable" and body["checks"]["database"] is True
        assert body["checks"]["schema"] is False
        assert "python -m notify migrate" in body["message"] and "migration" in body["message_en"]
        assert (await client.get("/healthz")).status_code == 200  # alive, just not ready

        await migrate.upgrade(MIGRATIONS, settings.database_url)
        after = await client.get("/readyz")
        assert after.status_code == 200, after.text
        assert after.json()["checks"]["schema"] is True and "message" not in after.json()
        assert app.state.runtime.schema.at_head  # remembered: later probes ask the database nothing more


async def test_a_database_behind_the_head_is_not_ready(settings_for, issuer):
    from notify.bootstrap import MIGRATIONS, create_app, load_settings

    settings = load_settings(
        **settings_for("notify", isolation="behind", migrate_on_start=False, scheduler_enabled=False)
    )
    await ensure_database(settings.database_url)
    await migrate.asyncio.to_thread(
        migrate.command.upgrade, migrate.alembic_config(MIGRATIONS, settings.database_url), "notify_0002"
    )
    app = create_app(settings)
    async with running(app), Clients(app, issuer).anonymous() as client:
        assert (await client.get("/readyz")).status_code == 503
        assert await app.state.runtime.schema.current() == {"notify_0002"}
