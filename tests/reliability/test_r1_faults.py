"""R1 (and R7 under faults): certificate events flow from an outbox producer through the real
rewards and notify services while the broker is killed -9, all connections are closed and
PostgreSQL is stopped immediately. Lost 0, unexpected 0, nothing dead-lettered, every outbox row
ends sent; notify's duplicate mails ≤ 0.1 % (approved certificates are mailed; in the long run every
second one is 'submitted', which rewards projects and notify does not mail)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter

import pytest

from notify.bootstrap import create_app as notify_app
from notify.bootstrap import load_settings as notify_settings
from rewards.bootstrap import create_app as rewards_app
from rewards.bootstrap import load_settings as rewards_settings
from tests.integration.rewards.support import bank_key
from tests.reliability.flows import (
    EmitFailed,
    Producer,
    approved,
    column,
    mails_to,
    outbox_states,
    retrying,
    scalar,
)
from tests.reliability.ledger import LONG_RUN, Ledger, count
from tests.support.apps import running

TAG = "r1"
BATCH = 10


class Faults:
    """Kills, closes and stops against the private servers only; records what it did."""

    def __init__(self, rabbit, pg):
        self.rabbit, self.pg = rabbit, pg
        self.done: Counter = Counter()
        self.outage_s = 0.0

    def note(self, what: str, t: float) -> None:
        print(f"  fault {what}: {time.monotonic() - t:.1f}s", flush=True)

    def kill_broker(self) -> None:
        t = time.monotonic()
        self.rabbit.kill()
        time.sleep(1.0)
        self.rabbit.start()
        self.note("broker kill -9 + restart", t)
        self.outage_s += time.monotonic() - t
        self.done["broker_kill9"] += 1

    def close_connections(self) -> None:
        self.done["connections_closed"] += self.rabbit.close_all_connections("R1 fault")
        self.done["close_all_connections"] += 1

    def stop_postgres(self) -> None:
        t = time.monotonic()
        self.pg.stop("immediate")
        time.sleep(1.5)
        self.pg.start()
        self.note("postgres stop immediate + start", t)
        self.outage_s += time.monotonic() - t
        self.done["pg_stop_immediate"] += 1

    def plan(self) -> list:
        kills, closes, stops = count("r1_kills"), count("r1_closes"), count("r1_pg_stops")
        plan, queues = [], [[self.kill_broker] * kills, [self.close_connections] * closes, [self.stop_postgres] * stops]
        while any(queues):  # interleave: kill, close, stop, kill, close, ...
            for q in queues:
                if q:
                    plan.append(q.pop())
        return plan


@pytest.fixture
async def stack(private_settings, private_rabbit, private_pg):
    common = dict(consumer_retry_delay_ms=200)
    producer = await Producer(private_settings("certificates", TAG, **common), TAG).start()
    rewards = rewards_app(rewards_settings(**private_settings("rewards", TAG, bank_key=bank_key(), **common)))
    notify = notify_app(
        notify_settings(
            **private_settings(
                "notify",
                TAG,
                sender_interval_s=0.1,
                mail_retry_base_s=0.2,
                mail_retry_max_s=1.0,
                mail_max_attempts=50,
                scheduler_enabled=False,
                **common,
            )
        )
    )
    async with running(rewards), running(notify):
        yield producer, rewards.state.runtime, notify.state.runtime
    await producer.stop()


async def test_r1_no_loss_under_broker_kills_connection_closes_and_pg_stops(
    stack, private_rabbit, private_pg, smtp_sink
):
    producer, rewards, notify = stack
    n_events = count("r1_events")
    faults = Faults(private_rabbit, private_pg)
    plan = faults.plan()
    pace = (len(plan) * 4.0) / (n_events / BATCH)  # spread the events over the faults
    certificate_ids = {n: uuid.uuid4() for n in range(n_events)}
    acked: dict[uuid.UUID, int] = {}
    emit_failures = 0

    async def emit_all():
        nonlocal emit_failures
        for start in range(0, n_events, BATCH):
            numbers = range(start, min(start + BATCH, n_events))
            while True:
                try:
                    ids = await producer.emit(
                        [approved(TAG, n, certificate_ids[n], status=_status(n)) for n in numbers]
                    )
                    break
                except EmitFailed as failed:  # resolve the unknown outcome by reading the database
                    emit_failures += 1
                    tried = failed.ids
                    there = await retrying(lambda tried=tried: producer.committed(tried)) if tried else set()
                    if there:
                        assert there == set(tried), "a transaction was half committed"
                        ids = tried
                        break
                    await asyncio.sleep(0.3)
            acked.update(zip(ids, numbers, strict=True))
            await asyncio.sleep(pace)

    async def inject():
        for fault in plan:
            await asyncio.sleep(2.0)
            await asyncio.to_thread(fault)

    mailable = {n for n in range(n_events) if _status(n) == "approved"}
    started = time.monotonic()
    await asyncio.gather(emit_all(), inject())
    emitted_s = time.monotonic() - started

    async def settled():
        sent = await retrying(lambda: outbox_states(producer.world.db))
        projected = await retrying(lambda: scalar(rewards.db, "SELECT count(*) FROM eligible_certificates"))
        mailed = sum(mails_to(smtp_sink, TAG).values())
        return sent.get("pending", 0) == 0 and projected >= n_events and mailed >= len(mailable)

    deadline = time.monotonic() + (600 if LONG_RUN else 150)
    while time.monotonic() < deadline and not await settled():
        await asyncio.sleep(0.5)
    await asyncio.sleep(2.0)  # let late redeliveries show themselves
    total_s = time.monotonic() - started

    students = await column(rewards.db, "SELECT student_id FROM eligible_certificates")
    projected = Counter(int(s[len(TAG) + 1 :]) for s in students if s.startswith(f"{TAG}s"))
    mails = Counter({int(r.split("@")[0].split("-")[1]): c for r, c in mails_to(smtp_sink, TAG).items()})
    deliveries = Counter(await column(notify.db, "SELECT status FROM delivery"))
    outboxes = {
        name: await outbox_states(db)
        for name, db in (("certificates", producer.world.db), ("rewards", rewards.db), ("notify", notify.db))
    }
    dead = {q: d for q, d in private_rabbit.queue_depths().items() if q.endswith(".dead") and TAG in q}

    numbers = set(acked.values())
    rewards_ledger = Ledger("R1 rewards projection").reconcile(numbers, projected, attempted=n_events)
    rewards_ledger.figures = dict(
        faults=dict(faults.done),
        emit_retries=emit_failures,
        emitted_s=round(emitted_s, 1),
        total_s=round(total_s, 1),
        outbox={k: dict(v) for k, v in outboxes.items()},
        dead_letters=dead,
    )
    rewards_ledger.print()
    mail_ledger = Ledger("R1/R7 notify mails under faults").reconcile(
        numbers & mailable, mails, attempted=len(mailable)
    )
    mail_ledger.figures = dict(
        deliveries=dict(deliveries), duplicate_rate=f"{100 * mail_ledger.duplicated / max(1, len(mailable)):.3f}%"
    )
    mail_ledger.print()

    assert faults.done["broker_kill9"] == count("r1_kills") and faults.done["pg_stop_immediate"] == count("r1_pg_stops")
    rewards_ledger.assert_clean()
    for name, states in outboxes.items():
        assert set(states) <= {"sent"}, f"{name} outbox not all sent: {dict(states)}"
    assert outboxes["certificates"]["sent"] == n_events
    assert sum(dead.values()) == 0, f"events dead-lettered during the faults: {dead}"
    mail_ledger.assert_clean(max_duplicated=len(mailable) // 1000)  # ≤ 0.1 %


def _status(n: int) -> str:
    """Every certificate is mailed in the default run (one PG stop may cost one duplicate: ≤ 0.1 % of
    1,000); every second one in the long run, where the mail sender (~10 mails/s here) sets the pace."""
    return "approved" if n % (2 if LONG_RUN else 1) == 0 else "submitted"
