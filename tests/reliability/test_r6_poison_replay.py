"""R6: one poison message among N: N-1 processed, 1 in the dead-letter queue with its reason;
the product's ops command (``python -m certhub_kit.replay``) lists it with that reason and,
after a fix, puts it back; it is then processed once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from certhub_kit.broker import QueueNames
from tests.integration.kit.world import KitPinged, World
from tests.reliability.ledger import Ledger, count
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]


def ops_replay(world: World, *args: str) -> str:
    env = {
        **os.environ,
        "CERTHUB_AMQP_URL": world.amqp_url,
        "CERTHUB_EVENTS_EXCHANGE": f"certhub.events.{world.tag}",
        "CERTHUB_QUEUE_PREFIX": f"{world.tag}.",
    }
    result = subprocess.run(
        [sys.executable, "-m", "certhub_kit.replay", "kit", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-1500:]
    return result.stdout


async def test_r6_poison_message_dead_lettered_then_replayed_by_ops_command(world):
    n = count("r6_events")
    poison_n = n // 2
    broker = world.broker()
    broker.consume("kit", world.inbox())
    await broker.start()
    assert await broker.wait_connected(20)
    try:
        relay = world.relay(broker, batch=200)
        good = [i for i in range(n) if i != poison_n]
        await world.emit(*good[:poison_n])
        await world.emit(poison_n, poison=True)
        await world.emit(*good[poison_n:])
        while await relay.publish_batch():
            pass
        await eventually(lambda: _count(world, n - 1), timeout=120)
        dead_queue = await (await broker.connection.channel()).get_queue(QueueNames("kit", broker.prefix).dead)

        async def dead_letters():
            return (await dead_queue.declare()).message_count == 1

        await eventually(dead_letters, timeout=30)
        assert poison_n not in await world.effect_counts()

        listing = await asyncio.to_thread(ops_replay, world, "--list")
        assert f"poison event {poison_n}" in listing and "listed 1 message" in listing, listing

        inbox = broker._consumers[0][1]  # the fix is deployed: the handler now accepts the event
        original = inbox.handlers[KitPinged.type_name]

        async def fixed(payload, envelope, uow):
            await original(payload.model_copy(update={"poison": False}), envelope, uow)

        inbox.handlers[KitPinged.type_name] = fixed

        replayed = await asyncio.to_thread(ops_replay, world)
        assert "replayed 1 message" in replayed, replayed
        await eventually(lambda: _count(world, n), timeout=30)
        await asyncio.sleep(0.5)
        ledger = Ledger("R6 poison + replay").reconcile(range(n), Counter(await world.effect_counts()))
        ledger.figures = dict(
            processed_before_replay=n - 1,
            dead_lettered=1,
            dlq_reason=next(line for line in listing.splitlines() if "poison event" in line)
            .split("  ")[-1]
            .strip()[:60],
            replayed=1,
            dead_after=(await dead_queue.declare()).message_count,
        )
        ledger.print()
        ledger.assert_clean()
        assert ledger.figures["dead_after"] == 0
    finally:
        await broker.close()


async def _count(world, n):
    return len(await world.effect_counts()) >= n
