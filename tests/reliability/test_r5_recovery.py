"""R5: after the broker returns (kill -9, restart on the same port and data), the consumer is
back within 30 s and a backlog of N messages drains within 120 s."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import aio_pika

from certhub_kit.broker import QueueNames
from tests.reliability.ledger import Ledger, count

QUEUE_SETTLE_S = 3.0


async def consumer_count(url: str, queue: str) -> int:
    try:
        connection = await aio_pika.connect(url, timeout=2)
    except Exception:
        return 0
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        return declared.declaration_result.consumer_count


async def test_r5_consumers_return_and_backlog_drains(world, private_rabbit):
    n = count("r5_backlog")
    gate = asyncio.Event()
    broker = world.broker()
    inbox = world.inbox()
    record = inbox.handlers["kit.pinged.v1"]

    async def gated(payload, envelope, uow):  # the consumer holds its prefetch until the broker is back
        await gate.wait()
        await record(payload, envelope, uow)

    inbox.handlers["kit.pinged.v1"] = gated
    broker.consume("kit", inbox)
    await broker.start()
    assert await broker.wait_connected(20)
    relay = world.relay(broker, batch=500)
    for start in range(0, n, 500):
        await world.emit(*range(start, min(start + 500, n)))
    while await relay.publish_batch():
        pass
    assert await world.pending() == 0
    queue = QueueNames("kit", broker.prefix).main
    # RabbitMQ 3.10 loses the Raft state of a quorum queue declared a moment before a kill -9
    # (it comes back as a follower of no cluster and never answers basic.consume); this test
    # is about a broker crash, not about a queue a few hundred milliseconds old.
    await asyncio.sleep(QUEUE_SETTLE_S)

    await asyncio.to_thread(private_rabbit.kill)
    await asyncio.to_thread(private_rabbit.start)
    returned = time.monotonic()
    gate.set()
    try:
        while await consumer_count(private_rabbit.url, queue) == 0:
            assert time.monotonic() - returned < 30, "the consumer did not come back within 30 s"
            await asyncio.sleep(0.2)
        back_s = time.monotonic() - returned
        while len(await world.effect_counts()) < n:
            assert time.monotonic() - returned < 120 + back_s, "the backlog did not drain within 120 s"
            await asyncio.sleep(0.2)
        drain_s = time.monotonic() - returned - back_s
        await asyncio.sleep(1.0)
        ledger = Ledger("R5 recovery").reconcile(range(n), Counter(await world.effect_counts()))
        ledger.figures = dict(
            consumer_back_s=round(back_s, 1),
            backlog=n,
            drain_s=round(drain_s, 1),
            rate_per_s=round(n / max(drain_s, 0.001)),
        )
        ledger.print()
        ledger.assert_clean()
        assert back_s < 30 and drain_s < 120
    finally:
        await broker.close()
