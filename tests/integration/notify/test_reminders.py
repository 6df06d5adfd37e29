"""Reminders from notify's own projection, with "now" given by the test (idempotent per day)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import text as sql

from certhub_kit.events.rewards import ApplicationWithdrawn
from notify.service_layer.reminders import ReminderSchedule, send_due_reminders
from tests.unit.notify import samples

from .conftest import REVIEWER_TQ
from .support import consumed, envelope, parts_of, subject_of, to, unique_address

SEVEN_DAYS_BEFORE = datetime(2026, 3, 25, 1, 0, tzinfo=UTC)  # 09:00 in Taipei, window opens 2026-04-01
OPENING_DAY = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)
TOO_EARLY = datetime(2026, 3, 24, 20, 0, tzinfo=UTC)  # 04:00 in Taipei: before the reminder hour


async def run(runtime, now: datetime) -> int:
    return await runtime.transaction(
        lambda uow: send_due_reminders(
            uow,
            now,
            composer=runtime.deps.composer,
            schedule=ReminderSchedule.from_settings(runtime.settings),
            wake=runtime.deps.wake.set,
        )
    )


async def feed(publisher, runtime, *events):
    envelopes = [await publisher.publish(envelope(e)) for e in events]
    for env in envelopes:
        await consumed(runtime, env.id)


async def test_window_reminders_go_to_students_with_unused_approved_certificates(publisher, runtime, smtp_sink):
    tag = uuid.uuid4().hex[:6]
    address, other = unique_address("window"), unique_address("nothing-left")
    unused = samples.status_changed("approved", address, entry_name=f"證照甲{tag}", level_name=None)
    used = samples.status_changed("recorded", address, entry_name=f"證照乙{tag}", level_name=None)
    rejected = samples.status_changed("rejected", address, entry_name=f"證照丙{tag}", level_name=None)
    only_one = samples.status_changed("approved", other, entry_name=f"證照丁{tag}", level_name=None)
    application = samples.application([used.certificate.certificate_id], address)
    spent = samples.application([only_one.certificate.certificate_id], other)
    await feed(publisher, runtime, unused, used, rejected, only_one, application, spent)

    assert await run(runtime, TOO_EARLY) == 0
    assert await run(runtime, SEVEN_DAYS_BEFORE) >= 1
    [message] = await smtp_sink.wait_for(lambda m: to(address)(m) and "7 天後開始" in subject_of(m))
    text = parts_of(message)["text/plain"]
    assert "114 學年度" in subject_of(message) and "民國 115 年 4 月 1 日" in text
    assert f"證照甲{tag}" in text and f"證照乙{tag}" not in text and f"證照丙{tag}" not in text
    assert f"{samples.BASE_URL}/#/rewards/apply" in text
    assert await run(runtime, SEVEN_DAYS_BEFORE) == 0, "once per kind, day and recipient"

    await feed(
        publisher,
        runtime,
        ApplicationWithdrawn(
            application_id=application.application_id,
            student=application.student,
            certificate_ids=application.certificate_ids,
        ),
    )
    await run(runtime, OPENING_DAY)
    [opened] = await smtp_sink.wait_for(lambda m: to(address)(m) and "今天開始申請" in subject_of(m))
    text = parts_of(opened)["text/plain"]
    assert f"證照甲{tag}" in text and f"證照乙{tag}" in text, "a withdrawn application frees its certificate"
    assert not [m for m in smtp_sink.messages if to(other)(m) and "證照獎勵" in subject_of(m)]


async def test_reviewers_get_a_daily_digest_of_their_departments_pending_items(publisher, runtime, smtp_sink):
    tag = uuid.uuid4().hex[:6]
    waiting = samples.status_changed(
        "submitted",
        unique_address("digest"),
        from_status="draft",
        dept="TQ",
        entry_name=f"待審證照{tag}",
        level_name=None,
        name="周小婷",
    )
    elsewhere = samples.status_changed(
        "submitted",
        unique_address("digest"),
        from_status="draft",
        dept="XX",
        entry_name=f"他系證照{tag}",
        level_name=None,
    )
    await feed(publisher, runtime, waiting, elsewhere)

    day = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)
    assert await run(runtime, day) >= 1
    [digest] = await smtp_sink.wait_for(lambda m: to(REVIEWER_TQ)(m) and f"待審證照{tag}" in parts_of(m)["text/plain"])
    text = parts_of(digest)["text/plain"]
    assert "待審證照" in subject_of(digest) and "民國 115 年 5 月 4 日" in subject_of(digest)
    assert "周小婷" in text and "申請中" in text and "已等待" in text and "waiting" in text
    assert f"他系證照{tag}" not in text
    assert f"{samples.BASE_URL}/#/review/queue?dept=TQ" in text
    assert await run(runtime, day) == 0


def expiring(status: str, address: str, name: str, expires_on):
    event = samples.status_changed(status, address, entry_name=name, level_name=None)
    return event.model_copy(update={"certificate": event.certificate.model_copy(update={"expires_on": expires_on})})


async def test_students_get_one_expiry_digest_30_and_7_days_before(publisher, runtime, smtp_sink):
    from datetime import date

    tag = uuid.uuid4().hex[:6]
    address = unique_address("expiry")
    month = expiring("approved", address, f"月底到期{tag}", date(2026, 7, 10))  # 30 days after 2026-06-10
    week = expiring("recorded", address, f"下週到期{tag}", date(2026, 6, 17))  # 7 days
    later = expiring("approved", address, f"還早{tag}", date(2026, 6, 26))  # 16 days: no mail yet
    rejected = expiring("rejected", address, f"不通過{tag}", date(2026, 6, 17))  # not a usable certificate
    await feed(publisher, runtime, month, week, later, rejected)

    day = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
    assert await run(runtime, day) >= 1
    [digest] = await smtp_sink.wait_for(lambda m: to(address)(m) and "即將到期" in subject_of(m))
    text = parts_of(digest)["text/plain"]
    assert "2 張證照即將到期" in subject_of(digest) and "expire soon" in subject_of(digest)
    assert f"月底到期{tag}" in text and "剩 30 天" in text and f"下週到期{tag}" in text and "剩 7 天" in text
    assert f"還早{tag}" not in text and f"不通過{tag}" not in text
    assert f"{samples.BASE_URL}/#/certificates/new" in text
    assert await run(runtime, day) == 0, "never twice the same day"
    await run(runtime, datetime(2026, 6, 11, 2, 0, tzinfo=UTC))  # the next day: nothing of theirs is due
    async with runtime.db.engine.connect() as conn:
        sent = await conn.scalar(
            sql("SELECT count(*) FROM delivery WHERE recipient = :r AND template = :t"),
            {"r": address, "t": "reminder_certificates_expire"},
        )
    assert sent == 1
