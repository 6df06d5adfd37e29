"""Reward rules of a year (cap, exclusions, budget with its waiting list, preview) and returned
transfers (退匯) over HTTP, on real PostgreSQL/RabbitMQ/S3."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid

import pytest
from sqlalchemy import text

from tests.integration.rewards.support import passbook_jpeg, rewards_world, seed_standards, wait_projected
from tests.support.waiting import eventually

RULES = "/api/rewards/rules/114"


@pytest.fixture(scope="module")
async def world(settings_for, issuer, amqp_url):
    async with rewards_world(settings_for, issuer, amqp_url, "rw_rules") as w:
        w.standards = await seed_standards(w)
        yield w


def bank_form(name="王小明", account_no="123456789012") -> dict:
    return {
        "method": "bank",
        "code": "0040174",
        "account_no": account_no,
        "account_name": name,
        "postal_code": "900",
        "address": "屏東縣屏東市民生路4-18號",
    }


async def apply(world, client, student, standard, key, name, level=None, flags=None):
    cid = await world.feeder.certificate(student, key, name, level)
    await wait_projected(world.app, cid, "approved")
    return await client.post(
        "/api/rewards/applications",
        json={"standard_id": world.standards[standard]["id"], "certificate_ids": [str(cid)], "flags": flags or []},
    )


async def with_bank(client, app_id, name="王小明", account_no="123456789012"):
    saved = await client.put(
        f"/api/rewards/applications/{app_id}/bank-account",
        data=bank_form(name, account_no),
        files={"passbook": ("p.jpg", passbook_jpeg(), "image/jpeg")},
    )
    assert saved.status_code == 200, saved.text


async def reviewed(first, centre, app_id):
    url = f"/api/rewards/applications/{app_id}"
    assert (await first.post(f"{url}/first-review", json={"result": "Y"})).status_code == 200
    second = await centre.post(f"{url}/second-review", json={"result": "Y"})
    assert second.status_code == 200, second.text
    return second.json()


async def test_cap_exclusions_budget_waiting_and_preview(world):
    async with (
        world.as_user("admin") as admin,
        world.as_user("s1100001") as s1,
        world.as_user("s1100002") as s2,
        world.as_user("rev-im") as rev,
        world.as_user("center") as centre,
    ):
        assert (await rev.put(RULES, json={"cap_per_student": 1})).status_code == 403
        assert (await admin.put(RULES, json={"ranking": "random"})).status_code == 422
        bad = await admin.put(RULES, json={"exclusions": ["pretty"]})
        assert bad.status_code == 422 and bad.json()["error"]["message_en"]
        saved = await admin.put(
            RULES,
            json={"cap_per_student": 6000, "budget": 7000, "exclusions": ["subsidised"], "ranking": "highest_level"},
        )
        assert saved.status_code == 200 and saved.json()["budget"] == 7000, saved.text
        assert (await centre.get(RULES)).json()["exclusions"] == ["subsidised"]

        securities = (
            await apply(world, s1, "s1100001", "證券商業務員", "securities-specialist", "證券商業務員")
        ).json()
        assert securities["amount"] == 5000 and securities["capped"] is False
        gept = (await apply(world, s1, "s1100001", "全民英檢中級或同等級英語檢定", "gept", "全民英檢", "中級")).json()
        assert gept["amount"] == 1000 and gept["capped"] is True and gept["standard_amount"] == 2000
        refused = await apply(world, s1, "s1100001", "全民英檢中級或同等級英語檢定", "gept", "全民英檢", "中級")
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "cap_reached"
        excluded = await apply(
            world, s2, "s1100002", "全民英檢中級或同等級英語檢定", "gept", "全民英檢", "中級", flags=["subsidised"]
        )
        assert excluded.status_code == 409 and excluded.json()["error"]["code"] == "excluded_by_rules"
        other = (await apply(world, s2, "s1100002", "全民英檢中級或同等級英語檢定", "gept", "全民英檢", "中級")).json()
        assert other["amount"] == 2000

        # what-if: ranked by level, the level-1 NT$5,000 waits; without a budget nobody does
        preview = (await admin.get(f"{RULES}/preview")).json()
        assert (preview["total"], preview["count"]) == (8000, 3)
        assert [w["application_id"] for w in preview["waiting"]] == [securities["id"]]
        unlimited = (await admin.get(f"{RULES}/preview", params={"budget": "", "cap_per_student": "1000"})).json()
        assert unlimited["waiting"] == [] and {o["application_id"] for o in unlimited["over_cap"]} == {
            securities["id"],
            gept["id"],
            other["id"],
        }  # gept: nothing left under a NT$1,000 cap
        assert (unlimited["total"], unlimited["count"]) == (2000, 2)
        assert (await s1.get(f"{RULES}/preview")).status_code == 403

        # a reviewer marks the flag the student did not declare: the first review cannot pass
        flagged = await rev.put(f"/api/rewards/applications/{other['id']}/flags", json={"flags": ["subsidised"]})
        assert flagged.status_code == 200 and flagged.json()["flags"] == ["subsidised"]
        await with_bank(s2, other["id"], "李小華")
        blocked = await rev.post(f"/api/rewards/applications/{other['id']}/first-review", json={"result": "Y"})
        assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "excluded_by_rules"
        assert (await rev.put(f"/api/rewards/applications/{other['id']}/flags", json={"flags": []})).status_code == 200

        for app_id in (securities["id"], gept["id"]):
            await with_bank(s1, app_id)
            assert (await reviewed(rev, centre, app_id))["status"] == "second_passed"
        waiting = await reviewed(rev, centre, other["id"])  # 5000 + 1000 + 2000 > 7000
        assert waiting["status"] == "waiting" and waiting["status_label"] == "候補（預算用罄）"
        assert (await s2.get(f"/api/rewards/applications/{other['id']}")).json()["status"] == "waiting"

        raised = await admin.put(
            RULES,
            json={"cap_per_student": 6000, "budget": 8000, "exclusions": ["subsidised"], "ranking": "highest_level"},
        )
        assert raised.json()["promoted"] == [other["id"]]
        assert (await s2.get(f"/api/rewards/applications/{other['id']}")).json()["status"] == "second_passed"

    # budget freed by a certificate deleted upstream: the waiting application moves up by itself
    async with (
        world.as_user("admin") as admin,
        world.as_user("s1100003") as s3,
        world.as_user("rev-ee") as rev_ee,
        world.as_user("center") as centre,
    ):
        await admin.put(RULES, json={"budget": 8000})
        ee = (await apply(world, s3, "s1100003", "網路通訊國際證照", "cisco-ccna", "CCNA")).json()
        await with_bank(s3, ee["id"], "陳大文")
        assert (await reviewed(rev_ee, centre, ee["id"]))["status"] == "waiting"
        await world.feeder.deleted(uuid.UUID(securities["certificates"][0]["certificate_id"]), "s1100001")

        async def promoted():
            return (await s3.get(f"/api/rewards/applications/{ee['id']}")).json()["status"] == "second_passed"

        await eventually(promoted)
    async with world.app.state.runtime.db.engine.connect() as conn:
        actions = {r[0] for r in await conn.execute(text("SELECT action FROM audit_log"))}
    assert {"rules.set", "application.flags_set", "application.budget_freed"} <= actions


def returns_csv(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["application_id", "amount", "reason"])
    writer.writerows(rows)
    return out.getvalue().encode()


async def test_returned_transfer_back_to_needs_fix_then_paid_again_and_account_reuse(world):
    async with (
        world.as_user("admin") as admin,
        world.as_user("s1100003") as s3,
        world.as_user("rev-ee") as rev,
        world.as_user("center") as centre,
    ):
        assert (await admin.put("/api/rewards/rules/114", json={"return_fee": 30})).status_code == 200
        app = (await apply(world, s3, "s1100003", "網路通訊國際證照", "cisco-ccna", "CCNA")).json()
        await with_bank(s3, app["id"], "陳大文")
        await reviewed(rev, centre, app["id"])
        batch = (await centre.post("/api/rewards/payouts", json={"application_ids": [app["id"]]})).json()
        returns = f"/api/rewards/payouts/{batch['id']}/returns"
        early = await centre.post(returns, files={"file": ("r.csv", returns_csv([app["id"], 2000, "帳號錯誤"]))})
        assert early.status_code == 409 and early.json()["error"]["code"] == "batch_not_paid"
        await centre.post(f"/api/rewards/payouts/{batch['id']}/paid")

        template = await centre.get("/api/rewards/payouts/returns/template.csv")
        assert template.status_code == 200 and template.content.decode("utf-8-sig").startswith("application_id,amount")
        assert (await rev.get("/api/rewards/payouts/returns/template.csv")).status_code == 403
        assert (await rev.post(returns, files={"file": ("r.csv", returns_csv())})).status_code == 403
        header = await centre.post(returns, files={"file": ("r.csv", b"foo,bar\n1,2\n")})
        assert header.status_code == 422 and header.json()["error"]["code"] == "invalid_returns"

        mixed = returns_csv([app["id"], 2000, "帳號錯誤"], ["00000000-0000-0000-0000-000000000001", 5, "x"])
        dry = (await centre.post(returns, files={"file": ("r.csv", mixed)})).json()
        assert [r["status"] for r in dry["rows"]] == ["ok", "not_in_batch"] and dry["rows"][0]["fee"] == 30
        refused = await centre.post(returns, data={"dry_run": "false"}, files={"file": ("r.csv", mixed)})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "returns_invalid"
        assert (await s3.get(f"/api/rewards/applications/{app['id']}")).json()["status"] == "paid"  # nothing half-done

        good = returns_csv([app["id"], 2000, "帳號錯誤"])
        preview = (await centre.post(returns, files={"file": ("r.csv", good)})).json()
        assert preview["dry_run"] is True and preview["rows"][0]["repayable"] == 1970
        done = await centre.post(returns, data={"dry_run": "false"}, files={"file": ("r.csv", good)})
        assert done.status_code == 200 and done.json()["returned"] == 1, done.text
        back = (await s3.get(f"/api/rewards/applications/{app['id']}")).json()
        assert back["status"] == "needs_fix" and "帳號錯誤" in back["invalid_reason"] and back["amount"] == 1970
        assert back["returned_fees"] == 30 and back["capped"] is False  # a fee is not the cap
        again = (await centre.post(returns, files={"file": ("r.csv", good)})).json()
        assert again["rows"][0]["status"] != "ok"  # importing the same file twice changes nothing

        await with_bank(s3, app["id"], "陳大文", "987654321098")  # the corrected account: payable again
        assert (await s3.get(f"/api/rewards/applications/{app['id']}")).json()["status"] == "second_passed"
        second = (await centre.post("/api/rewards/payouts", json={"application_ids": [app["id"]]})).json()
        exported = (await centre.get(f"/api/rewards/payouts/{second['id']}/export.csv")).content.decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(exported)))[1][1:4] == ["987654321098", "陳大文", "1970"]
        await centre.post(f"/api/rewards/payouts/{second['id']}/paid")

        # next application: one click reuses the verified (paid) account, sealed again, masked to the student
        fresh = (await apply(world, s3, "s1100003", "全民英檢中級或同等級英語檢定", "gept", "全民英檢", "中級")).json()
        reuse = f"/api/rewards/applications/{fresh['id']}/bank-account/reuse"
        unverified = await s3.post(reuse, json={"from_application_id": fresh["id"]})
        assert unverified.status_code == 409 and unverified.json()["error"]["code"] == "account_not_verified"
        reused = await s3.post(reuse, json={"from_application_id": app["id"]})
        assert reused.status_code == 200, reused.text
        assert reused.json()["account_masked"] == "********1098" and "987654321098" not in reused.text
        assert (await rev.post(f"/api/rewards/applications/{fresh['id']}/first-review", json={"result": "Y"})).json()[
            "status"
        ] == "first_passed"
    async with world.app.state.runtime.db.engine.connect() as conn:
        types = [
            r[0]
            for r in await conn.execute(
                text("SELECT type FROM outbox WHERE envelope->>'subject' = :s ORDER BY seq"), {"s": app["id"]}
            )
        ]
        actions = [
            r[0]
            for r in await conn.execute(
                text("SELECT action FROM audit_log WHERE subject = :s ORDER BY seq"), {"s": app["id"]}
            )
        ]
    assert "reward.transfer_returned.v1" in types and types.count("reward.paid.v1") == 2
    assert "application.transfer_returned" in actions and "application.account_fixed" in actions


async def test_simultaneous_applications_of_one_student_share_the_cap(settings_for, issuer, amqp_url):
    """Two applications of one student at once, for different certificates: the student's lock (taken by
    the application's first statement) makes the second see what the first claimed, so together they
    never pass the cap (NT$5,000 + NT$2,000 against NT$6,000: one is reduced to the remainder)."""
    async with rewards_world(settings_for, issuer, amqp_url, "rw_cap_race") as w:
        w.standards = await seed_standards(w)
        async with w.as_user("admin") as admin, w.as_user("s1100002") as one, w.as_user("s1100002") as two:
            assert (await admin.put(RULES, json={"cap_per_student": 6000})).status_code == 200
            securities = await w.feeder.certificate("s1100002", "securities-specialist", "證券商業務員")
            gept = await w.feeder.certificate("s1100002", "gept", "全民英檢", "中級")
            for cid in (securities, gept):
                await wait_projected(w.app, cid, "approved")
            first, second = await asyncio.gather(
                one.post(
                    "/api/rewards/applications",
                    json={"standard_id": w.standards["證券商業務員"]["id"], "certificate_ids": [str(securities)]},
                ),
                two.post(
                    "/api/rewards/applications",
                    json={
                        "standard_id": w.standards["全民英檢中級或同等級英語檢定"]["id"],
                        "certificate_ids": [str(gept)],
                    },
                ),
            )
        assert (first.status_code, second.status_code) == (201, 201), (first.text, second.text)
        amounts = sorted([first.json()["amount"], second.json()["amount"]])
        assert sum(amounts) == 6000 and amounts in ([1000, 5000], [2000, 4000]), amounts
        assert [first.json()["capped"], second.json()["capped"]].count(True) == 1
