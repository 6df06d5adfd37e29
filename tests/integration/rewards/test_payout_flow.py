"""The whole B363 flow over HTTP — apply, bank account, 初審, 複審, payout, history — with the
canary account number that must appear in no log line, no event and no unencrypted column."""

from __future__ import annotations

import csv
import io
import logging
import random
import uuid

import pytest
from sqlalchemy import text

from tests.integration.rewards.support import passbook_jpeg, rewards_world, seed_standards, wait_projected

CANARY = "".join(random.choice("123456789") for _ in range(12))  # 12 digits: 臺灣銀行 accounts


@pytest.fixture(scope="module")
async def world(settings_for, issuer, amqp_url):
    async with rewards_world(settings_for, issuer, amqp_url, "rw_flow") as w:
        w.standards = await seed_standards(w)
        yield w


def bank_form(**changes) -> dict:
    values = {
        "method": "bank",
        "code": "0040174",
        "account_no": CANARY,
        "account_name": "王小明",
        "postal_code": "900",
        "address": "屏東縣屏東市民生路4-18號",
    }
    values.update(changes)
    return values


async def tqc_application(world) -> dict:
    ids = []
    for key, name, level in (("tqcplus-python3", "TQC+ Python 3", None), ("tqc-word", "TQC Word", "專業級")):
        cid = await world.feeder.certificate("s1100001", key, name, level)
        await wait_projected(world.app, cid, "approved")
        ids.append(str(cid))
    async with world.as_user("s1100001") as client:
        response = await client.post(
            "/api/rewards/applications", json={"standard_id": world.standards["TQC+認證"]["id"], "certificate_ids": ids}
        )
        assert response.status_code == 201, response.text
        return response.json()


