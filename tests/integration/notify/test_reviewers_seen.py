"""Digests go to the reviewers the system has seen: review records a reviewer using its API and
tells notify (review.reviewer_seen.v1 over RabbitMQ); notify addresses the department's digest to
them. Production settings without a configured list never fall back to demo addresses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from notify.bootstrap import create_app as create_notify
from notify.bootstrap import load_settings as notify_settings
from notify.service_layer.reminders import ReminderSchedule, digest_recipients, send_due_reminders
from notify.settings import DEMO_REVIEWERS, NotifySettings
from review.adapters.orm import outbox as review_outbox
from review.bootstrap import create_app as create_review
from review.bootstrap import load_settings as review_settings
from tests.support.apps import Clients, running
from tests.support.waiting import eventually
from tests.unit.notify import samples

from .support import Publisher, consumed, delete_broker_objects, envelope, parts_of, to

PRODUCTION = dict(
    env="production",
    database_url="postgresql+asyncpg://x@db/certhub_notify",
    amqp_url="amqp://mq/",
    oidc_issuer="https://sso.example.edu.tw/realms/certhub",
    oidc_audience="certhub",
)
DAY = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)  # 10:00 in Taipei, after the digest hour


@pytest.fixture(scope="module")
async def services(settings_for, amqp_url, issuer):
    review = create_review(review_settings(**settings_for("review", isolation="seenrev")))
    notify = create_notify(
        notify_settings(
            **settings_for(
                "notify", isolation="seenrev", sender_interval_s=0.1, scheduler_enabled=False, reviewer_emails={}
            )
        )
    )
    async with running(review), running(notify):
        yield Clients(review, issuer), review.state.runtime, notify.state.runtime
    await delete_broker_objects(
        amqp_url, notify.state.runtime.settings.queue_prefix, notify.state.runtime.settings.events_exchange
    )


async def seen_events(review_runtime, reviewer_id: str) -> int:
    async with review_runtime.db.sessions() as session:
        return await session.scalar(
            select(func.count())
            .select_from(review_outbox)
            .where(
                review_outbox.c.type == "review.reviewer_seen.v1",
                review_outbox.c.envelope["data"]["reviewer_id"].astext == reviewer_id,
            )
        )


async def test_a_reviewer_seen_using_the_review_api_gets_their_departments_digest(services, smtp_sink, amqp_url):
    clients, review_runtime, notify_runtime = services
    tag = uuid.uuid4().hex[:6]
    dept, sub, email = f"Z{tag[:4].upper()}", f"rev-{tag}", f"reviewer-{tag}@school.example.edu.tw"
    async with clients.as_user("rev-im", sub=sub, name="吳審核", email=email, dept=[dept]) as reviewer:
        for _ in range(3):  # the same person, several requests: recorded and told once
            assert (await reviewer.get("/api/review/queue")).status_code == 200
    async with clients.as_user("s1100001") as student:  # students are not reviewers
        assert (await student.get("/api/review/queue")).status_code == 403
    assert await seen_events(review_runtime, sub) == 1
    assert await seen_events(review_runtime, "s1100001") == 0

    recipients = await eventually(lambda: _recipients(notify_runtime, dept), timeout=15)
    assert recipients == [email]

    pending = samples.status_changed(
        "submitted",
        f"student-{tag}@school.example.edu.tw",
        from_status="draft",
        dept=dept,
        entry_name=f"待審{tag}",
        level_name=None,
    )
    async with Publisher(amqp_url, notify_runtime.settings.events_exchange) as publisher:
        await consumed(notify_runtime, (await publisher.publish(envelope(pending))).id)
    assert (
        await notify_runtime.transaction(
            lambda uow: send_due_reminders(
                uow,
                DAY,
                composer=notify_runtime.deps.composer,
                schedule=ReminderSchedule.from_settings(notify_runtime.settings),
            )
        )
        >= 1
    )
    [digest] = await smtp_sink.wait_for(lambda m: to(email)(m) and f"待審{tag}" in parts_of(m)["text/plain"])
    assert f"/#/review/queue?dept={dept}" in parts_of(digest)["text/plain"]
    assert not [
        m
        for m in smtp_sink.messages
        if f"待審{tag}" in parts_of(m)["text/plain"] and "@demo.certhub.tw" in (m["To"] or "")
    ]


async def test_a_changed_email_is_told_again_and_the_newest_wins(services):
    clients, review_runtime, notify_runtime = services
    tag = uuid.uuid4().hex[:6]
    dept, sub = f"Y{tag[:4].upper()}", f"rev-{tag}"
    for email in (f"old-{tag}@school.example.edu.tw", f"new-{tag}@school.example.edu.tw"):
        async with clients.as_user("rev-im", sub=sub, email=email, dept=[dept]) as reviewer:
            assert (await reviewer.get("/api/review/queue")).status_code == 200
    assert await seen_events(review_runtime, sub) == 2
    await eventually(lambda: _has(notify_runtime, dept, f"new-{tag}@school.example.edu.tw"), timeout=15)
    assert await _recipients(notify_runtime, dept) == [f"new-{tag}@school.example.edu.tw"]


async def test_reviewers_not_seen_for_months_get_no_digest(services):
    _, _, notify_runtime = services
    async with notify_runtime.uow() as uow:
        await uow.reviewers.record(
            reviewer_id="rev-gone",
            name="離職審核",
            email="gone@school.example.edu.tw",
            depts=["GONE"],
            roles=["reviewer"],
            seen_at=DAY - timedelta(days=400),
        )
        await uow.reviewers.record(
            reviewer_id="center-x",
            name="職輔組",
            email="center@school.example.edu.tw",
            depts=["GONE"],
            roles=["center"],
            seen_at=DAY,
        )
        await uow.commit()
        assert (await digest_recipients(uow, ReminderSchedule(), DAY)).get("GONE", []) == []


def test_production_without_a_list_has_no_demo_reviewers_and_dev_keeps_them():
    assert NotifySettings(**PRODUCTION).reviewer_emails == {}
    configured = {"IM": ["im-office@school.example.edu.tw"]}
    assert NotifySettings(**PRODUCTION, reviewer_emails=configured).reviewer_emails == configured
    for env in ("dev", "standalone", "test"):
        assert NotifySettings(env=env).reviewer_emails == DEMO_REVIEWERS


async def _recipients(notify_runtime, dept: str) -> list[str]:
    async with notify_runtime.uow() as uow:
        schedule = ReminderSchedule.from_settings(notify_runtime.settings)
        return (await digest_recipients(uow, schedule, DAY)).get(dept, [])


async def _has(notify_runtime, dept: str, email: str) -> bool:
    return email in await _recipients(notify_runtime, dept)
