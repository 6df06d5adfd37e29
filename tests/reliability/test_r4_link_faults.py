"""R4: link faults between a service and its broker (a TCP proxy that drops or stalls the
connection). No outbox row is marked sent unless the broker really has the message: every
row marked sent must have been delivered by the broker to an independent consumer (which
connects directly, not through the proxy)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from urllib.parse import urlparse

import aio_pika
from sqlalchemy import select

from tests.integration.kit.world import KitPinged, outbox
from tests.reliability.ledger import LONG_RUN, Ledger, count
from tests.support.tcp_proxy import TcpProxy


class Observer:
    """Records what the broker delivered for the world's events (and acks it)."""

    def __init__(self, url: str, exchange: str):
        self.url, self.exchange = url, exchange
        self.seen: Counter = Counter()

    async def start(self) -> Observer:
        self.connection = await aio_pika.connect_robust(self.url)
        channel = await self.connection.channel()
        exchange = await channel.get_exchange(self.exchange)
        queue = await channel.declare_queue(
            f"{self.exchange}.observer", durable=True, arguments={"x-queue-type": "quorum"}
        )
        await queue.bind(exchange, routing_key=KitPinged.type_name)
        await queue.consume(self._on_message)
        return self

    async def _on_message(self, message) -> None:
        self.seen[uuid.UUID(message.message_id)] += 1
        await message.ack()

    async def stop(self) -> None:
        await self.connection.close()


async def test_r4_no_row_marked_sent_without_broker_ack(world, private_rabbit):
    n = count("r4_events")
    target = urlparse(private_rabbit.url)
    proxy = await TcpProxy(target.hostname, target.port).start()
    broker = world.broker()
    broker.url = f"amqp://guest:guest@127.0.0.1:{proxy.listen_port}/"
    await broker.start()
    assert await broker.wait_connected(20)
    observer = await Observer(private_rabbit.url, broker.exchange_name).start()
    relay = world.relay(broker, batch=20)
    relay_task = asyncio.create_task(relay.run())
    faults: Counter = Counter()
    long_stall = 12.0  # longer than the publish timeout (10 s): confirms never come back in time

    async def emit():
        for start in range(0, n, 10):
            await world.emit(*range(start, min(start + 10, n)), relay=relay)
            await asyncio.sleep(0.05)

    async def inject():
        for _ in range(4 if LONG_RUN else 2):
            await asyncio.sleep(1.0)
            proxy.drop_connections()
            faults["drop"] += 1
            await asyncio.sleep(1.5)
            proxy.stalled = True
            await asyncio.sleep(3.0)
            proxy.stalled = False
            faults["stall_3s"] += 1
        proxy.stalled = True
        await asyncio.sleep(long_stall)
        proxy.stalled = False
        faults[f"stall_{long_stall:.0f}s"] += 1
        proxy.drop_connections()
        faults["drop"] += 1

    started = time.monotonic()
    try:
        await asyncio.gather(emit(), inject())
        deadline = time.monotonic() + 120
        while await world.pending() and time.monotonic() < deadline:
            await asyncio.sleep(0.3)
        await asyncio.sleep(1.5)
        async with world.db.sessions() as s:
            rows = (await s.execute(select(outbox.c.event_id, outbox.c.state, outbox.c.attempts))).all()
    finally:
        relay_task.cancel()
        await asyncio.gather(relay_task, return_exceptions=True)
        await broker.close()
        await observer.stop()
        await proxy.stop()

    sent = {r.event_id for r in rows if r.state == "sent"}
    ledger = Ledger("R4 link faults").reconcile(sent, observer.seen, attempted=len(rows))
    ledger.figures = dict(
        faults=dict(faults),
        rows_marked_sent=len(sent),
        broker_delivered=len(observer.seen),
        marked_sent_without_broker_ack=len(sent - set(observer.seen)),
        rows_with_failed_publish=sum(1 for r in rows if r.attempts),
        seconds=round(time.monotonic() - started, 1),
    )
    ledger.print()
    assert len(rows) == n
    assert ledger.figures["marked_sent_without_broker_ack"] == 0, ledger.line()
    assert ledger.unexpected == 0, ledger.line()
    assert len(sent) == n, "every row ends sent once the link is back"
    # duplicates are allowed here (a confirm lost in a stall means the row is published again);
    # the consumers' inbox makes them harmless (R2, R3)
