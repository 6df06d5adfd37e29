"""Authorisation matrix over every rewards endpoint: students reach their own (others 404),
reviewers their departments (403 elsewhere), the centre all, admin the tables."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.rewards.support import rewards_world, seed_standards, wait_projected

USERS = ["anonymous", "s1100001", "s1100002", "s1100003", "rev-im", "rev-ee", "center", "admin"]
STAFF_ONLY_PAYOUT = {"anonymous": 401, "s1100001": 403, "s1100002": 403, "s1100003": 403, "rev-im": 403, "rev-ee": 403}


@pytest.fixture(scope="module")
async def world(settings_for, issuer, amqp_url):
    async with rewards_world(settings_for, issuer, amqp_url, "rw_authz") as w:
        w.standards = await seed_standards(w)
        cid = await w.feeder.certificate("s1100001", "securities-specialist", "證券商業務員")
        await wait_projected(w.app, cid, "approved")
        async with w.as_user("s1100001") as client:
            response = await client.post(
                "/api/rewards/applications",
                json={"standard_id": w.standards["證券商業務員"]["id"], "certificate_ids": [str(cid)]},
            )
            assert response.status_code == 201, response.text
            w.application = response.json()["id"]
        yield w


def client_for(world, user):
    return world.clients.anonymous() if user == "anonymous" else world.as_user(user)


def matrix(world) -> list[tuple[str, str, dict, dict[str, int]]]:
    a = f"/api/rewards/applications/{world.application}"
    std = world.standards["全民英檢中級或同等級英語檢定"]["id"]
    review = {"json": {"result": "N"}}
    batch = f"/api/rewards/payouts/{uuid.uuid4()}"
    owner_only = {
        "anonymous": 401,
        "s1100002": 404,
        "s1100003": 404,
        "rev-im": 403,
        "rev-ee": 403,
        "center": 403,
        "admin": 403,
    }
    not_admin = {"anonymous": 401, "s1100001": 403, "rev-im": 403, "center": 403}
    return [
        (
            "GET",
            a,
            {},
            {
                "anonymous": 401,
                "s1100001": 200,
                "s1100002": 404,
                "s1100003": 404,
                "rev-im": 200,
                "rev-ee": 403,
                "center": 200,
                "admin": 200,
            },
        ),
        ("PATCH", a, {"json": {"certificate_ids": [str(uuid.uuid4())]}}, owner_only),
        ("DELETE", a, {}, owner_only),
        (
            "PUT",
            f"{a}/bank-account",
            {"data": {"method": "other", "postal_code": "900", "address": "x", "other_reason": "none"}},
            owner_only,
        ),
        ("GET", f"{a}/passbook", {}, {"anonymous": 401, "s1100002": 404, "rev-ee": 403, "s1100001": 404}),
        ("POST", f"{a}/first-review", review, {"anonymous": 401, "s1100001": 403, "s1100002": 403, "rev-ee": 403}),
        ("POST", f"{a}/second-review", review, {"anonymous": 401, "s1100001": 403, "rev-im": 403, "rev-ee": 403}),
        (
            "POST",
            "/api/rewards/applications/first-review",
            {"json": []},
            {"anonymous": 401, "s1100002": 403, "rev-im": 200, "center": 200},
        ),
        (
            "POST",
            "/api/rewards/applications/second-review",
            {"json": []},
            {"anonymous": 401, "s1100001": 403, "rev-im": 403, "center": 200},
        ),
        (
            "POST",
            "/api/rewards/applications",
            {"json": {"standard_id": std, "certificate_ids": [str(uuid.uuid4())]}},
            {"anonymous": 401, "rev-im": 403, "center": 403, "admin": 403, "s1100003": 422},
        ),
        ("GET", "/api/rewards/applications", {}, {u: (401 if u == "anonymous" else 200) for u in USERS}),
        ("GET", "/api/rewards/applications?dept=IM", {}, {"rev-ee": 403, "rev-im": 200, "center": 200}),
        ("GET", "/api/rewards/applications/export.csv", {}, {"anonymous": 401, "s1100002": 200, "center": 200}),
        ("GET", "/api/rewards/applications/export.xlsx", {}, {"anonymous": 401, "rev-ee": 200}),
        ("GET", "/api/rewards/eligible", {}, {"anonymous": 401, "s1100001": 200, "rev-im": 403, "center": 403}),
        ("GET", "/api/rewards/standards?year=114", {}, {u: (401 if u == "anonymous" else 200) for u in USERS}),
        (
            "POST",
            "/api/rewards/standards",
            {
                "json": {
                    "academic_year": 114,
                    "scope": "school",
                    "level": 5,
                    "item": 99,
                    "name": "x",
                    "amount": 1,
                    "required_count": 1,
                    "qualifying": [{"certificate_key": "k"}],
                }
            },
            not_admin,
        ),
        ("PATCH", f"/api/rewards/standards/{std}", {"json": {"amount": 1}}, not_admin),
        ("DELETE", f"/api/rewards/standards/{std}", {}, not_admin),
        ("POST", "/api/rewards/standards/import", {"files": {"file": ("s.csv", b"a,b\n", "text/csv")}}, not_admin),
        ("GET", "/api/rewards/window", {}, {u: (401 if u == "anonymous" else 200) for u in USERS}),
        (
            "PUT",
            "/api/rewards/windows/114",
            {"json": {"opens_at": "2026-04-01T00:00:00", "closes_at": "2026-05-01T00:00:00"}},
            not_admin,
        ),
        ("POST", "/api/rewards/payouts", {"json": {"application_ids": [world.application]}}, STAFF_ONLY_PAYOUT),
        ("GET", "/api/rewards/payouts", {}, {**STAFF_ONLY_PAYOUT, "center": 200, "admin": 200}),
        ("GET", batch, {}, {**STAFF_ONLY_PAYOUT, "center": 404}),
        ("GET", f"{batch}/export.csv", {}, {**STAFF_ONLY_PAYOUT, "center": 404}),
        ("POST", f"{batch}/paid", {}, {**STAFF_ONLY_PAYOUT, "center": 404}),
        ("GET", "/api/rewards/reports?year=114", {}, {"anonymous": 401, "s1100001": 403, "rev-im": 200, "center": 200}),
    ]


async def test_every_endpoint_refuses_who_must_not_reach_it(world):
    failures = []
    for method, url, kwargs, expected in matrix(world):
        for user, status in expected.items():
            async with client_for(world, user) as client:
                response = await client.request(method, url, **kwargs)
            if response.status_code != status:
                failures.append(f"{user} {method} {url}: {response.status_code} != {status} {response.text[:120]}")
            elif status >= 400:
                assert "message_en" in response.json()["error"], response.text
    assert not failures, "\n".join(failures)


async def test_lists_are_scoped(world):
    async def ids(user, **params):
        async with client_for(world, user) as client:
            return {a["id"] for a in (await client.get("/api/rewards/applications", params=params)).json()["items"]}

    assert world.application in await ids("s1100001")
    assert world.application not in await ids("s1100002")
    assert world.application not in await ids("s1100002", student="s1100001")
    assert world.application not in await ids("rev-ee")
    assert world.application in await ids("rev-im")
    assert world.application in await ids("center", dept="IM")
    async with client_for(world, "s1100002") as client:
        assert world.application not in (await client.get("/api/rewards/applications/export.csv")).text
