"""Pieces the reliability tests share: 'the certificates service' as an outbox producer
(kit UnitOfWork + OutboxRelay + RabbitBroker, exactly what the service runs), certificate
events that the real rewards and notify services consume, and read-backs of their effects."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import text

from certhub_kit.events.certificates import CertificateSnapshot, CertificateStatusChanged, StudentRef
from certhub_kit.relay import OutboxRelay
from certhub_kit.runtime import build_bus
from certhub_kit.settings import ServiceSettings
from tests.integration.kit.world import World, outbox


def recipient(tag: str, n: int) -> str:
    return f"{tag}-{n}@reliability.certhub.test"


def approved(
    tag: str, n: int, certificate_id: uuid.UUID | None = None, *, status: str = "approved"
) -> CertificateStatusChanged:
    """Certificate ``n`` of a run changes status: rewards projects it; notify mails its student
    when the status has a mail (approved does, submitted does not)."""
    student = StudentRef(
        id=f"{tag}s{n}",
        name=f"學生{n}",
        email=recipient(tag, n),
        dept="IM",
        division="day",
        program="bachelor",
        class_="IM3A",
    )
    snapshot = CertificateSnapshot(
        certificate_id=certificate_id or uuid.uuid4(),
        student=student,
        entry_id=uuid.uuid4(),
        entry_key="securities-specialist",
        entry_name="證券商業務員",
        category=1,
        issued_on=date(2026, 1, 10),
        status=status,
        version=2,
        registered_at=datetime.now(UTC),
    )
    return CertificateStatusChanged(certificate=snapshot, from_status="verifying", to_status=status)


class EmitFailed(Exception):
    def __init__(self, ids: list[uuid.UUID]):
        super().__init__(f"emit of {len(ids)} event(s) failed or is unknown")
        self.ids = ids


class Producer:
    """The producing side of a flow: its own database with an outbox, its own relay and bus."""

    def __init__(self, settings: dict, tag: str):
        self.settings = ServiceSettings(**settings)
        self.world = World(self.settings.database_url, self.settings.amqp_url, tag)
        self.bus = None
        self.relay: OutboxRelay | None = None
        self._task: asyncio.Task | None = None

    async def start(self, publisher=None) -> Producer:
        await self.world.setup()
        self.bus = build_bus(self.settings)  # declares the real topology, like every service
        await self.bus.start()
        assert await self.bus.wait_connected(30), "producer could not reach the broker"
        self.relay = OutboxRelay(
            self.world.db, outbox, publisher or self.bus, service="certificates", interval=0.1, batch=100
        )
        self._task = asyncio.create_task(self.relay.run())
        return self

    async def emit(self, events: list) -> list[uuid.UUID]:
        """One transaction; returns the event ids. Raises :class:`EmitFailed` (with the ids
        whose fate is then unknown) if the database failed before the commit was confirmed."""
        ids: list[uuid.UUID] = []
        try:
            async with self.world.uow(self.relay) as uow:
                for event in events:
                    ids.append((await uow.emit(event, subject=str(event.certificate.certificate_id))).id)
                await uow.commit()
        except Exception as exc:
            raise EmitFailed(ids) from exc
        return ids

    async def committed(self, event_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        async with self.world.db.sessions() as s:
            rows = await s.execute(
                text("SELECT event_id FROM outbox WHERE event_id = ANY(:ids)"), {"ids": list(event_ids)}
            )
            return {r[0] for r in rows}

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self.bus:
            await self.bus.close()
        await self.world.close()


async def outbox_states(db) -> Counter:
    async with db.engine.connect() as conn:
        rows = await conn.execute(text("SELECT state, count(*) FROM outbox GROUP BY state"))
        return Counter({state: n for state, n in rows.all()})


async def scalar(db, sql: str, **params):
    async with db.engine.connect() as conn:
        return await conn.scalar(text(sql), params)


async def column(db, sql: str, **params) -> list:
    async with db.engine.connect() as conn:
        return [r[0] for r in await conn.execute(text(sql), params)]


def mails_to(smtp_sink, tag: str) -> Counter:
    """Mails the SMTP sink received per recipient of this run."""
    suffix = "@reliability.certhub.test"
    with smtp_sink._cond:
        rcpts = [r for _, tos in smtp_sink.envelopes for r in tos]
    return Counter(r for r in rcpts if r.startswith(f"{tag}-") and r.endswith(suffix))


async def retrying(action, *, attempts: int = 60, delay: float = 0.5):
    """Run ``action`` until it succeeds (the database may be down for a moment)."""
    for i in range(attempts):
        try:
            return await action()
        except Exception:
            if i == attempts - 1:
                raise
            await asyncio.sleep(delay)
