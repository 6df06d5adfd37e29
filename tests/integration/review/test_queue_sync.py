"""The queue follows snapshots: newest version wins, redeliveries and deletions, duplicates, rule years."""

from __future__ import annotations

from datetime import UTC, date, datetime

from .support import bumped, confirmed, deleted, eventually, registered, snapshot, updated


async def test_older_versions_and_redeliveries_change_nothing(world):
    v3 = snapshot("s1100001", "cisco-ccna", version=3, certificate_no="NEW-3")
    first = await world.broker.publish(updated(v3))
    await world.fed(updated(v3))
    stale = await world.broker.publish(updated(v3.model_copy(update={"version": 2, "certificate_no": "OLD-2"})))
    await world.broker.redeliver(first)
    await eventually(lambda: world.processed(stale.id))
    item = await world.item(v3.certificate_id)
    assert item["version"] == 3 and item["certificate_no"] == "NEW-3"


async def test_deleted_certificates_leave_the_queue_for_good(world):
    snap = snapshot("s1100002", "gept")
    await world.fed(registered(snap))
    gone = await world.broker.publish(deleted(snap))
    await eventually(lambda: world.processed(gone.id))
    assert await world.item(snap.certificate_id) is None
    late = await world.broker.publish(updated(bumped(snap, "submitted")))
    await eventually(lambda: world.processed(late.id))
    assert await world.item(snap.certificate_id) is None


async def test_duplicate_number_and_similar_scan_flag_both_sides(world):
    mine = snapshot("s1100001", "toeic-lr", certificate_no="TOEIC-777", scan_phash="0f0f0f0f0f0f0f0f")
    theirs = snapshot("s1100003", "toeic-lr", certificate_no="toeic-777 ", scan_phash="0f0f0f0f0f0f0f0e")
    await world.fed(registered(mine))
    flagged = await world.fed(registered(theirs))
    assert {f["code"] for f in flagged["flags"]} == {"duplicate_certificate_no", "similar_scan"}
    assert flagged["status"] == "submitted"  # flagged, never rejected
    other_side = await world.item(mine.certificate_id)
    assert {f["certificate_id"] for f in other_side["flags"]} == {str(theirs.certificate_id)}
    assert not next(c for c in other_side["checklist"] if c["rule"] == "duplicates")["passed"]


async def test_a_match_in_another_department_is_named_only_to_who_may_open_it(world):
    mine = snapshot("s1100001", "toeic-lr", certificate_no="TOEIC-888")  # IM
    theirs = snapshot("s1100003", "toeic-lr", certificate_no="TOEIC-888")  # EE
    await world.fed(registered(mine))
    await world.fed(registered(theirs))
    by_ee = await world.item(theirs.certificate_id, user="rev-ee")
    assert [(f["code"], f["certificate_id"], f.get("elsewhere")) for f in by_ee["flags"]] == [
        ("duplicate_certificate_no", None, True)
    ]
    assert str(mine.certificate_id) not in str(by_ee)
    by_im = await world.item(mine.certificate_id, user="rev-im")
    assert [(f["certificate_id"], f["dept"]) for f in by_im["flags"]] == [(None, None)]
    by_centre = await world.item(theirs.certificate_id)
    assert [(f["certificate_id"], f["dept"]) for f in by_centre["flags"]] == [(str(mine.certificate_id), "IM")]


async def test_rules_are_judged_by_the_version_of_the_submission_year(world):
    async with world.clients.as_user("admin") as admin:
        answer = await admin.put("/api/review/rules/112", json={"dept_thresholds": {"IM": ["its-python"]}})
        assert answer.status_code == 200, answer.text
        assert (await admin.put("/api/review/rules/113", json={"reporting_window_months": 12})).status_code == 200
        versions = (await admin.get("/api/review/rules")).json()["versions"]
    assert [v["academic_year"] for v in versions] == [112, 113]
    in_112 = snapshot(
        "s1100002", "cisco-ccna", issued_on=date(2024, 3, 1), registered_at=datetime(2024, 3, 5, tzinfo=UTC)
    )
    in_113 = snapshot(
        "s1100002", "cisco-ccna", issued_on=date(2024, 1, 1), registered_at=datetime(2024, 9, 5, tzinfo=UTC)
    )  # 8 months: fine under 113's 12-month window
    judged_112 = await world.fed(confirmed(in_112))
    judged_113 = await world.fed(confirmed(in_113))
    rules_112 = {c["rule"]: c["passed"] for c in judged_112["checklist"]}
    rules_113 = {c["rule"]: c["passed"] for c in judged_113["checklist"]}
    assert rules_112["dept_threshold"] is False and rules_112["reporting_window"] is True
    assert rules_113 == {"recognised": True, "reporting_window": True, "dept_threshold": True, "duplicates": True}
