"""Per-track next steps: the admin keeps them with the tracks (zh-TW + English), every signed-in user reads
them with the assignments that pick a certificate's track, and bad ones are a clear 4xx that changes nothing."""

from __future__ import annotations

USERS = ["rev-im", "center", "admin", "s1100001"]


async def test_demo_verified_track_tells_students_to_bring_the_original(world):
    for user in USERS:
        async with world.clients.as_user(user) as c:
            answer = await c.get("/api/review/tracks/next-steps")
        assert answer.status_code == 200, user
    body = answer.json()
    assert body["tracks"]["verified"]["submitted"]["zh"].startswith("請攜帶正本至電算中心掃描")
    assert body["tracks"]["simple"] == {}
    assert {"category": 3, "dept": None, "track": "verified"} in body["assignments"]
    assert body["fallback"] == "simple"
    async with world.clients.anonymous() as c:
        assert (await c.get("/api/review/tracks/next-steps")).status_code == 401


async def test_admin_edits_next_steps_and_students_read_them(world):
    async with world.clients.as_user("admin") as admin:
        setup = (await admin.get("/api/review/tracks")).json()
        simple = next(t for t in setup["tracks"] if t["name"] == "simple")
        simple["next_steps"] = {"approved": {"zh": "請至系辦領取獎狀", "en": "Collect the award at the office"}}
        saved = await admin.put("/api/review/tracks", json=setup)
        assert saved.status_code == 200
        assert next(t for t in saved.json()["tracks"] if t["name"] == "simple")["next_steps"] == simple["next_steps"]
    async with world.clients.as_user("s1100001") as student:
        steps = (await student.get("/api/review/tracks/next-steps")).json()
    assert steps["tracks"]["simple"]["approved"] == {"zh": "請至系辦領取獎狀", "en": "Collect the award at the office"}


async def test_bad_next_steps_are_refused_and_change_nothing(world):
    async with world.clients.as_user("admin") as admin:
        before = (await admin.get("/api/review/tracks")).json()
        for steps in (
            {"paid": {"zh": "x"}},
            {"approved": {"zh": ""}},
            {"approved": {"zh": "x" * 301}},
            {"approved": {"en": "only English"}},
        ):
            bad = {**before, "tracks": [{**t, "next_steps": steps} for t in before["tracks"]]}
            answer = await admin.put("/api/review/tracks", json=bad)
            assert answer.status_code == 422, steps
            assert answer.json()["error"]["message"] and answer.json()["error"]["message_en"]
        assert (await admin.get("/api/review/tracks")).json() == before
    async with world.clients.as_user("s1100001") as student:
        assert (await student.put("/api/review/tracks", json=before)).status_code == 403
