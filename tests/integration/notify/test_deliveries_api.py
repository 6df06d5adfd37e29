"""GET /api/notify/deliveries: the delivery log for admins only, paginated by cursor."""

from __future__ import annotations

import pytest

from tests.support.apps import Clients
from tests.unit.notify import samples

from .support import envelope, to, unique_address


@pytest.fixture(scope="module")
async def clients(notify_app, issuer):
    return Clients(notify_app, issuer)


async def _sent_mails(publisher, smtp_sink, count: int) -> list[str]:
    addresses = [unique_address("log") for _ in range(count)]
    for address in addresses:
        await publisher.publish(envelope(samples.status_changed("approved", address)))
    for address in addresses:
        await smtp_sink.wait_for(to(address))
    return addresses


async def test_admin_reads_the_log_newest_first_page_by_page(clients, publisher, smtp_sink):
    addresses = await _sent_mails(publisher, smtp_sink, 3)
    async with clients.as_user("admin") as admin:
        first = await admin.get("/api/notify/deliveries", params={"status": "sent", "limit": 2})
        assert first.status_code == 200, first.text
        body = first.json()
        assert len(body["items"]) == 2 and body["next_cursor"]
        item = body["items"][0]
        assert set(item) == {
            "id",
            "event_id",
            "event_type",
            "recipient",
            "template",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        }
        assert item["status"] == "sent" and item["sent_at"] and item["event_type"] == "certificate.status_changed.v1"
        second = (
            await admin.get(
                "/api/notify/deliveries", params={"status": "sent", "limit": 2, "cursor": body["next_cursor"]}
            )
        ).json()
    ids = [i["id"] for i in body["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids) >= 3, "newest first, pages do not overlap"
    newest_three = {i["recipient"] for i in (body["items"] + second["items"])[:3]}
    assert newest_three == set(addresses)


@pytest.mark.parametrize("user", ["s1100001", "rev-im", "center"])
async def test_everyone_but_admins_is_refused(clients, user):
    async with clients.as_user(user) as client:
        answer = await client.get("/api/notify/deliveries")
    assert answer.status_code == 403
    assert answer.json()["error"]["message"] and answer.json()["error"]["message_en"]


async def test_anonymous_must_sign_in(clients):
    async with clients.anonymous() as client:
        assert (await client.get("/api/notify/deliveries")).status_code == 401


@pytest.mark.parametrize(
    "params", [{"status": "lost"}, {"cursor": "abc"}, {"cursor": "-1"}, {"limit": 0}, {"limit": 1000}]
)
async def test_bad_filters_are_clear_4xx(clients, params):
    async with clients.as_user("admin") as admin:
        answer = await admin.get("/api/notify/deliveries", params=params)
    assert answer.status_code == 422, answer.text
    assert "error" in answer.json()


@pytest.mark.parametrize("cursor", ["abc", "-1", "12345", "x" * 201])
async def test_a_cursor_the_log_did_not_issue_is_invalid_cursor(clients, cursor):
    async with clients.as_user("admin") as admin:
        answer = await admin.get("/api/notify/deliveries", params={"cursor": cursor})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == ("invalid" if len(cursor) > 200 else "invalid_cursor")


async def test_the_dev_mailbox_exists_in_test_mode_and_is_empty_when_mail_goes_over_smtp(clients):
    async with clients.anonymous() as client:
        answer = await client.get("/api/dev/mailbox")
    assert answer.status_code == 200 and answer.json() == []
