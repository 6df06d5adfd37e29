"""S8: verification survives no edit. An IT certificate whose original the centre checked (查證中) is
edited in each verified field — entry, level, score, certificate number, issue date, scan — and each
time goes back to the start of its track (已建檔: the email confirmation again, the original again);
a simple-track certificate edited into the IT category must be confirmed by email first. A decision
naming the version the reviewer saw before the edit is a 409 that says the certificate changed, and
a decision already on its way when the edit landed is skipped by the certificates service."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from certhub_kit.events.review import ReviewDecided
from tests.support.fleet import start_fleet
from tests.support.samples import certificate_jpeg
from tests.support.waiting import eventually

pytestmark = pytest.mark.security


@pytest.fixture(scope="module")
async def fleet(settings_for, issuer):
    """A fleet of its own: S8 needs the demo tracks as seeded (the 資訊 track checks originals), and
    other security tests change the shared fleet's tracks as admin."""
    async with start_fleet(settings_for, issuer, "sec8") as running_fleet:
        yield running_fleet


STUDENT = "s1100003"  # 陳大文 (EE), reviewed by rev-ee


async def review_item(fleet, certificate_id: str, **expected) -> dict:
    async def matches():
        async with fleet.client("review", "center") as centre:
            answer = await centre.get(f"/api/review/{certificate_id}")
        item = answer.json() if answer.status_code == 200 else {}
        return item if item and all(item.get(k) == v for k, v in expected.items()) else None

    return await eventually(matches, timeout=15)


async def verifying(fleet, key: str, level: str, **fields) -> dict:
    """An IT certificate confirmed by its email link and checked against its original: 查證中."""
    from tests.support.samples import certificate_png

    cert = await fleet.register(STUDENT, key, level, **fields)
    assert cert["status"] == "draft"
    await review_item(fleet, cert["id"], status="draft")
    await fleet.confirmed(cert["id"])
    await review_item(fleet, cert["id"], status="submitted")
    async with fleet.client("review", "center") as centre:
        answer = await centre.post(
            f"/api/review/{cert['id']}/original", files={"scan": ("original.png", certificate_png(11), "image/png")}
        )
    assert answer.status_code == 201, answer.text
    return await review_item(fleet, cert["id"], status="verifying")


async def edit(fleet, certificate_id: str, data: dict | None = None, scan: bytes | None = None) -> dict:
    files = {"scan": ("new.jpg", scan, "image/jpeg")} if scan else None
    async with fleet.client("certificates", STUDENT) as client:
        answer = await client.patch(f"/api/certificates/{certificate_id}", data=data or {}, files=files)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def decide(fleet, certificate_id: str, version: int, decision: str = "approved"):
    async with fleet.client("review", "rev-ee") as reviewer:
        return await reviewer.post(
            f"/api/review/{certificate_id}/decision", json={"decision": decision, "reason": "S8", "version": version}
        )


def edits(fleet) -> dict[str, tuple[str, str, dict, bytes | None]]:
    """field → (entry, level, the edit, a new scan)."""
    earlier = (date.today() - timedelta(days=40)).isoformat()
    return {
        "entry": (
            "its-python",
            "合格",
            {"entry_id": fleet.entries["its-databases"]["id"], "level_id": fleet.level("its-databases", "合格")},
            None,
        ),
        "level": ("ipas-infosec-engineer", "初級", {"level_id": fleet.level("ipas-infosec-engineer", "中級")}, None),
        "score": ("its-networking", "合格", {"score": "950"}, None),
        "certificate_no": ("comptia-security-plus", "合格", {"certificate_no": "S8-NEW-0001"}, None),
        "issued_on": ("comptia-network-plus", "合格", {"issued_on": earlier}, None),
        "scan": ("google-cloud-ace", "助理級(Associate)", {}, certificate_jpeg(41)),
    }


