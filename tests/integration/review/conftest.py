"""A running review service on real PostgreSQL, RabbitMQ and S3, with a broker peer playing certificates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from review.adapters.orm import audit_log, inbox
from review.bootstrap import create_app, load_settings
from tests.support.apps import Clients, running

from .support import Broker, eventually

LISTEN = ["review.decided.v1", "certificate.original_scanned.v1", "review.tracks_updated.v1"]


@dataclass
class World:
    app: Any
    clients: Clients
    broker: Broker

    @property
    def runtime(self):
        return self.app.state.runtime

    async def item(self, certificate_id, user: str = "center") -> dict | None:
        async with self.clients.as_user(user) as client:
            answer = await client.get(f"/api/review/{certificate_id}")
        return answer.json() if answer.status_code == 200 else None

    async def fed(self, data, *, version: int | None = None, status: str | None = None) -> dict:
        """Publishes a certificate event and waits until the queue holds that snapshot."""
        await self.broker.publish(data)
        snap = data.certificate
        return await eventually(lambda: self._at(snap.certificate_id, snap.version))

    async def _at(self, certificate_id, version: int) -> dict | None:
        found = await self.item(certificate_id)
        return found if found and found["version"] >= version else None

    async def processed(self, event_id) -> bool:
        async with self.runtime.db.sessions() as s:
            return bool(await s.scalar(select(inbox.c.event_id).where(inbox.c.event_id == event_id)))

    async def audit(self, subject) -> list[Any]:
        async with self.runtime.db.sessions() as s:
            return list(
                (
                    await s.execute(
                        select(audit_log).where(audit_log.c.subject == str(subject)).order_by(audit_log.c.seq)
                    )
                ).all()
            )


async def start_world(settings_for, issuer, amqp_url, isolation: str, **overrides):
    values = settings_for("review", isolation=isolation, **overrides)
    broker = await Broker(amqp_url, values["events_exchange"]).start(LISTEN)
    app = create_app(load_settings(**values))
    return app, broker


@pytest.fixture(scope="module")
async def world(request, settings_for, issuer, amqp_url):
    """One fresh review service per test module (own database, exchange, queues, buckets)."""
    tag = "rev" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_").replace("_", "")[:12]
    app, broker = await start_world(settings_for, issuer, amqp_url, tag, demo_data=True)
    async with running(app):
        yield World(app, Clients(app, issuer), broker)
    await broker.close()
