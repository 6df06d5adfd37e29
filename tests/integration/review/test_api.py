"""The review API: the authorisation matrix (rev-im, rev-ee, centre, admin, student, anonymous),
the queue's filters and keyset pages, and bad input that changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from .support import confirmed, png, registered, snapshot

USERS = ["rev-im", "rev-ee", "center", "admin", "s1100001", None]


@pytest.fixture(scope="module")
async def items(world):
    old = datetime.now(UTC) - timedelta(days=10)
    made = {
        "im": snapshot("s1100001", "gept", registered_at=old),
        "im2": snapshot("s1100002", "toeic-lr", registered_at=old + timedelta(hours=1)),
        "ee": snapshot("s1100003", "gept"),
        "im_verified": snapshot("s1100001", "cisco-ccna"),
        "im_bulk": snapshot("s1100002", "gept"),
    }
    for snap in made.values():
        await world.fed((registered if snap.category != 3 else confirmed)(snap))
    return made


def client(world, user):
    return world.clients.as_user(user) if user else world.clients.anonymous()


async def status_of(world, user, method, path, **kw) -> int:
    async with client(world, user) as c:
        return (await c.request(method, path, **kw)).status_code


async def matrix(world, method, path, **kw) -> dict:
    return {user or "anonymous": await status_of(world, user, method, path, **kw) for user in USERS}


async def test_queue_is_scoped_by_department(world, items):
    assert await matrix(world, "GET", "/api/review/queue") == {
        "rev-im": 200,
        "rev-ee": 200,
        "center": 200,
        "admin": 200,
        "s1100001": 403,
        "anonymous": 401,
    }
    depts = {}
    for user in ("rev-im", "rev-ee", "center"):
        async with world.clients.as_user(user) as c:
            depts[user] = {i["dept"] for i in (await c.get("/api/review/queue")).json()["items"]}
    assert depts == {"rev-im": {"IM"}, "rev-ee": {"EE"}, "center": {"IM", "EE"}}
    assert (await matrix(world, "GET", "/api/review/queue?dept=EE"))["rev-im"] == 403


async def test_one_item_and_its_original(world, items):
    path = f"/api/review/{items['im_verified'].certificate_id}"
    assert await matrix(world, "GET", path) == {
        "rev-im": 200,
        "rev-ee": 403,
        "center": 200,
        "admin": 200,
        "s1100001": 403,
        "anonymous": 401,
    }
    upload = {"files": {"scan": ("o.png", png(1), "image/png")}}
    for user in ("rev-im", "rev-ee", "s1100001", None):
        assert await status_of(world, user, "POST", f"{path}/original", **upload) in (401, 403)
    assert await status_of(world, "center", "POST", f"{path}/original", **upload) == 201
    assert await matrix(world, "GET", f"{path}/original") == {
        "rev-im": 200,
        "rev-ee": 403,
        "center": 200,
        "admin": 200,
        "s1100001": 403,
        "anonymous": 401,
    }
    async with world.clients.as_user("rev-im") as c:
        original = await c.get(f"{path}/original")
    assert original.headers["content-type"] == "image/png" and original.content.startswith(b"\x89PNG")


async def test_decisions_only_for_own_departments(world, items):
    path = f"/api/review/{items['im'].certificate_id}/decision"
    body = {"json": {"decision": "approved", "reason": None, "version": items["im"].version}}
    for user, expected in (("rev-ee", 403), ("s1100001", 403), (None, 401)):
        assert await status_of(world, user, "POST", path, **body) == expected
    assert await status_of(world, "rev-im", "POST", path, **body) == 200
    assert await status_of(world, "rev-im", "POST", path, **body) == 409  # already decided, being applied
    assert await status_of(world, "center", "POST", f"/api/review/{uuid.uuid4()}/decision", **body) == 404


async def test_bulk_reports_each_item(world, items):
    body = [
        {
            "certificate_id": str(items["im_bulk"].certificate_id),
            "decision": "rejected",
            "reason": "模糊",
            "version": items["im_bulk"].version,
        },
        {"certificate_id": str(items["ee"].certificate_id), "decision": "approved", "version": items["ee"].version},
        {"certificate_id": str(uuid.uuid4()), "decision": "approved", "version": 1},
        {"certificate_id": str(items["im2"].certificate_id), "decision": "rejected", "version": items["im2"].version},
    ]
    async with world.clients.as_user("rev-im") as c:
        answer = await c.post("/api/review/decisions", json=body)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [(r["ok"], r["status"]) for r in results] == [(True, 200), (False, 403), (False, 404), (False, 422)]
    assert results[0]["outcome"] == "rejected" and results[3]["error"]["code"] == "reason_required"
    assert answer.json()["succeeded"] == 1 and answer.json()["failed"] == 3
    assert await status_of(world, "s1100001", "POST", "/api/review/decisions", json=body) == 403
    assert await status_of(world, "rev-im", "POST", "/api/review/decisions", json=[]) == 422


async def test_tracks_and_rules_are_admin_only(world, items):
    async with world.clients.as_user("admin") as admin:
        current = (await admin.get("/api/review/tracks")).json()
    assert (await matrix(world, "GET", "/api/review/tracks"))["anonymous"] == 401
    assert await matrix(world, "PUT", "/api/review/tracks", json=current) == {
        "rev-im": 403,
        "rev-ee": 403,
        "center": 403,
        "admin": 200,
        "s1100001": 403,
        "anonymous": 401,
    }
    assert (await matrix(world, "PUT", "/api/review/rules/114", json={}))["center"] == 403
    assert (await matrix(world, "GET", "/api/review/rules"))["s1100001"] == 403


async def test_queue_pages_filters_and_age(world, items):
    seen, cursor = [], None
    async with world.clients.as_user("center") as c:
        while True:
            page = (
                await c.get(
                    "/api/review/queue", params={"limit": 1, "status": "all", **({"cursor": cursor} if cursor else {})}
                )
            ).json()
            seen += [i["certificate_id"] for i in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        old = (await c.get("/api/review/queue", params={"min_age_days": 5, "status": "all"})).json()["items"]
        by_student = (await c.get("/api/review/queue", params={"student": "陳大", "status": "all"})).json()["items"]
        english = (await c.get("/api/review/queue", params={"category": 1, "dept": "IM", "status": "all"})).json()
    assert len(seen) == len(set(seen)) == len(items)
    assert seen[:2] == [str(items["im"].certificate_id), str(items["im2"].certificate_id)]  # oldest first
    assert {i["certificate_id"] for i in old} == {str(items["im"].certificate_id), str(items["im2"].certificate_id)}
    assert old[0]["age_days"] == 10
    assert {i["student_id"] for i in by_student} == {"s1100003"}
    assert {(i["category"], i["dept"]) for i in english["items"]} == {(1, "IM")}
    entry = old[0]
    assert entry["scan_url"] == f"/api/certificates/{entry['certificate_id']}/scan"
    assert entry["thumbnail_url"].endswith("/thumbnail") and entry["original_url"] is None
    assert set(entry) >= {
        "certificate_id",
        "student_id",
        "student_name",
        "dept",
        "entry_name",
        "level_name",
        "category",
        "status",
        "submitted_at",
        "age_days",
        "checklist",
        "flags",
        "track",
    }


async def test_bad_input_is_a_clear_4xx_and_changes_nothing(world, items):
    target = items["im_verified"]
    async with world.clients.as_user("center") as c:
        for params in ({"status": "bogus"}, {"cursor": "not-a-cursor"}, {"limit": 0}):
            answer = await c.get("/api/review/queue", params=params)
            assert answer.status_code == 422 and answer.json()["error"]["message_en"]
        assert (
            await c.post(f"/api/review/{target.certificate_id}/decision", json={"decision": "maybe"})
        ).status_code == 422
        assert (await c.post("/api/review/not-a-uuid/decision", json={"decision": "approved"})).status_code == 422
        fresh = snapshot("s1100002", "its-python")
        await world.fed(confirmed(fresh))
        fake = await c.post(
            f"/api/review/{fresh.certificate_id}/original",
            files={"scan": ("x.png", b"<html>not an image</html>", "image/png")},
        )
        assert fake.status_code == 422 and fake.json()["error"]["code"] == "unsupported_scan"
        huge = await c.post(
            f"/api/review/{fresh.certificate_id}/original",
            files={"scan": ("x.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024), "image/png")},
        )
        assert huge.status_code == 413
        assert (await world.item(fresh.certificate_id))["original_url"] is None
        assert world.broker.of("certificate.original_scanned.v1", fresh.certificate_id) == []
    async with world.clients.as_user("admin") as admin:
        before = (await admin.get("/api/review/tracks")).json()
        bad = {"tracks": before["tracks"], "assignments": [{"category": 1, "track": "nope"}]}
        answer = await admin.put("/api/review/tracks", json=bad)
        assert answer.status_code == 422 and answer.json()["error"]["code"] == "unknown_track"
        assert (await admin.get("/api/review/tracks")).json() == before
