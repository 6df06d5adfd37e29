"""A poison message among good ones ends in the dead-letter queue; `replay` puts it back after a fix."""

from __future__ import annotations

import asyncio

from tests.integration.kit.test_outbox_inbox import consuming, eventually, world  # noqa: F401
from tests.integration.kit.world import KitPinged


async def test_poison_message_is_dead_lettered_then_replayed_after_fix(world):  # noqa: F811
    broker = await consuming(world)
    relay = world.relay(broker)
    await world.emit(*range(1, 50))
    await world.emit(50, poison=True)
    while await relay.publish_batch():
        pass
    await eventually(lambda: _count(world, 49), timeout=20)
    dead_queue = await (await broker.connection.channel()).get_queue(f"{broker.prefix}kit.events.dead")

    async def dead_count():
        declared = await dead_queue.declare()
        return declared.message_count == 1

    await eventually(dead_count, timeout=20)
    assert 50 not in await world.effect_counts()

    inbox = broker._consumers[0][1]
    original = inbox.handlers[KitPinged.type_name]

    async def fixed(payload, envelope, uow):
        await original(payload.model_copy(update={"poison": False}), envelope, uow)

    inbox.handlers[KitPinged.type_name] = fixed
    assert await broker.replay("kit") == 1
    await eventually(lambda: _count(world, 50), timeout=20)
    await asyncio.sleep(0.3)
    assert (await world.effect_counts())[50] == 1


async def _count(kit_world, n):
    return len(await kit_world.effect_counts()) == n
