"""Applications over HTTP: the window, one use per certificate (under real concurrency),
edit and delete, the history query with keyset pagination and exports."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from rewards.domain.calendar import TAIPEI
from tests.integration.rewards.support import IN_WINDOW, passbook_jpeg, rewards_world, seed_standards, wait_projected


@pytest.fixture(scope="module")
async def world(settings_for, issuer, amqp_url):
    async with rewards_world(settings_for, issuer, amqp_url, "rw_apps") as w:
        w.standards = await seed_standards(w)
        yield w


@pytest.fixture(autouse=True)
def inside_window(world):
    world.clock.now = IN_WINDOW
    yield
    world.clock.now = IN_WINDOW


async def approved(world, student="s1100001", key="securities-specialist", name="證券商業務員", level=None):
    cid = await world.feeder.certificate(student, key, name, level)
    await wait_projected(world.app, cid, "approved")
    return str(cid)


def body(world, standard="證券商業務員", *certificate_ids):
    return {"standard_id": world.standards[standard]["id"], "certificate_ids": list(certificate_ids)}


async def test_window_reports_the_april_window_in_taipei_time(world):
    async with world.as_user("s1100001") as client:
        window = (await client.get("/api/rewards/window")).json()
    assert window == {
        "academic_year": 114,
        "opens_at": "2026-04-01T00:00:00+08:00",
        "closes_at": "2026-05-01T00:00:00+08:00",
        "is_open": True,
    }


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        (datetime(2026, 3, 31, 23, 59, tzinfo=TAIPEI), "2026-04-01 00:00"),
        (datetime(2026, 5, 1, 0, 0, tzinfo=TAIPEI), "2027-04-01 00:00"),
    ],
)
async def test_outside_the_window_applying_is_a_409_saying_when_it_opens(world, now, opens):
    cid = await approved(world)
    world.clock.now = now
    async with world.as_user("s1100001") as client:
        response = await client.post("/api/rewards/applications", json=body(world, "證券商業務員", cid))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "window_closed" and opens in error["message"] and opens in error["message_en"]


async def test_admin_moves_the_window(world):
    async with world.as_user("admin") as admin:
        response = await admin.put(
            "/api/rewards/windows/114",
            json={"opens_at": "2026-04-10T00:00:00+08:00", "closes_at": "2026-04-20T00:00:00+08:00"},
        )
        assert response.status_code == 200, response.text
        assert response.json()["is_open"] is True
        bad = await admin.put(
            "/api/rewards/windows/114", json={"opens_at": "2026-04-20T00:00:00", "closes_at": "2026-04-10T00:00:00"}
        )
        assert bad.status_code == 422
    async with world.as_user("center") as centre:
        assert (
            await centre.put(
                "/api/rewards/windows/114", json={"opens_at": "2026-04-01T00:00:00", "closes_at": "2026-05-01T00:00:00"}
            )
        ).status_code == 403
    world.clock.now = datetime(2026, 4, 25, tzinfo=TAIPEI)
    async with world.as_user("s1100001") as client:
        assert (await client.get("/api/rewards/window")).json()["is_open"] is False
    async with world.as_user("admin") as admin:
        assert (
            await admin.put(
                "/api/rewards/windows/114", json={"opens_at": "2026-04-01T00:00:00", "closes_at": "2026-05-01T00:00:00"}
            )
        ).status_code == 200


async def test_two_simultaneous_applications_for_one_certificate_exactly_one_wins(world):
    cid = await approved(world, "s1100002")
    async with world.as_user("s1100002") as one, world.as_user("s1100002") as two:
        responses = await asyncio.gather(
            one.post("/api/rewards/applications", json=body(world, "證券商業務員", cid)),
            two.post("/api/rewards/applications", json=body(world, "證券商業務員", cid)),
        )
    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["error"]["code"] == "certificate_used"
    async with world.as_user("s1100002") as client:
        mine = (await client.get("/api/rewards/applications", params={"year": 114})).json()["items"]
    assert sum(1 for a in mine if any(c["certificate_id"] == cid for c in a["certificates"])) == 1


async def test_many_concurrent_claims_on_the_same_certificate(world):
    cid = await approved(world, "s1100002")
    async with world.as_user("s1100002") as client:
        responses = await asyncio.gather(
            *[client.post("/api/rewards/applications", json=body(world, "證券商業務員", cid)) for _ in range(6)]
        )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 5


async def test_bad_choices_are_clear_4xx_and_nothing_is_written(world):
    cid = await approved(world)
    other = await approved(world, "s1100002")
    async with world.as_user("s1100001") as client:
        before = len((await client.get("/api/rewards/applications")).json()["items"])
        cases = [
            (body(world, "證券商業務員", other), 422),  # someone else's certificate
            (body(world, "證券商業務員", cid, cid), 422),  # twice
            (body(world, "TQC+認證", cid), 422),  # wrong count / not qualifying
            (body(world, "網路通訊國際證照", cid), 422),  # EE table for an IM student
            ({"standard_id": "not-a-uuid", "certificate_ids": [cid]}, 422),
            ({"standard_id": world.standards["證券商業務員"]["id"], "certificate_ids": []}, 422),
        ]
        for payload, status in cases:
            response = await client.post("/api/rewards/applications", json=payload)
            assert response.status_code == status, (payload, response.text)
            assert "message_en" in response.json()["error"]
        assert len((await client.get("/api/rewards/applications")).json()["items"]) == before
    async with world.as_user("rev-im") as reviewer:
        assert (
            await reviewer.post("/api/rewards/applications", json=body(world, "證券商業務員", cid))
        ).status_code == 403


async def test_edit_replaces_certificates_and_delete_frees_them(world):
    first, second = await approved(world), await approved(world)
    async with world.as_user("s1100001") as client:
        created = (await client.post("/api/rewards/applications", json=body(world, "證券商業務員", first))).json()
        assert created["can_edit"] and created["can_delete"]
        edited = await client.patch(f"/api/rewards/applications/{created['id']}", json={"certificate_ids": [second]})
        assert edited.status_code == 200, edited.text
        assert [c["certificate_id"] for c in edited.json()["certificates"]] == [second]
        reused = await client.post("/api/rewards/applications", json=body(world, "證券商業務員", first))
        assert reused.status_code == 201, "the replaced certificate is free again"
        world.clock.now = datetime(2026, 5, 2, tzinfo=TAIPEI)
        late = await client.delete(f"/api/rewards/applications/{created['id']}")
        assert late.status_code == 409 and late.json()["error"]["code"] == "window_closed"
        assert (await client.get(f"/api/rewards/applications/{created['id']}")).json()["can_edit"] is False
        world.clock.now = IN_WINDOW
        assert (await client.delete(f"/api/rewards/applications/{created['id']}")).status_code == 204
        assert (await client.get(f"/api/rewards/applications/{created['id']}")).status_code == 404
        again = await client.post("/api/rewards/applications", json=body(world, "證券商業務員", second))
        assert again.status_code == 201, "delete frees the certificate"


async def test_first_review_pass_locks_and_rejection_allows_fix_and_resubmit(world):
    cid = await approved(world)
    async with world.as_user("s1100001") as client, world.as_user("rev-im") as reviewer:
        created = (await client.post("/api/rewards/applications", json=body(world, "證券商業務員", cid))).json()
        rejected = await reviewer.post(
            f"/api/rewards/applications/{created['id']}/first-review", json={"result": "N", "note": "證照影本不清楚"}
        )
        assert rejected.json()["status"] == "first_rejected"
        assert rejected.json()["first_review"]["reviewer"] == "林審核"
        fixed = await client.patch(f"/api/rewards/applications/{created['id']}", json={})
        assert fixed.status_code == 200 and fixed.json()["status"] == "submitted"
        assert fixed.json()["first_review"] is None
        account = await client.put(
            f"/api/rewards/applications/{created['id']}/bank-account",
            data={
                "method": "post",
                "code": "7000021",
                "account_no": "00012340123456",
                "account_name": "王小明",
                "postal_code": "900",
                "address": "屏東市",
            },
            files={"passbook": ("p.jpg", passbook_jpeg(), "image/jpeg")},
        )
        assert account.status_code == 200, account.text
        passed = await reviewer.post(f"/api/rewards/applications/{created['id']}/first-review", json={"result": "Y"})
        assert passed.json()["status"] == "first_passed", passed.text
        for response in (
            await client.patch(f"/api/rewards/applications/{created['id']}", json={}),
            await client.delete(f"/api/rewards/applications/{created['id']}"),
        ):
            assert response.status_code == 409 and response.json()["error"]["code"] == "application_locked"


async def test_history_query_filters_pages_and_exports(world):
    for _ in range(3):
        cid = await approved(world, "s1100003", "cisco-ccna", "CCNA")
        async with world.as_user("s1100003") as client:
            assert (
                await client.post("/api/rewards/applications", json=body(world, "網路通訊國際證照", cid))
            ).status_code == 201
    async with world.as_user("center") as centre:
        seen, cursor = [], None
        while True:
            page = (
                await centre.get(
                    "/api/rewards/applications",
                    params={
                        "year": 114,
                        "dept": "EE",
                        "class": "EE2B",
                        "division": "day",
                        "program": "bachelor",
                        "student": "s11000",
                        "name": "大文",
                        "limit": 2,
                        **({"cursor": cursor} if cursor else {}),
                    },
                )
            ).json()
            seen += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert len(seen) >= 3 and len({a["id"] for a in seen}) == len(seen)
        assert {a["student_id"] for a in seen} == {"s1100003"}
        item = seen[0]
        assert set(item) >= {
            "id",
            "academic_year",
            "student_id",
            "student_name",
            "dept",
            "division",
            "program",
            "class",
            "standard_id",
            "label",
            "amount",
            "level",
            "status",
            "status_label",
            "status_label_en",
            "first_review",
            "second_review",
            "certificate_count",
            "certificates",
            "bank_account",
            "paid_at",
            "invalid_reason",
            "can_edit",
            "can_delete",
        }
        assert item["label"] == "系所-電機工程學系-3級-9項-網路通訊國際證照" and item["status_label"] == "初審中"
        assert (await centre.get("/api/rewards/applications", params={"name": "nobody"})).json()["items"] == []
        refused = await centre.get("/api/rewards/applications", params={"cursor": "!!"})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_cursor"
        exported = await centre.get("/api/rewards/applications/export.csv", params={"dept": "EE"})
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert rows[0][0].startswith("學年") and len(rows) == len(seen) + 1
        xlsx = await centre.get("/api/rewards/applications/export.xlsx", params={"dept": "EE"})
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet.max_row == len(seen) + 1 and sheet["H2"].value == "系所-電機工程學系-3級-9項-網路通訊國際證照"


async def test_standards_crud_import_and_authorisation(world):
    new = {
        "academic_year": 115,
        "scope": "school",
        "level": 4,
        "item": 10,
        "name": "保險業務員",
        "amount": 1000,
        "required_count": 1,
        "qualifying": [{"certificate_key": "life-insurance-agent", "levels": None}],
    }
    async with world.as_user("admin") as admin, world.as_user("s1100001") as student:
        assert (await student.post("/api/rewards/standards", json=new)).status_code == 403
        created = await admin.post("/api/rewards/standards", json=new)
        assert created.status_code == 201 and created.json()["label"] == "全校--4級-10項-保險業務員"
        assert (await admin.post("/api/rewards/standards", json=new)).status_code == 409
        assert (await admin.post("/api/rewards/standards", json={**new, "item": 11, "level": 7})).status_code == 422
        patched = await admin.patch(f"/api/rewards/standards/{created.json()['id']}", json={"amount": 1500})
        assert patched.json()["amount"] == 1500
        listed = (await student.get("/api/rewards/standards", params={"year": 115})).json()
        assert [s["label"] for s in listed] == ["全校--4級-10項-保險業務員"]
        assert (await student.delete(f"/api/rewards/standards/{created.json()['id']}")).status_code == 403
        assert (await admin.delete(f"/api/rewards/standards/{created.json()['id']}")).status_code == 204
        in_use = await admin.delete(f"/api/rewards/standards/{world.standards['證券商業務員']['id']}")
        assert in_use.status_code == 409
        csv_text = (
            "academic_year,scope,level,item,name,amount,required_count,qualifying\n"
            "115,IM,2,16,TQC+認證,3000,3,tqc-word:專業級;tqcplus-python3\n"
            "115,school,1,3,證券商業務員,5000,1,securities-specialist\n"
        )
        imported = await admin.post(
            "/api/rewards/standards/import", files={"file": ("s.csv", csv_text.encode(), "text/csv")}
        )
        assert imported.json() == {"created": 2, "updated": 0}, imported.text
        again = await admin.post(
            "/api/rewards/standards/import", files={"file": ("s.csv", csv_text.encode(), "text/csv")}
        )
        assert again.json() == {"created": 0, "updated": 2}
        broken = await admin.post(
            "/api/rewards/standards/import",
            files={"file": ("s.csv", (csv_text + "115,XX,1,1,x,1,1,k\n").encode(), "text/csv")},
        )
        assert broken.status_code == 422 and "第 4 行" in broken.json()["error"]["message"]
        labels = [s["label"] for s in (await student.get("/api/rewards/standards?year=115")).json()]
        assert labels == ["全校--1級-3項-證券商業務員", "系所-資訊管理學系-2級-16項-TQC+認證"]
