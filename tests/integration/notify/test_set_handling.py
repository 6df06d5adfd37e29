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
