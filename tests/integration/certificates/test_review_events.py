"""Status changes from review arrive as events on the broker; each becomes an audit row and a status_changed event."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import aio_pika
from sqlalchemy import text

from certhub_kit.events.review import OriginalScanned, ReviewDecided, TrackAssignment, TracksUpdated

from .support import BrokerSpy, eventually, outbox_events, publish, register

ISOLATION = "certevt"


async def status_of(service, cert_id: str) -> dict:
    async with service.as_user("center") as client:
        return (await client.get(f"/api/certificates/{cert_id}")).json()


def decided(cert_id: str, decision: str, *, at: datetime | None = None, reason: str | None = None) -> ReviewDecided:
    return ReviewDecided(
        certificate_id=uuid.UUID(cert_id),
        student_id="s1100001",
        decision=decision,
        reason=reason,
        reviewer_id="center",
        reviewer_name="職輔組",
        decided_at=at or datetime.now(UTC),
    )


async def audit_trail(service, cert_id: str) -> list[tuple]:
    async with service.runtime.db.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT action, actor_id, from_state, to_state, reason FROM audit_log WHERE subject = :s ORDER BY seq"
            ),
            {"s": cert_id},
        )
        return [tuple(r) for r in rows]


async def processed(service, envelope) -> bool:
    async with service.runtime.db.engine.connect() as conn:
        return bool(await conn.scalar(text("SELECT count(*) FROM inbox WHERE event_id = :e"), {"e": envelope.id}))


async def test_ksu_flow_verifying_rereview_credit_pending_approved(service):
    async with service.as_user("s1100001") as client:
        cert = (await register(client, service, entry="tqc-excel", level="實用級")).json()
    cid = cert["id"]
    async with service.clients.anonymous() as anonymous:  # confirm first (資訊 needs it)
        [reg] = [e for e in await outbox_events(service.runtime, "certificate.registered.v1") if e["subject"] == cid]
        assert (
            await anonymous.post("/api/confirm/" + reg["data"]["confirmation_url"].rsplit("/", 1)[1])
        ).status_code == 200

    async with BrokerSpy(service.settings, ["certificate.status_changed.v1"]) as spy:
        await publish(
            service.settings,
            OriginalScanned(
                certificate_id=uuid.UUID(cid), student_id="s1100001", scanned_by="center", scanned_at=datetime.now(UTC)
            ),
        )
        await eventually(lambda: _is(service, cid, "verifying"))
        t0 = datetime.now(UTC)
        for step, decision in enumerate(["rereview", "credit_pending", "approved"]):
            await publish(service.settings, decided(cid, decision, at=t0 + timedelta(seconds=step), reason=f"r{step}"))
            await eventually(lambda d=decision: _is(service, cid, d))
        await eventually(lambda: _count(spy, cid, 4))
        changes = [e["data"] for e in spy.received if e["subject"] == cid]
    assert [(c["from_status"], c["to_status"]) for c in changes] == [
        ("submitted", "verifying"),
        ("verifying", "rereview"),
        ("rereview", "credit_pending"),
        ("credit_pending", "approved"),
    ]
    versions = [c["certificate"]["version"] for c in changes]
    assert versions == sorted(versions) and len(set(versions)) == 4
    final = await status_of(service, cid)
    assert final["reviewer"] == "職輔組" and final["review_reason"] == "r2" and final["status_label"] == "通過"
    trail = await audit_trail(service, cid)
    assert [t[2:4] for t in trail] == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "verifying"),
        ("verifying", "rereview"),
        ("rereview", "credit_pending"),
        ("credit_pending", "approved"),
    ]
    assert trail[-1][1] == "center"


async def _is(service, cid, status) -> bool:
    return (await status_of(service, cid))["status"] == status


async def _count(spy, cid, n) -> bool:
    return len([e for e in spy.received if e["subject"] == cid]) >= n


async def test_duplicates_stale_and_impossible_decisions_change_nothing(service):
    async with service.as_user("s1100001") as client:
        cid = (await register(client, service)).json()["id"]
    now = datetime.now(UTC)
    approve = decided(cid, "approved", at=now)
    first = await publish(service.settings, approve)
    await eventually(lambda: _is(service, cid, "approved"))
    # the same event again (redelivery) → the inbox drops it

    connection = await aio_pika.connect(service.settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(service.settings.events_exchange)
        await exchange.publish(
            aio_pika.Message(body=first.model_dump_json().encode(), message_id=str(first.id)), routing_key=first.type
        )
    stale = await publish(service.settings, decided(cid, "rejected", at=now - timedelta(hours=1)))
    impossible = await publish(service.settings, decided(cid, "rejected", at=now + timedelta(minutes=1)))
    await eventually(lambda: processed(service, stale))
    await eventually(lambda: processed(service, impossible))
    cert = await status_of(service, cid)
    assert cert["status"] == "approved" and cert["version"] == 2
    assert len([t for t in await audit_trail(service, cid) if t[0] == "certificate.status_changed"]) == 1


async def test_tracks_update_decides_who_needs_confirmation(service):
    tracks = TracksUpdated(
        assignments=[
            TrackAssignment(category=3, track="verified", confirmation_required=True),
            TrackAssignment(category=3, dept="IM", track="simple", confirmation_required=False),
            TrackAssignment(category=1, track="verified", confirmation_required=True),
        ]
    )
    envelope = await publish(service.settings, tracks)
    await eventually(lambda: processed(service, envelope))
    async with service.as_user("s1100001") as im_student:
        assert (await register(im_student, service, entry="mos-word", level="Associate")).json()[
            "status"
        ] == "submitted"
        assert (await register(im_student, service)).json()["status"] == "draft"  # 英語 now needs confirmation
    async with service.as_user("s1100003") as ee_student:
        assert (await register(ee_student, service, entry="mos-word", level="Associate")).json()["status"] == "draft"
    older = await publish(service.settings, TracksUpdated(assignments=[]), time=datetime.now(UTC) - timedelta(days=1))
    await eventually(lambda: processed(service, older))
    async with service.as_user("s1100001") as im_student:  # the stale, empty update was ignored
        assert (await register(im_student, service)).json()["status"] == "draft"
    # restore the defaults for other tests of this module
    reset = await publish(
        service.settings,
        TracksUpdated(assignments=[TrackAssignment(category=3, track="verified", confirmation_required=True)]),
    )
    await eventually(lambda: processed(service, reset))


async def test_a_rejection_reason_code_and_its_instruction_reach_the_student_and_the_event(service):
    async with service.as_user("s1100001") as student:
        answer = (await register(student, service)).json()
    assert answer["status"] == "submitted"
    cid = answer["id"]
    rejection = decided(cid, "rejected", reason="影本不清楚：右下角模糊").model_copy(
        update={"reason_code": "unclear_copy", "instruction": "請重新掃描證照", "instruction_en": "Scan it again"}
    )
    await publish(service.settings, rejection)

    async def rejected():
        item = await status_of(service, cid)
        return item if item["status"] == "rejected" else None

    item = await eventually(rejected)
    assert item["review_reason"] == "影本不清楚：右下角模糊" and item["review_reason_code"] == "unclear_copy"
    assert item["review_instruction"] == "請重新掃描證照" and item["review_instruction_en"] == "Scan it again"
    events = await outbox_events(service.runtime, "certificate.status_changed.v1")
    [event] = [e for e in events if e["subject"] == cid and e["data"]["to_status"] == "rejected"]
    assert event["data"]["reason_code"] == "unclear_copy" and event["data"]["instruction_en"] == "Scan it again"
