"""A tiny service made only of kit parts, to test the kit against real servers."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from certhub_kit.broker import RabbitBroker
from certhub_kit.db import Database, ensure_database
from certhub_kit.events import EventData
from certhub_kit.inbox import Inbox
from certhub_kit.relay import OutboxRelay
from certhub_kit.tables import add_kit_tables
from certhub_kit.uow import UnitOfWork

metadata = MetaData()
outbox, inbox, audit = add_kit_tables(metadata)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_n", Integer, nullable=False),
    Column("note", String(50)),
)


class KitPinged(EventData):
    type_name = "kit.pinged.v1"
    n: int
    poison: bool = False


class World:
    """One database, one broker topology (own exchange and prefix), one consumer queue."""

    def __init__(self, db_url: str, amqp_url: str, tag: str, *, max_retries: int = 2):
        self.db_url = db_url
        self.amqp_url = amqp_url
        self.tag = tag
        self.max_retries = max_retries
        self.db: Database | None = None

    async def setup(self) -> World:
        await ensure_database(self.db_url)
        self.db = Database(self.db_url)
        async with self.db.engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)
            await conn.run_sync(metadata.create_all)
        return self

    def broker(self) -> RabbitBroker:
        return RabbitBroker(
            self.amqp_url,
            exchange=f"certhub.events.{self.tag}",
            prefix=f"{self.tag}.",
            max_retries=self.max_retries,
            retry_delay_ms=100,
            delivery_limit=5,
            subscriptions={"kit": [KitPinged.type_name]},
        )

    def uow(self, relay: OutboxRelay | None = None) -> UnitOfWork:
        return UnitOfWork(
            self.db.sessions, source="kit", outbox=outbox, audit=audit, on_commit=relay.nudge if relay else None
        )

    def relay(self, publisher, **kw) -> OutboxRelay:
        return OutboxRelay(self.db, outbox, publisher, service="kit", interval=0.05, **kw)

    def inbox(self) -> Inbox:
        async def record(payload: KitPinged, envelope, uow: UnitOfWork) -> None:
            if payload.poison:
                raise ValueError(f"poison event {payload.n}")
            await uow.session.execute(insert(effects).values(event_n=payload.n))

        return Inbox("kit", self.uow, inbox, {KitPinged.type_name: record})

    async def emit(self, *numbers: int, poison: bool = False, relay: OutboxRelay | None = None) -> None:
        async with self.uow(relay) as uow:
            for n in numbers:
                await uow.emit(KitPinged(n=n, poison=poison))
            await uow.commit()

    async def effect_counts(self) -> dict[int, int]:
        async with self.db.sessions() as s:
            rows = await s.execute(select(effects.c.event_n, func.count()).group_by(effects.c.event_n))
            return {n: c for n, c in rows.all()}

    async def pending(self) -> int:
        async with self.db.sessions() as s:
            return await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.state == "pending"))

    async def close(self) -> None:
        if self.db:
            await self.db.dispose()
