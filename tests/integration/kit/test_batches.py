"""Batch consumption: one inbox transaction per batch, without weakening any promise (real servers)."""

from __future__ import annotations

import asyncio

import pytest

from certhub_kit.broker import QueueNames
from certhub_kit.delivery_headers import ERROR_HEADER
from certhub_kit.events import Envelope
from certhub_kit.inbox import DUPLICATE, PROCESSED
from tests.integration.kit.test_outbox_inbox import eventually, world  # noqa: F401
from tests.integration.kit.world import KitPinged, World, effects, inbox


def watched(world: World):  # noqa: F811
    """The world's inbox, remembering the event ids of every batch it was given."""
    box = world.inbox()
    box.batches = []
    original = box.process_batch

    async def process_batch(envelopes, payloads=None):
        box.batches.append([e.id for e in envelopes])
        return await original(envelopes, payloads)

    box.process_batch = process_batch
    return box


async def queued_then_consumed(world: World, envelopes: list[Envelope]):  # noqa: F811
    """Publishes while nobody consumes (so the messages wait together), then starts the consumer."""
    publisher = world.new_broker()
    await publisher.start()
    assert await publisher.wait_connected(10)
    for envelope in envelopes:
        await publisher.publish(envelope)
    consumer = world.new_broker()
    box = watched(world)
    consumer.consume("kit", box)
    await consumer.start()
    assert await consumer.wait_connected(10)
    return consumer, box


def ping(n: int, *, poison: bool = False) -> Envelope:
    return Envelope.wrap(KitPinged(n=n, poison=poison), source="kit")


async def test_poison_in_a_batch_is_dead_lettered_and_the_others_processed_once(world):  # noqa: F811
    envelopes = [ping(n) for n in range(1, 6)] + [ping(6, poison=True)] + [ping(n) for n in range(7, 12)]
    consumer, box = await queued_then_consumed(world, envelopes)
    dead = await (await consumer.connection.channel()).get_queue(QueueNames("kit", consumer.prefix).dead)

    async def dead_letter():
        return await dead.get(no_ack=True, fail=False)

    message = await eventually(dead_letter, timeout=20)
    assert "poison event 6" in message.headers[ERROR_HEADER]
    assert message.headers["x-certhub-attempt"] == world.max_retries + 1
    await asyncio.sleep(0.3)
    assert await world.effect_counts() == {n: 1 for n in range(1, 12) if n != 6}
    poison_id = envelopes[5].id
    assert any(poison_id in batch and len(batch) > 1 for batch in box.batches), (
        f"the poison never shared a batch: {[len(b) for b in box.batches]}"
    )


async def test_same_event_twice_in_one_batch_has_one_effect(world):  # noqa: F811
    twice, other = ping(31), ping(32)
    consumer, box = await queued_then_consumed(world, [twice, other, twice])
    await eventually(lambda: _counted(world, 2))
    await asyncio.sleep(0.3)
    assert await world.effect_counts() == {31: 1, 32: 1}
    assert any(batch.count(twice.id) == 2 for batch in box.batches), f"not batched together: {box.batches}"


async def _counted(world: World, n: int) -> bool:  # noqa: F811
    return len(await world.effect_counts()) == n


async def test_inbox_batch_is_one_transaction(world):  # noqa: F811
    box = world.inbox()
    first, second = ping(41), ping(42)
    assert await box.process_batch([first, second, first]) == [PROCESSED, PROCESSED, DUPLICATE]
    assert await box.process_batch([second, ping(43)]) == [DUPLICATE, PROCESSED]
    with pytest.raises(ValueError, match="poison event 45"):
        await box.process_batch([ping(44), ping(45, poison=True), ping(46)])
    assert await world.effect_counts() == {41: 1, 42: 1, 43: 1}, "a failed batch must leave no effect"
    async with world.db.sessions() as session:
        recorded = (await session.execute(inbox.select())).all()
        assert len(recorded) == 3, "a failed batch must leave no inbox row"
        assert len((await session.execute(effects.select())).all()) == 3
