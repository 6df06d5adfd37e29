"""The kit's delivery promises, against the real PostgreSQL and RabbitMQ (issue 2)."""

from __future__ import annotations

import asyncio
from collections import Counter

import aio_pika
import pytest

from certhub_kit.broker import QueueNames
from certhub_kit.delivery_headers import ERROR_HEADER
from certhub_kit.events import Envelope
from certhub_kit.relay import OutboxRelay
from tests.integration.kit.world import KitPinged, World
from tests.support.waiting import eventually


class CountingPublisher:
    """Wraps the real broker and counts what reached it (by event id)."""

    def __init__(self, inner):
        self.inner = inner
        self.published: Counter = Counter()

    async def publish(self, envelope: Envelope) -> None:
        await self.inner.publish(envelope)
        self.published[envelope.id] += 1


@pytest.fixture
async def world(pg_databases, amqp_url, run_id, request):
    tag = f"t{run_id}.{request.node.name[:20].replace('[', '').replace(']', '')}"
    w = await World(pg_databases(f"kit_{abs(hash(request.node.name)) % 10**6}"), amqp_url, tag).setup()
    brokers = []

    def broker():
        b = w.broker()
        brokers.append(b)
        return b

    w.new_broker = broker
    yield w
    for b in brokers:
        await b.close()
    async with await aio_pika.connect(amqp_url) as connection:
        channel = await connection.channel()
        names = QueueNames("kit", f"{tag}.")
        for name in (names.main, names.retry, names.dead):
            await channel.queue_delete(name)
        await channel.exchange_delete(f"certhub.events.{tag}")
    await w.close()


async def consuming(world: World):
    broker = world.new_broker()
    broker.consume("kit", world.inbox())
    await broker.start()
    assert await broker.wait_connected(10)
    return broker


async def test_event_of_rolled_back_transaction_is_never_published(world):
    broker = await consuming(world)
    publisher = CountingPublisher(broker)
    relay = world.relay(publisher)
    async with world.uow() as uow:
        await uow.emit(KitPinged(n=1))
        await uow.rollback()
    await world.emit(2)
    await relay.publish_batch()
    await eventually(lambda: _has(world, 2))
    await asyncio.sleep(0.3)
    assert await world.effect_counts() == {2: 1}
    assert len(publisher.published) == 1


async def _has(world: World, n: int) -> bool:
    return n in await world.effect_counts()


class CrashBeforeMark(OutboxRelay):
    """A relay that dies after the broker confirmed, before it marked the rows sent."""

    async def _mark(self, session, rows, outcomes):
        raise RuntimeError("relay process died here")


async def test_relay_restarted_between_publish_and_mark_has_one_effect(world):
    broker = await consuming(world)
    publisher = CountingPublisher(broker)
    await world.emit(7)
    with pytest.raises(RuntimeError):
        await CrashBeforeMark(world.db, world_outbox(), publisher, service="kit").publish_batch()
    assert await world.pending() == 1, "a crash before marking must leave the row pending"
    await world.relay(publisher).publish_batch()
    assert await world.pending() == 0
    assert list(publisher.published.values()) == [2], "published again after the restart"
    await eventually(lambda: _has(world, 7))
    await asyncio.sleep(0.5)
    assert await world.effect_counts() == {7: 1}, "the second copy must change nothing"


def world_outbox():
    from tests.integration.kit.world import outbox

    return outbox


async def test_same_event_delivered_twice_has_one_effect(world):
    broker = await consuming(world)
    envelope = Envelope.wrap(KitPinged(n=11), source="kit")
    await broker.publish(envelope)
    await broker.publish(envelope)
    await broker.publish(envelope)
    await eventually(lambda: _has(world, 11))
    await asyncio.sleep(0.5)
    assert await world.effect_counts() == {11: 1}


async def test_failing_handler_ends_in_dead_letter_queue_with_reason(world):
    broker = await consuming(world)
    relay = world.relay(broker)
    await world.emit(13, poison=True)
    await world.emit(14)
    await relay.publish_batch()
    names = QueueNames("kit", broker.prefix)
    channel = await broker.connection.channel()
    dead = await channel.get_queue(names.dead)

    async def dead_letter():
        return await dead.get(no_ack=True, fail=False)

    message = await eventually(dead_letter, timeout=20)
    assert "poison event 13" in message.headers[ERROR_HEADER]
    assert message.headers["x-certhub-attempt"] == world.max_retries + 1
    assert await world.effect_counts() == {14: 1}


async def test_two_relay_replicas_publish_each_row_once(world):
    broker = await consuming(world)
    publisher = CountingPublisher(broker)
    await world.emit(*range(100, 400))
    relays = [world.relay(publisher, batch=25), world.relay(publisher, batch=25)]

    async def drain(relay):
        while await relay.publish_batch():
            pass

    await asyncio.gather(drain(relays[0]), drain(relays[1]))
    assert await world.pending() == 0
    assert len(publisher.published) == 300
    assert set(publisher.published.values()) == {1}
    await eventually(lambda: _count_is(world, 300), timeout=30)


async def _count_is(world: World, n: int) -> bool:
    return len(await world.effect_counts()) == n


async def test_first_connect_is_retried_until_the_broker_answers(world, amqp_url):
    """A service started before its broker connects once the broker is there."""
    from urllib.parse import urlparse

    from tests.support.servers import free_port
    from tests.support.tcp_proxy import TcpProxy

    target = urlparse(amqp_url)
    port = free_port()
    broker = world.new_broker()
    broker.url = f"amqp://guest:guest@127.0.0.1:{port}/"
    broker.consume("kit", world.inbox())
    await broker.start()
    assert not await broker.wait_connected(1.5)
    assert not await broker.ready()
    proxy = await TcpProxy(target.hostname, target.port or 5672, listen_port=port).start()
    try:
        assert await broker.wait_connected(15), "the broker connection was not retried"
        await world.emit(31)
        await world.relay(broker).publish_batch()
        await eventually(lambda: _has(world, 31))
    finally:
        await broker.close()
        await proxy.stop()


async def test_idle_relay_finds_rows_nobody_nudged_it_for(world):
    """Rows written by another process (a replica, one that crashed) wake no relay: the idle relay's
    probe outside a transaction finds them and the claim publishes them; a nudge is served at once."""
    broker = await consuming(world)
    publisher = CountingPublisher(broker)
    relay = world.relay(publisher, idle_interval=0.2)
    running = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.5)  # idle: a few probes that find nothing
        assert not await relay.anything_to_claim()
        await world.emit(1, 2, 3)  # no relay nudged
        assert await relay.anything_to_claim()
        await eventually(lambda: _published(publisher, 3), timeout=5)
        await world.emit(4, relay=relay)  # nudged
        await eventually(lambda: _published(publisher, 4), timeout=5)
    finally:
        running.cancel()
    assert await world.pending() == 0 and set(publisher.published.values()) == {1}


async def _published(publisher: CountingPublisher, n: int) -> bool:
    return len(publisher.published) == n
