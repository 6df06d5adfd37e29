"""No silent stalls in mail: ONE daily digest per reviewer across their departments, overdue items marked
by their track's SLA (review.tracks_updated.v1), the centre's overdue digest, nothing sent twice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from certhub_kit.events.review import TrackAssignment, TracksUpdated
from notify.adapters.orm import delivery
from notify.domain.mail import CENTER_OVERDUE_DIGEST, REVIEWER_DIGEST
from tests.unit.notify import samples

from .conftest import CENTER, REVIEWER_TWO
from .support import parts_of, subject_of, to, unique_address
from .test_reminders import feed, run


def pending(dept: str, category: int, label: str):
    event = samples.status_changed(
        "submitted", unique_address("sla"), from_status="draft", dept=dept, entry_name=label, level_name=None
    )
    return event.model_copy(update={"certificate": event.certificate.model_copy(update={"category": category})})


async def recorded(runtime, recipient: str, template: str) -> int:
    async with runtime.db.sessions() as s:
        return await s.scalar(
            select(func.count())
            .select_from(delivery)
            .where(delivery.c.recipient == recipient, delivery.c.template == template)
        )


async def test_one_digest_per_reviewer_and_the_centres_overdue_list(publisher, runtime, smtp_sink):
    tag = uuid.uuid4().hex[:6]
    slow, late = f"寬限證照{tag}", f"逾期證照{tag}"
    tracks = TracksUpdated(
        assignments=[
            TrackAssignment(category=41, track="slow", confirmation_required=False, sla_days=30),
            TrackAssignment(category=42, track="quick", confirmation_required=False, sla_days=3),
        ]
    )
    await feed(publisher, runtime, tracks, pending("TR", 41, slow), pending("TS", 42, late))

    day = (datetime.now(UTC) + timedelta(days=10)).replace(hour=2, minute=0)  # 10:00 in Taipei
    digests_before = await recorded(runtime, REVIEWER_TWO, REVIEWER_DIGEST)
    assert await run(runtime, day) >= 2
    [digest] = await smtp_sink.wait_for(lambda m: to(REVIEWER_TWO)(m) and late in parts_of(m)["text/plain"])
    text = parts_of(digest)["text/plain"]
    assert slow in text, "both departments in one digest"
    assert f"【逾期】{late}" in text and f"【逾期】{slow}" not in text and f"[OVERDUE] {late}" in text
    [overdue] = await smtp_sink.wait_for(lambda m: to(CENTER)(m) and late in parts_of(m)["text/plain"])
    assert slow not in parts_of(overdue)["text/plain"] and "逾期未審證照" in subject_of(overdue)

    assert await run(runtime, day) == 0, "the scheduler again the same day sends nothing"
    assert await run(runtime, day + timedelta(hours=5)) == 0
    assert await recorded(runtime, REVIEWER_TWO, REVIEWER_DIGEST) == digests_before + 1
    assert await recorded(runtime, CENTER, CENTER_OVERDUE_DIGEST) == 1
    assert len([m for m in smtp_sink.messages if to(REVIEWER_TWO)(m) and late in parts_of(m)["text/plain"]]) == 1