async def test_s8_an_edit_of_what_was_verified_starts_the_track_again(fleet):
    restarted, stale_refused, stale = 0, 0, 0
    for field, (key, level, data, scan) in edits(fleet).items():
        seen = await verifying(fleet, key, level, certificate_no=f"S8-{field}")
        assert seen["original_checked_at"] is not None
        edited = await edit(fleet, seen["certificate_id"], data, scan)
        item = await review_item(fleet, seen["certificate_id"], status="draft")
        if edited["status"] == "draft" and item["original_checked_at"] is None and not item["decision_pending"]:
            restarted += 1
        refused = await decide(fleet, seen["certificate_id"], seen["version"])
        body = refused.json()["error"] if refused.status_code == 409 else {}
        if body.get("code") == "certificate_changed" and "變更" in body["message"] and "changed" in body["message_en"]:
            stale_refused += 1
        await fleet.confirmed(seen["certificate_id"])  # the confirmation again: a new link was mailed
        again = await review_item(fleet, seen["certificate_id"], status="submitted")
        without_original = await decide(fleet, seen["certificate_id"], again["version"])
        assert without_original.status_code == 409 and without_original.json()["error"]["code"] == "original_required"

    # a non-verified edit (contact details) changes nothing of the verification
    kept = await verifying(fleet, "aws-cloud-practitioner", "基礎級(Foundational)")
    assert (await edit(fleet, kept["certificate_id"], {"remarks": "S8 聯絡備註", "mobile": "0912-345678"}))[
        "status"
    ] == "verifying"
    item = await review_item(fleet, kept["certificate_id"], status="verifying", version=kept["version"] + 1)
    assert item["original_checked_at"] == kept["original_checked_at"]
    assert (await decide(fleet, kept["certificate_id"], kept["version"])).status_code == 200  # the same content

    # a decision already on its way when the edit landed (a simple track: the status stays 申請中, so
    # only the version tells): the certificates service skips it
    registered = await fleet.register(STUDENT, "toeic-lr", "藍色證書")
    flight = await review_item(fleet, registered["id"], status="submitted")
    await edit(fleet, flight["certificate_id"], {"certificate_no": "S8-IN-FLIGHT"})
    stale = await _apply_in_flight_decision(fleet, flight)

    # a simple-track certificate (category 5) edited into the IT category: email confirmation first
    simple = await fleet.register(STUDENT, "redcross-lifeguard", "合格")
    assert simple["status"] == "submitted"
    moved = await edit(
        fleet,
        simple["id"],
        {
            "entry_id": fleet.entries["oracle-ocp-java-se-17"]["id"],
            "level_id": fleet.level("oracle-ocp-java-se-17", "專業級(Professional)"),
        },
    )
    track_changed = moved["status"] == "draft"
    await fleet.confirmation_token(simple["id"])  # mailed anew

    total = len(edits(fleet))
    print(
        f"S8: {restarted}/{total} verified-field edits sent the certificate back to the start of its track; "
        f"{stale_refused}/{total} stale decisions refused with 409; {stale}/1 decision in flight skipped; "
        f"category change to the verified track needs the email confirmation: {track_changed}"
    )
    assert restarted == stale_refused == total and stale == 1 and track_changed


async def _apply_in_flight_decision(fleet, seen: dict) -> int:
    """Hands certificates the approval review would have emitted for the version seen before the edit."""
    from certificates.service_layer.status_changes import apply_decision

    runtime = fleet.runtime("certificates")
    decided = ReviewDecided(
        certificate_id=uuid.UUID(seen["certificate_id"]),
        student_id=STUDENT,
        decision="approved",
        reviewer_id="rev-ee",
        reviewer_name="S8",
        decided_at=datetime.now(UTC),
        version=seen["version"],
    )
    async with runtime.uow() as uow:
        await apply_decision(decided, None, uow)
        await uow.commit()
    async with fleet.client("certificates", STUDENT) as client:
        status = (await client.get(f"/api/certificates/{seen['certificate_id']}")).json()["status"]
    return int(status == "submitted")
