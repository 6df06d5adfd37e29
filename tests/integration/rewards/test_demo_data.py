"""Standalone mode loads the demo standards table (once, however often the service starts)."""

from __future__ import annotations

from rewards.adapters.reference_data import demo_standard_rows
from tests.integration.rewards.support import rewards_world


async def test_demo_table_is_loaded_for_the_demo_and_current_years(settings_for, issuer, amqp_url):
    async with (
        rewards_world(settings_for, issuer, amqp_url, "rw_demo", demo_data=True) as world,
        world.as_user("s1100001") as client,
    ):
        standards = (await client.get("/api/rewards/standards", params={"year": 114})).json()
    assert len(standards) == len(demo_standard_rows())
    labels = {s["label"] for s in standards}
    assert "全校--1級-3項-證券商業務員" in labels
    assert "系所-資訊管理學系-2級-16項-TQC+認證" in labels
    # a second start changes nothing
    async with (
        rewards_world(settings_for, issuer, amqp_url, "rw_demo", demo_data=True) as world,
        world.as_user("s1100001") as client,
    ):
        assert len((await client.get("/api/rewards/standards?year=114")).json()) == len(standards)
