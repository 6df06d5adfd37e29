"""R7 (no faults) and R2: certificate events through the real rewards and notify services.

R7: every approved certificate gives exactly one mail in the SMTP sink — no duplicates without faults.
R2: each event is delivered 2–3 times (the same envelope published again, as a relay that died
before marking would): duplicate effects 0 — one projection row, one inbox row, one delivery
row and one mail per event."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter

import pytest

from certhub_kit.events import Envelope
from notify.bootstrap import create_app as notify_app
from notify.bootstrap import load_settings as notify_settings
from rewards.bootstrap import create_app as rewards_app
from rewards.bootstrap import load_settings as rewards_settings
from tests.integration.rewards.support import bank_key
from tests.reliability.flows import Producer, approved, column, mails_to, outbox_states
from tests.reliability.ledger import Ledger, count
from tests.support.apps import running
from tests.support.waiting import eventually

TAG = "r27"


@pytest.fixture(scope="module")
async def stack(private_settings):
    producer = await Producer(private_settings("certificates", TAG), TAG).start()
    rewards = rewards_app(rewards_settings(**private_settings("rewards", TAG, bank_key=bank_key())))
    notify = notify_app(
        notify_settings(
            **private_settings(
                "notify",
                TAG,
                sender_interval_s=0.1,
                mail_retry_base_s=0.2,
                mail_retry_max_s=1.0,
                scheduler_enabled=False,
            )
        )
    )
    async with running(rewards), running(notify):
        yield producer, rewards.state.runtime, notify.state.runtime
    await producer.stop()


def numbered(counter: Counter, tag: str) -> Counter:
    return Counter({int(r.split("@")[0].rsplit("-", 1)[1]): c for r, c in counter.items()})


async def test_r7_no_duplicate_mail_without_faults(stack, smtp_sink):
    producer, _, notify = stack
    tag, n = f"{TAG}m", count("r7_mails")
    started = time.monotonic()
    for start in range(0, n, 50):
        await producer.emit([approved(tag, i) for i in range(start, min(start + 50, n))])
    await eventually(lambda: sum(mails_to(smtp_sink, tag).values()) >= n, timeout=60 + n / 5)
    await asyncio.sleep(1.0)
    ledger = Ledger("R7 mail without faults").reconcile(range(n), numbered(mails_to(smtp_sink, tag), tag))
    ledger.figures = dict(
        seconds=round(time.monotonic() - started, 1), mails_per_s=round(n / (time.monotonic() - started), 1)
    )
    ledger.print()
    ledger.assert_clean()


async def test_r2_each_event_redelivered_two_or_three_times_has_one_effect(stack, smtp_sink):
    producer, rewards, notify = stack
    tag, n = f"{TAG}r", count("r2_events")
    rng = random.Random(2)
    envelopes = [Envelope.wrap(approved(tag, i), source="certificates", subject=str(uuid.uuid4())) for i in range(n)]
    copies = [rng.choice((2, 3)) for _ in envelopes]
    deliveries = [e for e, c in zip(envelopes, copies, strict=True) for _ in range(c)]
    rng.shuffle(deliveries)  # copies arrive interleaved with other events, some back to back
    for i in range(0, len(deliveries), 50):
        await asyncio.gather(*(producer.bus.publish(e) for e in deliveries[i : i + 50]))
    ids = {e.id for e in envelopes}

    async def done():
        return (
            len(await _inbox_ids(rewards, ids)) == n
            and len(await _inbox_ids(notify, ids)) == n
            and sum(mails_to(smtp_sink, tag).values()) >= n
        )

    await eventually(done, timeout=60 + n / 5)
    await asyncio.sleep(1.5)  # late copies would show now

    students = await column(
        rewards.db, "SELECT student_id FROM eligible_certificates WHERE student_id LIKE :p", p=f"{tag}s%"
    )
    projection = Counter(int(s[len(tag) + 1 :]) for s in students)
    delivery_rows = Counter(
        await column(notify.db, "SELECT event_id FROM delivery WHERE event_id = ANY(:ids)", ids=list(ids))
    )
    mails = numbered(mails_to(smtp_sink, tag), tag)
    ledgers = [
        Ledger("R2 rewards projection").reconcile(range(n), projection),
        Ledger("R2 notify delivery log").reconcile(ids, delivery_rows),
        Ledger("R2 notify mails").reconcile(range(n), mails),
    ]
    ledgers[0].figures = dict(
        published=len(deliveries),
        copies=dict(Counter(copies)),
        rewards_inbox=len(await _inbox_ids(rewards, ids)),
        notify_inbox=len(await _inbox_ids(notify, ids)),
    )
    for ledger in ledgers:
        ledger.print()
    for ledger in ledgers:
        ledger.assert_clean()
    assert set(await outbox_states(rewards.db)) <= {"sent"}


async def _inbox_ids(runtime, ids) -> list:
    return await column(runtime.db, "SELECT event_id FROM inbox WHERE event_id = ANY(:ids)", ids=list(ids))
