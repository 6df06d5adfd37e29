"""The review queue fed in batches (one upsert, one checklist update per run) ends where one event
at a time ends: items, checklists and flags, bundles, credit holders, tombstones, decisions."""

from __future__ import annotations

import pytest

from review.adapters.orm import metadata
from review.bootstrap import create_app, load_settings
from tests.support.certificate_story import certificate_story
from tests.support.set_handling import both_ways, differences, kit_rows, table_rows

TABLES = ("review_items", "review_bundle_progress", "review_credit_waivers", "review_deleted_certificates")


async def dump(app) -> dict:
    rows = await table_rows(app, metadata, TABLES)
    rows.update(await kit_rows(app, metadata))
    return rows


@pytest.mark.parametrize("seed", (11, 3))
async def test_batches_end_where_one_at_a_time_ends(seed, settings_for):
    deliveries = certificate_story(seed=seed, certificates=40)

    def make(way: str):
        return create_app(
            load_settings(**settings_for("review", isolation=f"setrev{seed}{way}", bus="inproc", demo_data=True))
        )

    one, batched = await both_ways(make, deliveries, dump)
    assert len(one["review_items"]) >= 25  # most survive (some are deleted)
    assert any(item["flags"] for item in one["review_items"])  # the shared certificate number was flagged
    assert {i["track"] for i in one["review_items"]} == {"simple", "verified"}
    assert len(one["review_bundle_progress"]) == 3 and one["review_deleted_certificates"]
    diffs = differences(one, batched)
    assert not diffs, "\n".join(diffs)