async def test_whole_flow_and_the_canary_account_number(world, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    application = await tqc_application(world)
    app_id = application["id"]
    assert application["level"] == 2 and application["amount"] == 3000
    url = f"/api/rewards/applications/{app_id}"
    async with (
        world.as_user("s1100001") as student,
        world.as_user("rev-im") as rev_im,
        world.as_user("rev-ee") as rev_ee,
        world.as_user("center") as centre,
        world.as_user("s1100002") as other,
    ):
        # 初審 cannot pass a level-2 application without a bank account
        missing = await rev_im.post(f"{url}/first-review", json={"result": "Y"})
        assert missing.status_code == 409 and missing.json()["error"]["code"] == "bank_account_missing"

        # bank account: bad input is refused with nothing stored
        no_scan = await student.put(f"{url}/bank-account", data=bank_form())
        assert no_scan.status_code == 422 and no_scan.json()["error"]["code"] == "passbook_missing"
        fake = await student.put(
            f"{url}/bank-account", data=bank_form(), files={"passbook": ("p.jpg", b"GIF89a...", "image/jpeg")}
        )
        assert fake.status_code == 422
        for wrong in (
            bank_form(account_name="李小華"),
            bank_form(code="9990174"),
            bank_form(account_no=CANARY[:11]),
            bank_form(method="other"),
        ):
            bad = await student.put(
                f"{url}/bank-account", data=wrong, files={"passbook": ("p.jpg", passbook_jpeg(), "image/jpeg")}
            )
            assert bad.status_code == 422, bad.text
            assert CANARY not in bad.text
        assert (
            await other.put(
                f"{url}/bank-account", data=bank_form(), files={"passbook": ("p.jpg", passbook_jpeg(), "image/jpeg")}
            )
        ).status_code == 404
        saved = await student.put(
            f"{url}/bank-account", data=bank_form(), files={"passbook": ("p.jpg", passbook_jpeg(), "image/jpeg")}
        )
        assert saved.status_code == 200, saved.text
        assert saved.json() == {
            "method": "bank",
            "code": "0040174",
            "account_masked": "********" + CANARY[-4:],
            "account_name": "王小明",
            "has_passbook": True,
            "other_acknowledged": None,
            "other_acknowledged_by": None,
        }
        assert (await centre.get(f"{url}/passbook")).headers["content-type"] == "image/jpeg"
        assert (await rev_im.get(f"{url}/passbook")).status_code == 403  # the cover shows the full number

        # 初審: only the student's department (or the centre); bulk form
        assert (await rev_ee.post(f"{url}/first-review", json={"result": "Y"})).status_code == 403
        bulk = await rev_im.post(
            "/api/rewards/applications/first-review",
            json=[
                {"application_id": app_id, "result": "Y", "note": "符合"},
                {"application_id": str(uuid.uuid4()), "result": "Y", "note": None},
            ],
        )
        results = bulk.json()["results"]
        assert results[0]["ok"] is True and results[1]["ok"] is False and results[1]["status"] == 404
        locked = await student.put(
            f"{url}/bank-account", data=bank_form(), files={"passbook": ("p.jpg", passbook_jpeg(), "image/jpeg")}
        )
        assert locked.status_code == 409

        # 複審: centre only, only after 初審 Y
        assert (await rev_im.post(f"{url}/second-review", json={"result": "Y"})).status_code == 403
        assert (
            await rev_im.post(
                "/api/rewards/applications/second-review", json=[{"application_id": app_id, "result": "Y"}]
            )
        ).status_code == 403
        second = await centre.post(f"{url}/second-review", json={"result": "Y", "note": "核定"})
        assert second.json()["status"] == "second_passed" and second.json()["second_review"]["reviewer"] == "職輔組"

        # masked in every list and single view
        for client in (student, rev_im, centre):
            listed = (await client.get("/api/rewards/applications", params={"year": 114})).json()["items"]
            assert CANARY not in str(listed)
            assert (await client.get(url)).json()["bank_account"]["account_masked"].endswith(CANARY[-4:])
        assert CANARY not in (await centre.get("/api/rewards/applications/export.csv")).text

        # payout batch: only second-review-Y, each application in one batch only
        assert (await rev_im.post("/api/rewards/payouts", json={"application_ids": [app_id]})).status_code == 403
        batch = await centre.post("/api/rewards/payouts", json={"application_ids": [app_id]})
        assert batch.status_code == 201, batch.text
        batch_id = batch.json()["id"]
        assert batch.json()["applications"][0]["bank_account_full"]["account_no"] == CANARY
        again = await centre.post("/api/rewards/payouts", json={"application_ids": [app_id]})
        assert again.status_code == 409
        exported = await centre.get(f"/api/rewards/payouts/{batch_id}/export.csv")
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert rows[1] == ["0040174", CANARY, "王小明", "3000", "s1100001"]
        assert (await rev_im.get(f"/api/rewards/payouts/{batch_id}/export.csv")).status_code == 403
        assert (await student.get(f"/api/rewards/payouts/{batch_id}")).status_code == 403
        listed = (await centre.get("/api/rewards/payouts")).json()
        assert listed[0]["id"] == batch_id and listed[0]["total"] == 3000 and listed[0]["status"] == "open"
        # the batch names its applications (the centre's payout screen lists them; no account numbers here)
        assert listed[0]["application_ids"] == [app_id] and batch.json()["application_ids"] == [app_id]
        assert CANARY not in str(listed)

        paid = await centre.post(f"/api/rewards/payouts/{batch_id}/paid")
        assert paid.status_code == 200 and paid.json()["status"] == "paid"
        assert paid.json()["application_ids"] == [app_id]
        assert (await centre.post(f"/api/rewards/payouts/{batch_id}/paid")).status_code == 409
        mine = (await student.get(url)).json()
        assert mine["status"] == "paid" and mine["status_label"] == "已撥款" and mine["paid_at"]

        report = (await centre.get("/api/rewards/reports", params={"year": 114})).json()
        assert {
            "dept": "IM",
            "dept_name": "資訊管理學系",
            "standard_label": "系所-資訊管理學系-2級-16項-TQC+認證",
            "count": 1,
            "amount": 3000,
        } in report["rows"]
        assert (await student.get("/api/rewards/reports")).status_code == 403
        assert all(r["dept"] == "EE" for r in (await rev_ee.get("/api/rewards/reports?year=114")).json()["rows"])

    await _assert_events_and_audit(world, app_id)
    await _assert_canary_nowhere_in_clear(world)
    out, err = capfd.readouterr()
    logs = out + err + caplog.text
    assert app_id in logs, "the capture must see the service's own log lines"
    assert CANARY not in logs


async def _assert_events_and_audit(world, app_id: str) -> None:
    async with world.app.state.runtime.db.engine.connect() as conn:
        types = [
            r[0]
            for r in await conn.execute(
                text("SELECT type FROM outbox WHERE envelope->>'subject' = :s ORDER BY seq"), {"s": app_id}
            )
        ]
        reads = (
            await conn.execute(
                text("SELECT count(*) FROM audit_log WHERE action = 'bank_account.read' AND subject = :s"),
                {"s": app_id},
            )
        ).scalar()
    assert types == [
        "reward.application_submitted.v1",
        "reward.first_reviewed.v1",
        "reward.second_reviewed.v1",
        "reward.paid.v1",
    ]
    assert reads >= 2, "the payout view and the export each audit their full read"


async def _assert_canary_nowhere_in_clear(world) -> None:
    async with world.app.state.runtime.db.engine.connect() as conn:
        columns = (
            await conn.execute(
                text(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'public' "
                    "AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')"
                )
            )
        ).all()
        assert len(columns) > 20
        for table, column, kind in columns:
            if kind == "bytea":
                condition = f"position(convert_to(:c, 'UTF8') in \"{column}\") > 0"
            else:
                condition = f'"{column}"::text LIKE :like'
            hits = (
                await conn.execute(
                    text(f'SELECT count(*) FROM "{table}" WHERE {condition}'), {"c": CANARY, "like": f"%{CANARY}%"}
                )
            ).scalar()
            assert hits == 0, f"canary found in clear in {table}.{column}"
        envelopes = [r[0] for r in await conn.execute(text("SELECT envelope::text FROM outbox"))]
    assert envelopes and not any(CANARY in e for e in envelopes)


async def test_other_method_needs_a_reason_the_centre_acknowledges(world):
    cid = await world.feeder.certificate("s1100002", "securities-specialist", "證券商業務員")
    await wait_projected(world.app, cid, "approved")
    async with (
        world.as_user("s1100002") as student,
        world.as_user("center") as centre,
        world.as_user("rev-im") as reviewer,
    ):
        created = (
            await student.post(
                "/api/rewards/applications",
                json={"standard_id": world.standards["證券商業務員"]["id"], "certificate_ids": [str(cid)]},
            )
        ).json()
        url = f"/api/rewards/applications/{created['id']}"
        missing = await reviewer.post(f"{url}/first-review", json={"result": "Y"})  # level 1 pays too: NT$ amount
        assert missing.status_code == 409 and missing.json()["error"]["code"] == "bank_account_missing"
        other = await student.put(
            f"{url}/bank-account",
            data={"method": "other", "postal_code": "90003", "address": "屏東市", "other_reason": "本人無存款帳號"},
        )
        assert other.status_code == 200 and other.json()["account_masked"] is None, other.text
        assert other.json()["other_acknowledged"] is False
        waiting = await reviewer.post(f"{url}/first-review", json={"result": "Y"})
        assert waiting.status_code == 409 and waiting.json()["error"]["code"] == "other_payment_unacknowledged"
        assert (await reviewer.post(f"{url}/bank-account/acknowledge", json={})).status_code == 403
        assert (await centre.get(url)).json()["bank_account"]["other_reason"] == "本人無存款帳號"
        assert "other_reason" not in (await reviewer.get(url)).json()["bank_account"]
        acknowledged = await centre.post(f"{url}/bank-account/acknowledge", json={"note": "經電話確認"})
        assert acknowledged.status_code == 200 and acknowledged.json()["other_acknowledged_by"] == "center"
        assert (await centre.post(f"{url}/bank-account/acknowledge", json={})).status_code == 409
        assert (await reviewer.post(f"{url}/first-review", json={"result": "Y"})).json()["status"] == "first_passed"
        assert (await centre.post(f"{url}/second-review", json={"result": "N", "note": "資料不符"})).json()[
            "status"
        ] == "second_rejected"
        refused = await centre.post("/api/rewards/payouts", json={"application_ids": [created["id"]]})
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_payable"


async def test_the_database_refuses_a_second_use_of_a_certificate(world):
    from sqlalchemy.exc import IntegrityError

    application = await tqc_application(world)
    used = application["certificates"][0]["certificate_id"]
    async with world.app.state.runtime.db.engine.connect() as conn:
        with pytest.raises(IntegrityError):
            await conn.execute(
                text(
                    "INSERT INTO application_certificates (certificate_id, application_id, entry_name) "
                    "VALUES (:c, :a, 'x')"
                ),
                {"c": used, "a": application["id"]},
            )
