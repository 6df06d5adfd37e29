"""Eligibility kept from real certificate events on RabbitMQ; demotion and deletion invalidate."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.rewards.support import eventually, rewards_world, seed_standards, wait_projected


@pytest.fixture(scope="module")
async def world(settings_for, issuer, amqp_url):
    async with rewards_world(settings_for, issuer, amqp_url, "rw_elig") as w:
        w.standards = await seed_standards(w)
        yield w


async def eligible(world, user="s1100001") -> list[dict]:
    async with world.as_user(user) as client:
        response = await client.get("/api/rewards/eligible")
        assert response.status_code == 200, response.text
        return response.json()


async def test_approved_certificate_makes_a_standard_eligible(world):
    cid = await world.feeder.certificate("s1100001", "securities-specialist", "證券商業務員")
    await wait_projected(world.app, cid, "approved")
    suggestions = await eligible(world)
    labels = {s["standard"]["label"]: s for s in suggestions}
    match = labels["全校--1級-3項-證券商業務員"]
    assert match["standard"]["amount"] == 5000 and match["standard"]["level"] == 1
    assert match["standard"]["required_count"] == 1
    assert match["certificates"] == [{"certificate_id": str(cid), "entry_name": "證券商業務員", "level_name": None}]
    assert all(s["standard"]["label"] != "全校--1級-3項-證券商業務員" for s in await eligible(world, "s1100002"))


async def test_department_standard_needs_its_count_and_levels(world):
    first = await world.feeder.certificate("s1100002", "tqcplus-python3", "TQC+ Python 3")
    wrong_level = await world.feeder.certificate("s1100002", "tqc-word", "TQC Word", "進階級")
    await wait_projected(world.app, wrong_level, "approved")
    assert not any("TQC+認證" in s["standard"]["label"] for s in await eligible(world, "s1100002"))
    second = await world.feeder.certificate("s1100002", "tqc-word", "TQC Word", "專業級")
    await wait_projected(world.app, second, "approved")
    tqc = [
        s for s in await eligible(world, "s1100002") if s["standard"]["label"] == "系所-資訊管理學系-2級-16項-TQC+認證"
    ]
    assert {c["certificate_id"] for c in tqc[0]["certificates"]} == {str(first), str(second)}
    # an EE student never sees the IM table
    ccna = await world.feeder.certificate("s1100003", "tqcplus-python3", "TQC+ Python 3")
    await wait_projected(world.app, ccna, "approved")
    assert not any("資訊管理學系" in s["standard"]["label"] for s in await eligible(world, "s1100003"))


async def test_pending_or_rejected_certificates_are_not_eligible(world):
    cid = await world.feeder.certificate("s1100003", "gept", "全民英檢", "中級", status="verifying")
    await wait_projected(world.app, cid, "verifying")
    assert not any("全民英檢" in s["standard"]["label"] for s in await eligible(world, "s1100003"))
    await world.feeder.certificate("s1100003", "gept", "全民英檢", "中級", status="credit_pending", certificate_id=cid)
    await wait_projected(world.app, cid, "credit_pending")
    assert any("全民英檢" in s["standard"]["label"] for s in await eligible(world, "s1100003"))


async def test_older_snapshot_arriving_late_changes_nothing(world):
    cid = uuid.uuid4()
    await world.feeder.certificate("s1100003", "cisco-ccna", "CCNA", status="approved", certificate_id=cid, version=5)
    await wait_projected(world.app, cid, "approved")
    await world.feeder.certificate("s1100003", "cisco-ccna", "CCNA", status="rejected", certificate_id=cid, version=3)
    marker = await world.feeder.certificate("s1100003", "cisco-ccna", "marker", status="approved")
    await wait_projected(world.app, marker, "approved")  # same queue: the older event was handled before
    row = await wait_projected(world.app, cid)
    assert (row.status, row.version) == ("approved", 5)


async def _application(world, student: str, standard: str, certificate_ids: list) -> dict:
    async with world.as_user(student) as client:
        response = await client.post(
            "/api/rewards/applications",
            json={"standard_id": world.standards[standard]["id"], "certificate_ids": [str(c) for c in certificate_ids]},
        )
        assert response.status_code == 201, response.text
        return response.json()


async def _status(world, student: str, application_id: str) -> dict:
    async with world.as_user(student) as client:
        return (await client.get(f"/api/rewards/applications/{application_id}")).json()


async def test_demoted_certificate_makes_its_application_visibly_invalid(world):
    cid = await world.feeder.certificate("s1100001", "gept", "全民英檢", "中級")
    await wait_projected(world.app, cid, "approved")
    application = await _application(world, "s1100001", "全民英檢中級或同等級英語檢定", [cid])
    assert application["status"] == "submitted"
    await world.feeder.certificate("s1100001", "gept", "全民英檢", "中級", status="rejected", certificate_id=cid)

    async def invalid():
        view = await _status(world, "s1100001", application["id"])
        return view if view["status"] == "invalid" else None

    view = await eventually(invalid)
    assert view["status_label"] == "已失效" and "全民英檢" in view["invalid_reason"]
    async with world.as_user("center") as centre:
        response = await centre.post(
            f"/api/rewards/applications/{application['id']}/first-review", json={"result": "Y"}
        )
        assert response.status_code == 409
    replacement = await world.feeder.certificate("s1100001", "gept", "全民英檢", "中級")
    await wait_projected(world.app, replacement, "approved")
    async with world.as_user("s1100001") as client:
        fixed = await client.patch(
            f"/api/rewards/applications/{application['id']}", json={"certificate_ids": [str(replacement)]}
        )
    assert fixed.status_code == 200, fixed.text
    assert (fixed.json()["status"], fixed.json()["invalid_reason"]) == ("submitted", None)


async def test_deleted_certificate_makes_its_application_visibly_invalid(world):
    cid = await world.feeder.certificate("s1100003", "cisco-ccna", "CCNA")
    await wait_projected(world.app, cid, "approved")
    application = await _application(world, "s1100003", "網路通訊國際證照", [cid])
    await world.feeder.deleted(cid, "s1100003")

    async def invalid():
        view = await _status(world, "s1100003", application["id"])
        return view if view["status"] == "invalid" else None

    view = await eventually(invalid)
    assert "刪除" in view["invalid_reason"]
    # a late snapshot of a deleted certificate does not bring it back
    await world.feeder.certificate("s1100003", "cisco-ccna", "CCNA", status="approved", certificate_id=cid, version=99)
    marker = await world.feeder.certificate("s1100003", "cisco-ccna", "marker2", status="approved")
    await wait_projected(world.app, marker, "approved")
    assert (await wait_projected(world.app, cid, deleted=True)).deleted
