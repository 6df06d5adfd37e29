"""R3: a kit service process killed at four crash points (after commit before publish; after
publish before confirm; after confirm before marking sent; after handler commit before ack).
The process really dies (``os._exit`` in a subprocess); a healthy relay and consumer take over.
Lost 0, double effects 0 (the World's handler inserts a row per event: a second run would show)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.integration.kit.world import World
from tests.reliability.crash_child import CRASH_EXIT
from tests.reliability.ledger import Ledger, count
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]
PER_ROUND = 3
POINTS = ("after_commit", "after_publish", "after_confirm")


class Crasher:
    """A zygote process that forks one service process per crash (imports paid once)."""

    async def start(self) -> Crasher:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.reliability.crash_child",
            "--zygote",
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        return self

    async def crash(self, point: str, world: World, first: int = 0, n: int = 0) -> None:
        self.proc.stdin.write(f"{point} {world.db_url} {world.amqp_url} {world.tag} {first} {n}\n".encode())
        await self.proc.stdin.drain()
        seen = []
        while True:
            line = (await asyncio.wait_for(self.proc.stdout.readline(), 90)).decode()
            assert line, f"{point}: zygote ended: {''.join(seen)[-800:]}"
            if line.startswith("exit "):
                break
            seen.append(line)
        assert int(line.split()[1]) == CRASH_EXIT, f"{point}: {line.strip()}: {''.join(seen)[-800:]}"

    async def stop(self) -> None:
        self.proc.stdin.close()
        await asyncio.wait_for(self.proc.wait(), 30)


async def test_r3_crash_points_lose_nothing_and_double_nothing(world):
    rounds = count("r3_rounds")
    broker = world.broker()  # the healthy service, started after the crashes
    await broker.start()
    assert await broker.wait_connected(20)
    relay = world.relay(broker)
    crashes: Counter = Counter()
    started = time.monotonic()
    crasher = await Crasher().start()
    n = 0
    for _ in range(rounds):
        for point in POINTS:
            await crasher.crash(point, world, n, PER_ROUND)
            crashes[point] += 1
            n += PER_ROUND
            assert await world.pending() == PER_ROUND, f"{point}: the crash must leave the rows pending"
            while await relay.publish_batch():  # the restarted relay publishes them (again)
                pass
    for _ in range(rounds):  # each child processes one event, commits, and dies before its ack
        await crasher.crash("after_handler_commit", world)
        crashes["after_handler_commit"] += 1
    await crasher.stop()
    await broker.close()
    healthy = world.broker()
    healthy.consume("kit", world.inbox())
    await healthy.start()
    try:
        assert await healthy.wait_connected(20)
        await eventually(lambda: _complete(world, n), timeout=120)
        await asyncio.sleep(1.0)
        effects = Counter(await world.effect_counts())
        ledger = Ledger("R3 crash points").reconcile(range(n), effects)
        ledger.figures = dict(
            crashes=dict(crashes), pending=await world.pending(), seconds=round(time.monotonic() - started, 1)
        )
        ledger.print()
        ledger.assert_clean()
        assert await world.pending() == 0
    finally:
        await healthy.close()


async def _complete(world: World, n: int) -> bool:
    return len(await world.effect_counts()) >= n
