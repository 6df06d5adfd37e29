"""Both seeds' review flows over the real broker: certificate events in, decisions out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from .support import bumped, confirmed, eventually, png, registered, snapshot, status_changed


async def original_checked(world, snap):
    """The centre scans the original; certificates answers with ``verifying``."""
    async with world.clients.as_user("center") as center:
        answer = await center.post(
            f"/api/review/{snap.certificate_id}/original", files={"scan": ("original.png", png(3), "image/png")}
        )
    assert answer.status_code == 201, answer.text
    verifying = bumped(snap, "verifying")
    await world.fed(status_changed(verifying, snap.status))
    return verifying


async def decide(world, user, snap, decision, reason=None):
    """As a reviewer does: the item as shown (its version), then the decision naming that version."""
    async with world.clients.as_user("center") as centre:
        shown = await centre.get(f"/api/review/{snap.certificate_id}")
    version = shown.json()["version"] if shown.status_code == 200 else snap.version
    async with world.clients.as_user(user) as client:
        return await client.post(
            f"/api/review/{snap.certificate_id}/decision",
            json={"decision": decision, "reason": reason, "version": version},
        )


async def test_demo_tracks_are_announced_on_start(world):
    event = (await eventually(lambda: world.broker.of("review.tracks_updated.v1")))[0]
    by_category = {a["category"]: a for a in event["assignments"]}
    assert by_category[3]["track"] == "verified" and by_category[3]["confirmation_required"] is True
    assert by_category[1]["track"] == "simple" and by_category[1]["confirmation_required"] is False


async def test_ksu_flow_confirmation_original_credit_waiver_and_registrar(world):
    draft = snapshot("s1100001", "cisco-ccna", status="draft")
    item = await world.fed(registered(draft))
    assert item["status"] == "draft" and item["track"] == "verified"
    async with world.clients.as_user("rev-im") as rev:
        queue = (await rev.get("/api/review/queue")).json()
    assert str(draft.certificate_id) not in [i["certificate_id"] for i in queue["items"]]  # not yet 申請中

    submitted = bumped(draft, "submitted", submitted_at=datetime.now(UTC))
    item = await world.fed(confirmed(submitted))
    assert [c["rule"] for c in item["checklist"]] == ["recognised", "reporting_window", "dept_threshold", "duplicates"]
    assert all(c["passed"] for c in item["checklist"])

    refused = await decide(world, "rev-im", submitted, "approved")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "original_required"

    verifying = await original_checked(world, submitted)
    scanned = await eventually(lambda: world.broker.of("certificate.original_scanned.v1", submitted.certificate_id))
    assert scanned[0]["scanned_by"] == "center"
    assert (await world.item(submitted.certificate_id))["original_url"].endswith("/original")

    answer = await decide(world, "rev-im", verifying, "approved")
    assert answer.status_code == 200 and answer.json()["outcome"] == "credit_pending"
    decided = await eventually(lambda: world.broker.of("review.decided.v1", submitted.certificate_id))
    assert decided[0]["decision"] == "credit_pending" and decided[0]["reviewer_id"] == "rev-im"
    pending = bumped(verifying, "credit_pending")
    await world.fed(status_changed(pending, "verifying"))

    assert (await decide(world, "rev-im", pending, "approved")).status_code == 403  # only the centre
    done = await decide(world, "center", pending, "approved", "registrar recorded")
    assert done.json()["outcome"] == "approved"
    await eventually(lambda: len(world.broker.of("review.decided.v1", submitted.certificate_id)) == 2)

    second = snapshot("s1100001", "its-python")
    await world.fed(confirmed(second))
    second = await original_checked(world, second)
    assert (await decide(world, "rev-im", second, "approved")).json()["outcome"] == "recorded"
    assert [a.action for a in await world.audit(second.certificate_id)] == ["review.original_scanned", "review.decided"]


async def test_nptu_flow_simple_track_reject_with_reason(world):
    gept = snapshot("s1100003", "gept")  # category 1: simple, no confirmation, submitted at once
    item = await world.fed(registered(gept))
    assert item["track"] == "simple" and item["status"] == "submitted"
    missing = await decide(world, "rev-ee", gept, "rejected")
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "reason_required"
    answer = await decide(world, "rev-ee", gept, "rejected", "影本模糊")
    assert answer.json()["outcome"] == "rejected"
    decided = await eventually(lambda: world.broker.of("review.decided.v1", gept.certificate_id))
    assert decided[0]["decision"] == "rejected" and decided[0]["reason"] == "影本模糊"
    assert decided[0]["automatic"] is False


async def test_unrecognised_entry_is_rejected_automatically(world):
    async with world.clients.as_user("admin") as admin:
        current = (await admin.get("/api/review/tracks")).json()
        current["tracks"].append({"name": "strict", "recognised": ["its-python"]})
        current["assignments"].append({"category": 7, "dept": None, "track": "strict"})
        assert (await admin.put("/api/review/tracks", json=current)).status_code == 200
    await eventually(
        lambda: any(a["category"] == 7 for e in world.broker.of("review.tracks_updated.v1") for a in e["assignments"])
    )
    odd = snapshot("s1100001", "some-course", category=7)
    item = await world.fed(registered(odd))
    assert not item["checklist"][0]["passed"]
    decided = await eventually(lambda: world.broker.of("review.decided.v1", odd.certificate_id))
    assert decided[0]["decision"] == "rejected" and decided[0]["automatic"] is True
    assert decided[0]["reviewer_id"] == "system" and "recognised" in decided[0]["reason"]


async def test_failed_rule_needs_a_reason_to_override_and_is_audited(world):
    late = snapshot("s1100002", "gept", issued_on=date(2023, 1, 1))  # reported long after 6 months
    item = await world.fed(registered(late))
    window = next(c for c in item["checklist"] if c["rule"] == "reporting_window")
    assert not window["passed"] and "deadline 2023-07-01" in window["reason_en"]
    assert (await decide(world, "rev-im", late, "approved")).status_code == 422
    assert (await decide(world, "rev-im", late, "approved", "病假證明")).json()["outcome"] == "approved"
    actions = [(a.action, a.reason) for a in await world.audit(late.certificate_id)]
    assert actions == [("review.rule_overridden", "病假證明"), ("review.decided", "病假證明")]
