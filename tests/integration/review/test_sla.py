"""No silent stalls: queue items carry age_days, due_on and overdue from the track's SLA; the queue
filters and sorts by them; the owner (and staff) read where the item stands and who holds it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .support import bumped, registered, snapshot, updated

TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.fixture(scope="module")
async def items(world):
    old = datetime.now(UTC) - timedelta(days=10)
    made = {
        "old": snapshot("s1100001", "gept", registered_at=old),
        "mid": snapshot("s1100002", "toeic-lr", registered_at=old + timedelta(days=5)),
        "new": snapshot("s1100001", "toeic-lr"),
        "ee": snapshot("s1100003", "gept", registered_at=old),
    }
    for snap in made.values():
        await world.fed(registered(snap))
    return made


async def get(world, user, path):
    async with world.clients.as_user(user) as c:
        return await c.get(path)


async def set_sla(world, days: int) -> dict:
    async with world.clients.as_user("admin") as c:
        setup = (await c.get("/api/review/tracks")).json()
        for track in setup["tracks"]:
            track["sla_days"] = days
        answer = await c.put("/api/review/tracks", json=setup)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_items_carry_age_due_date_and_overdue(world, items):
    old = await world.item(items["old"].certificate_id)
    submitted_day = items["old"].submitted_at.astimezone(TAIPEI).date()
    assert old["age_days"] == (datetime.now(TAIPEI).date() - submitted_day).days
    assert old["sla_days"] == 7 and old["due_on"] == (submitted_day + timedelta(days=7)).isoformat()
    assert old["overdue"] is True
    new = await world.item(items["new"].certificate_id)
    assert (new["age_days"], new["overdue"]) == (0, False)


async def test_overdue_filter_and_due_sort(world, items):
    overdue = (await get(world, "center", "/api/review/queue?overdue=true")).json()["items"]
    assert {i["certificate_id"] for i in overdue} == {str(items["old"].certificate_id), str(items["ee"].certificate_id)}
    mine = (await get(world, "rev-im", "/api/review/queue?overdue=true")).json()["items"]
    assert [i["certificate_id"] for i in mine] == [str(items["old"].certificate_id)]
    on_time = (await get(world, "center", "/api/review/queue?overdue=false")).json()["items"]
    assert all(not i["overdue"] for i in on_time) and len(on_time) == 2
    seen, cursor = [], None
    while True:
        page = (
            await get(world, "center", "/api/review/queue?sort=due&limit=1" + (f"&cursor={cursor}" if cursor else ""))
        ).json()
        seen += [i["due_on"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 4 and seen == sorted(seen)
    assert (await get(world, "center", "/api/review/queue?sort=nonsense")).status_code in (400, 422)


async def test_a_new_stage_restarts_the_clock(world, items):
    moved = bumped(items["ee"], "verifying")
    item = await world.fed(updated(moved))
    assert (item["status"], item["age_days"], item["overdue"]) == ("verifying", 0, False)
    items["ee"] = moved


async def test_the_admin_sets_each_tracks_sla(world, items):
    assert all(t["sla_days"] == 7 for t in (await get(world, "admin", "/api/review/tracks")).json()["tracks"])
    try:
        setup = await set_sla(world, 30)
        assert {t["sla_days"] for t in setup["tracks"]} == {30}
        old = await world.item(items["old"].certificate_id)
        assert (old["sla_days"], old["overdue"]) == (30, False)
    finally:
        await set_sla(world, 7)
    async with world.clients.as_user("admin") as c:
        setup = (await c.get("/api/review/tracks")).json()
        setup["tracks"][0]["sla_days"] = 0
        refused = await c.put("/api/review/tracks", json=setup)
        assert refused.status_code in (400, 422) and refused.json()["error"]["message_en"]
        assert {t["sla_days"] for t in (await c.get("/api/review/tracks")).json()["tracks"]} == {7}


async def test_the_owner_sees_stage_holder_and_expected_date(world, items):
    path = f"/api/review/items/{items['old'].certificate_id}/progress"
    statuses = {
        user: (await get(world, user, path)).status_code
        for user in ("s1100001", "s1100002", "rev-im", "rev-ee", "center", "admin")
    }
    assert statuses == {"s1100001": 200, "s1100002": 404, "rev-im": 200, "rev-ee": 403, "center": 200, "admin": 200}
    async with world.clients.anonymous() as c:
        assert (await c.get(path)).status_code == 401
    mine = (await get(world, "s1100001", path)).json()
    assert (mine["stage"], mine["holder"], mine["holder_en"]) == ("申請中", "系所審核", "Department review")
    assert mine["overdue"] is True and mine["due_on"]
    listed = (await get(world, "s1100001", "/api/review/progress")).json()["items"]
    assert {i["certificate_id"] for i in listed} == {str(items["old"].certificate_id), str(items["new"].certificate_id)}
    assert (await get(world, "rev-im", "/api/review/progress")).status_code == 403
    missing = await get(world, "s1100001", "/api/review/items/00000000-0000-4000-8000-000000000000/progress")
    assert missing.status_code == 404 and missing.json()["error"]["message"]
