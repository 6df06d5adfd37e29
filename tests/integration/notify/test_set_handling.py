"""Notify fed certificate events in batches (one read, one or two multi-row upserts and one insert
of mails per run) ends where one event at a time ends: the same certificate view (status and since
when) and the same mails recorded — none for a snapshot older than what was held."""

from __future__ import annotations

import pytest

from notify.adapters.orm import metadata
from notify.bootstrap import create_app, load_settings
from tests.support.certificate_story import certificate_story
from tests.support.set_handling import both_ways, differences, table_rows

MAIL = ("event_id", "event_type", "recipient", "template")


async def dump(app) -> dict:
    rows = await table_rows(app, metadata, ["certificate_view"])
    deliveries = await table_rows(app, metadata, ["delivery"])
    rows["delivery"] = sorted(tuple(str(r[k]) for k in MAIL) for r in deliveries["delivery"])
    return rows


@pytest.mark.parametrize("seed", (7, 3))
async def test_batches_end_where_one_at_a_time_ends(seed, settings_for):
    deliveries = certificate_story(seed=seed, certificates=50)

    def make(way: str):
        return create_app(load_settings(**settings_for("notify", isolation=f"setnt{seed}{way}", bus="inproc")))

    one, batched = await both_ways(make, deliveries, dump)
    templates = {mail[3] for mail in one["delivery"]}
    assert len(templates) >= 3 and len(one["delivery"]) >= 50  # confirmations and several status mails
    assert {v["status"] for v in one["certificate_view"]} == {"approved", "rejected", "deleted"}
    diffs = differences(one, batched)
    assert not diffs, "\n".join(diffs)


async def test_a_run_of_reward_submissions_holds_what_one_at_a_time_holds(settings_for):
    """Submissions in one batch are one upsert: a certificate named by several applications of the run
    is held by the last, and withdrawals between runs free theirs, as one event at a time leaves it."""
    import random
    import uuid

    from certhub_kit.events import Envelope
    from certhub_kit.events.rewards import ApplicationWithdrawn
    from tests.unit.notify import samples

    rng = random.Random(5)
    certificates = [uuid.uuid4() for _ in range(12)]
    deliveries, submitted = [], []
    for n in range(60):
        if submitted and rng.random() < 0.25:
            gone = submitted.pop(rng.randrange(len(submitted)))
            event = ApplicationWithdrawn(
                application_id=gone.application_id, student=gone.student, certificate_ids=gone.certificate_ids
            )
        else:
            event = samples.application(rng.sample(certificates, rng.randint(1, 3)), f"s{n}@example.test")
            submitted.append(event)
        deliveries.append(Envelope.wrap(event, source="rewards", subject=str(uuid.uuid4())))

    def make(way: str):
        return create_app(load_settings(**settings_for("notify", isolation=f"setrw{way}", bus="inproc")))

    async def held(app) -> dict:
        return await table_rows(app, metadata, ["reward_use"])

    one, batched = await both_ways(make, deliveries, held, batch=7)
    assert len(one["reward_use"]) >= 6  # several certificates still held at the end
    diffs = differences(one, batched)
    assert not diffs, "\n".join(diffs)
