"""Events from the broker become real mails, exactly once, with retries and recorded failures."""

from __future__ import annotations

import asyncio
import json

import pytest

from certhub_kit.events.notify import DeliveryFailed
from certhub_kit.events.topology import queue_name
from tests.unit.notify import samples

from .support import (
    ENGLISH_MARK,
    consumed,
    consumed_count,
    deliveries_of,
    envelope,
    eventually,
    mail_failures,
    parts_of,
    quiet,
    subject_of,
    to,
    unique_address,
)

CERTS = f"{samples.BASE_URL}/#/certificates"
REWARDS = f"{samples.BASE_URL}/#/rewards/mine"

CASES = {
    "registered": (lambda a: samples.registered(a), "請確認證照登錄", "Please confirm", samples.TOKEN_URL),
    "confirmation_resent": (lambda a: samples.resent(a), "請確認證照登錄", "Please confirm", samples.TOKEN_URL + "b"),
    "approved": (lambda a: samples.status_changed("approved", a), "證照審核通過", "Certificate approved", CERTS),
    "rejected": (lambda a: samples.status_changed("rejected", a), "證照審核不通過", "not approved", "/edit"),
    "rereview": (lambda a: samples.status_changed("rereview", a), "尚缺資料", "needs more", CERTS),
    "credit_pending": (lambda a: samples.status_changed("credit_pending", a), "抵免辦理中", "credit waiver", CERTS),
    "recorded": (lambda a: samples.status_changed("recorded", a), "證照登錄完成", "Certificate recorded", CERTS),
    "catalog_accepted": (lambda a: samples.catalog_answer(True, a), "已新增", "accepted", "/#/certificates/new"),
    "catalog_declined": (lambda a: samples.catalog_answer(False, a), "未新增", "declined", "/#/catalog-request"),
    "first_review_passed": (
        lambda a: samples.first_reviewed("Y", a),
        "114 學年度證照獎勵初審通過",
        "first review",
        REWARDS,
    ),
    "first_review_failed": (lambda a: samples.first_reviewed("N", a), "初審未通過", "did not pass", REWARDS),
    "second_review": (
        lambda a: samples.second_reviewed("Y", a),
        "114 學年度證照獎勵複審通過",
        "second review",
        REWARDS,
    ),
    "paid": (lambda a: samples.paid(a), "114 學年度證照獎勵已撥款", "reward paid", REWARDS),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_each_event_type_becomes_one_bilingual_mail(case, publisher, smtp_sink):
    make, subject_zh, subject_en, link = CASES[case]
    address = unique_address(case.replace("_", "-"))
    await publisher.publish(envelope(make(address)))

    [message] = await smtp_sink.wait_for(to(address))
    subject = subject_of(message)
    assert subject_zh in subject and subject_en in subject, subject
    assert message["Content-Language"] == "zh-TW, en"
    parts = parts_of(message)
    text, html = parts["text/plain"], parts["text/html"]
    zh, _, en = text.partition(ENGLISH_MARK)
    assert "同學您好" in zh and "Dear" in en, "zh-TW first, English below"
    assert link in zh and link in en and link in html
    assert html.index('lang="zh-Hant-TW"') < html.index('lang="en"')


async def test_confirmation_mail_carries_the_registration_link_to_the_registration_address(
    publisher, smtp_sink, runtime
):
    address = unique_address("confirm")
    env = await publisher.publish(envelope(samples.registered(address)))
    [message] = await smtp_sink.wait_for(to(address))
    assert any(address in rcpts for _, rcpts in smtp_sink.envelopes)
    assert f'href="{samples.TOKEN_URL}"' in parts_of(message)["text/html"]
    [row] = await deliveries_of(runtime, env.id)
    assert (row.status, row.template, row.attempts, row.recipient) == ("sent", "confirm_certificate", 1, address)
    assert row.text_body is None and row.html_body is None, "a sent mail's content is not kept"


@pytest.mark.parametrize("status", ["submitted", "verifying"])
async def test_submitted_and_verifying_need_no_mail(status, publisher, runtime, smtp_sink):
    address = unique_address(status)
    env = await publisher.publish(envelope(samples.status_changed(status, address, from_status="draft")))
    await consumed(runtime, env.id)
    assert await deliveries_of(runtime, env.id) == []
    assert not [m for m in smtp_sink.messages if to(address)(m)]


async def test_an_older_status_arriving_late_sends_no_mail(publisher, runtime, smtp_sink):
    address = unique_address("late")
    newer = samples.status_changed("approved", address, version=5)
    older = samples.status_changed("rejected", address, version=4, certificate_id=newer.certificate.certificate_id)
    await publisher.publish(envelope(newer))
    await smtp_sink.wait_for(to(address))
    late = await publisher.publish(envelope(older))
    await consumed(runtime, late.id)
    assert await deliveries_of(runtime, late.id) == []


async def test_a_redelivered_event_sends_nothing_twice(publisher, runtime, smtp_sink):
    address = unique_address("again")
    env = envelope(samples.status_changed("approved", address))
    queue = queue_name("notify", runtime.settings.queue_prefix)
    duplicates = consumed_count(queue, "duplicate")
    await publisher.publish(env)
    await smtp_sink.wait_for(to(address))
    await publisher.publish(env)
    await publisher.publish(env)

    async def both_seen():
        return consumed_count(queue, "duplicate") >= duplicates + 2

    await eventually(both_seen)
    await asyncio.sleep(0.5)  # give a (wrong) second send every chance to happen
    assert len([m for m in smtp_sink.messages if to(address)(m)]) == 1
    assert len(await deliveries_of(runtime, env.id)) == 1


async def test_the_delivery_log_key_holds_even_without_the_inbox(runtime):
    env = envelope(samples.status_changed("approved", unique_address("key")))
    mail = runtime.deps.composer.status_change(env.payload(), env.time)
    async with runtime.uow() as uow:
        assert await uow.deliveries.enqueue(env.id, env.type, mail) is True
        assert await uow.deliveries.enqueue(env.id, env.type, mail) is False
        await uow.rollback()


async def test_a_server_refusing_twice_then_accepting_gets_exactly_one_mail(publisher, runtime, smtp_sink):
    address = unique_address("retry")
    await quiet(runtime)
    smtp_sink.refuse_next = 2
    env = await publisher.publish(envelope(samples.status_changed("approved", address)))
    await smtp_sink.wait_for(to(address))
    await asyncio.sleep(0.5)
    assert smtp_sink.refuse_next == 0
    assert len([m for m in smtp_sink.messages if to(address)(m)]) == 1
    [row] = await deliveries_of(runtime, env.id)
    assert (row.status, row.attempts) == ("sent", 3)


async def test_a_permanent_refusal_ends_failed_counted_and_announced(publisher, runtime, smtp_sink):
    address = unique_address("bounce")
    failures = mail_failures("certificate_approved")
    announcements = await publisher.listen(DeliveryFailed.type_name)
    await quiet(runtime)
    smtp_sink.refusal, smtp_sink.refuse_next = "550 5.1.1 mailbox unavailable", 1
    try:
        env = await publisher.publish(envelope(samples.status_changed("approved", address)))

        async def failed():
            rows = await deliveries_of(runtime, env.id)
            return rows and rows[0].status == "failed" and rows[0]

        row = await eventually(failed)
    finally:
        smtp_sink.refusal, smtp_sink.refuse_next = "451 4.3.0 try again later", 0
    assert row.attempts == 1 and "550" in row.last_error
    assert mail_failures("certificate_approved") == failures + 1

    async def announced():
        return await announcements.get(no_ack=True, fail=False)

    message = await eventually(announced)
    data = json.loads(message.body)["data"]
    assert data["event_id"] == str(env.id) and data["recipient"] == address
    assert data["template"] == "certificate_approved" and "550" in data["error"]
    assert not [m for m in smtp_sink.messages if to(address)(m)]


async def test_concurrent_sender_workers_send_each_mail_once(publisher, runtime, smtp_sink):
    """A four-worker sender racing the service's own sender for the same deliveries: every row is
    claimed with SKIP LOCKED, so each mail still goes exactly once."""
    from notify.service_layer.sender import MailSender

    deps = runtime.deps
    sender = MailSender(runtime.uow, deps.transport, deps.retry_policy, batch=40, concurrency=4)
    addresses = [unique_address(f"burst{n}") for n in range(24)]
    for address in addresses:
        await publisher.publish(envelope(samples.status_changed("approved", address)))
    await eventually(lambda: sender.send_due(), timeout=20)  # tries until some are due
    for address in addresses:
        await sender.send_due()
        await smtp_sink.wait_for(to(address))
    await asyncio.sleep(0.5)  # give a (wrong) second send every chance to happen
    assert sorted(a for m in smtp_sink.messages for a in addresses if to(a)(m)) == sorted(addresses)
