"""Rejection reason codes and graduation thresholds over HTTP against real PostgreSQL and RabbitMQ."""

from __future__ import annotations

import csv
import io

from .support import eventually, registered, snapshot

ENGLISH_AND_IT = {
    "rules": [
        {
            "name": "英語能力 CEFR B1 以上",
            "name_en": "English at CEFR B1 or above",
            "any_of": [{"count": 1, "category": 1, "min_cefr": "B1"}],
        },
        {
            "name": "資訊證照兩張",
            "name_en": "Two IT certificates",
            "any_of": [{"count": 2, "it_certificate": True}, {"count": 1, "entries": ["cisco-ccna"]}],
        },
    ]
}


async def queued(world, **kwargs) -> dict:
    snap = snapshot(**kwargs)
    return await world.fed(registered(snap))


async def test_reasons_are_seeded_and_admin_kept(world):
    async with world.clients.as_user("rev-im") as client:
        seeded = (await client.get("/api/review/reasons")).json()["reasons"]
        refused = await client.put("/api/review/reasons", json={"reasons": []})
    assert [r["label"] for r in seeded][:5] == ["影本不清楚", "非本人", "超過六個月", "非認可證照", "等級不符"]
    assert all(r["instruction"] and r["instruction_en"] and r["active"] for r in seeded)
    assert refused.status_code == 403
    new = {
        "code": "no_seal",
        "label": "缺少印章",
        "label_en": "No seal",
        "instruction": "請上傳有印章的影本",
        "instruction_en": "Upload a copy showing the seal",
        "active": True,
    }
    kept = [r for r in seeded if r["code"] != "too_old"]
    async with world.clients.as_user("admin") as client:
        answer = await client.put("/api/review/reasons", json={"reasons": [*kept, new]})
        repeated = await client.put("/api/review/reasons", json={"reasons": [new, new]})
        empty_text = await client.put("/api/review/reasons", json={"reasons": [{**new, "label": " "}]})
    assert answer.status_code == 200, answer.text
    by_code = {r["code"]: r for r in answer.json()["reasons"]}
    assert by_code["no_seal"]["label"] == "缺少印章" and by_code["too_old"]["active"] is False  # retired, kept
    assert repeated.status_code == 422 and repeated.json()["error"]["code"] == "duplicate_reason_code"
    assert empty_text.status_code == 422 and empty_text.json()["error"]["message_en"]


async def test_a_rejection_carries_the_code_and_the_instruction_and_is_counted(world):
    item = await queued(world, username="s1100001", entry_key="gept")
    cid = item["certificate_id"]
    async with world.clients.as_user("rev-im") as client:
        unknown = await client.post(
            f"/api/review/{cid}/decision",
            json={"decision": "rejected", "reason_code": "nonsense", "version": item["version"]},
        )
        not_rejection = await client.post(
            f"/api/review/{cid}/decision",
            json={"decision": "approved", "reason_code": "unclear_copy", "version": item["version"]},
        )
        answer = await client.post(
            f"/api/review/{cid}/decision",
            json={
                "decision": "rejected",
                "reason_code": "unclear_copy",
                "reason": "右下角模糊",
                "version": item["version"],
            },
        )
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_reason_code"
    assert not_rejection.status_code == 422 and not_rejection.json()["error"]["code"] == "reason_code_not_rejection"
    assert answer.status_code == 200, answer.text
    assert answer.json()["reason"] == "影本不清楚：右下角模糊"
    [event] = await eventually(lambda: world.broker.of("review.decided.v1", cid) or None)
    assert event["reason_code"] == "unclear_copy" and event["instruction"].startswith("請重新掃描")
    assert event["instruction_en"].startswith("Scan or photograph")

    async with world.clients.as_user("center") as client:
        report = (await client.get("/api/review/reports/reasons", params={"year": _this_year()})).json()
    assert {
        "reason_code": "unclear_copy",
        "label": "影本不清楚",
        "label_en": "The copy is not legible",
        "dept": "IM",
        "count": 1,
    } in report["rows"]
    async with world.clients.as_user("rev-ee") as client:
        other = (await client.get("/api/review/reports/reasons", params={"year": _this_year()})).json()
    assert all(r["dept"] == "EE" for r in other["rows"])


def _this_year() -> int:
    from datetime import date

    from review.domain.academic_year import academic_year_of

    return academic_year_of(date.today())


async def test_thresholds_progress_and_export(world):
    async with world.clients.as_user("admin") as admin:
        put = await admin.put("/api/review/thresholds/IM/110", json=ENGLISH_AND_IT)
        bad = await admin.put("/api/review/thresholds/IM/110", json={"rules": []})
    assert put.status_code == 200, put.text
    assert bad.status_code == 422 and bad.json()["error"]["message"]
    async with world.clients.as_user("rev-im") as reviewer:
        assert (await reviewer.put("/api/review/thresholds/IM/110", json=ENGLISH_AND_IT)).status_code == 403

    english = await queued(
        world, username="s1100002", entry_key="gept", status="approved", cefr="B2", level_name="中高級"
    )
    await queued(world, username="s1100002", entry_key="tqc-word", status="approved")
    async with world.clients.as_user("s1100002") as student:
        progress = (await student.get("/api/review/thresholds/s1100002")).json()
        other = await student.get("/api/review/thresholds/s1100001")
    assert progress["cohort"] == 110 and progress["dept"] == "IM" and progress["met"] is False
    first, second = progress["rules"]
    assert first["met"] and first["counted"] == [english["certificate_id"]] and first["missing"] == 0
    assert not second["met"] and second["missing"] == 1 and "資訊證照兩張" in second["missing_text"]
    assert other.status_code == 404

    await queued(world, username="s1100002", entry_key="cisco-ccna", status="recorded")
    async with world.clients.as_user("rev-im") as reviewer:
        assert (await reviewer.get("/api/review/thresholds/s1100002")).json()["met"] is True
    async with world.clients.as_user("rev-ee") as reviewer:
        assert (await reviewer.get("/api/review/thresholds/s1100002")).status_code == 403
    async with world.clients.as_user("center") as centre:
        export = await centre.get("/api/review/thresholds/export.csv", params={"dept": "IM", "cohort": "110"})
        no_dept = await centre.get("/api/review/thresholds/export.csv")
    assert export.status_code == 200 and export.content.startswith(b"\xef\xbb\xbf")
    rows = {r[0]: r for r in csv.reader(io.StringIO(export.content.decode("utf-8-sig")))}
    assert rows["s1100002"][4] == "Y"
    assert no_dept.status_code == 422 and no_dept.json()["error"]["message_en"]  # the schema requires dept
