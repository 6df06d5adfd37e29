"""A notify service on real PostgreSQL, RabbitMQ and the aiosmtpd sink, shared by this folder's modules."""

from __future__ import annotations

import pytest

from notify.bootstrap import create_app, load_settings
from tests.support.apps import running

from .support import Publisher, delete_broker_objects

REVIEWER_TQ = "rev-tq@demo.certhub.tw"
REVIEWER_TWO = "rev-two@demo.certhub.tw"  # reviews TR and TS
CENTER = "center-desk@demo.certhub.tw"


@pytest.fixture(scope="package")
async def notify_app(settings_for, amqp_url):
    settings = load_settings(
        **settings_for(
            "notify",
            isolation="notifymail",
            sender_interval_s=0.1,
            mail_retry_base_s=0.1,
            mail_retry_max_s=0.4,
            mail_max_attempts=5,
            scheduler_enabled=False,
            reviewer_emails={"TQ": [REVIEWER_TQ], "TR": [REVIEWER_TWO], "TS": [REVIEWER_TWO]},
            center_emails=[CENTER],
        )
    )
    app = create_app(settings)
    async with running(app):
        yield app
    await delete_broker_objects(amqp_url, settings.queue_prefix, settings.events_exchange)


@pytest.fixture(scope="package")
async def runtime(notify_app):
    return notify_app.state.runtime


@pytest.fixture(scope="package")
async def publisher(runtime, amqp_url):
    async with Publisher(amqp_url, runtime.settings.events_exchange) as pub:
        yield pub
