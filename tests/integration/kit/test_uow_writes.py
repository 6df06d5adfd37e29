"""The unit of work holds a transaction's outbox and audit rows until commit and writes them in one
statement (a bulk transaction's in chunks): every row lands, in the order it was added, or none does."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.integration.kit.world import KitPinged, World, audit, outbox


@pytest.fixture
async def world(pg_databases, amqp_url, run_id):
    w = await World(pg_databases("kit_uow_writes"), amqp_url, f"t{run_id}.uow").setup()
    yield w
    await w.close()


async def _written(world: World) -> tuple[list[int], list[str]]:
    async with world.db.sessions() as s:
        events = (await s.execute(select(outbox.c.envelope).order_by(outbox.c.seq))).scalars().all()
        actions = (await s.execute(select(audit.c.action).order_by(audit.c.seq))).scalars().all()
    return [e["data"]["n"] for e in events], list(actions)


@pytest.mark.parametrize("count", [0, 1, 3, 40, 1300])  # one statement up to 16 rows; beyond, chunks of 1,000
async def test_held_rows_are_written_at_commit_in_order(world, count):
    async with world.uow() as uow:
        for n in range(count):
            await uow.emit(KitPinged(n=n))
            await uow.audit(f"kit.pinged.{n}", actor_id="tester", details={"n": n} if n % 2 else None)
        await uow.audit("kit.done", actor_id=None)
        await uow.commit()
    events, actions = await _written(world)
    assert events == list(range(count))
    assert actions == [f"kit.pinged.{n}" for n in range(count)] + ["kit.done"]
    async with world.db.sessions() as s:
        details = (await s.execute(select(audit.c.details).order_by(audit.c.seq))).scalars().all()
    assert details[: min(count, 4)] == [{"n": n} if n % 2 else None for n in range(min(count, 4))]


async def test_rolled_back_transaction_writes_no_held_rows(world):
    async with world.uow() as uow:
        await uow.emit(KitPinged(n=1))
        await uow.audit("kit.pinged", actor_id="tester")
    assert await _written(world) == ([], [])
