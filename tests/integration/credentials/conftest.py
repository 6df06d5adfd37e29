"""A credentials service on real PostgreSQL and RabbitMQ, fed real certificate events."""

from __future__ import annotations

import pytest

from credentials.bootstrap import create_app, load_settings
from tests.integration.notify.support import Publisher, delete_broker_objects
from tests.support.apps import running


@pytest.fixture(scope="package")
async def credentials_app(settings_for, amqp_url):
    settings = load_settings(**settings_for("credentials", isolation="creds"))
    app = create_app(settings)
    async with running(app):
        yield app
    await delete_broker_objects(amqp_url, settings.queue_prefix, settings.events_exchange)


@pytest.fixture(scope="package")
async def runtime(credentials_app):
    return credentials_app.state.runtime


@pytest.fixture(scope="package")
async def publisher(runtime, amqp_url):
    async with Publisher(amqp_url, runtime.settings.events_exchange) as pub:
        yield pub
