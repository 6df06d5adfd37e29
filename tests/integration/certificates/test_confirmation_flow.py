"""Email confirmation on a confirmation track: the URL travels on the broker; GET shows, POST confirms once."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from .support import BrokerSpy, footprint, outbox_events, register

ISOLATION = "certconf"
TYPES = ["certificate.registered.v1", "certificate.confirmed.v1", "certificate.confirmation_resent.v1"]


def token_of(url: str) -> str:
    assert url.startswith("http://certhub.test/api/confirm/")  # from settings, not the Host header
    return url.rsplit("/", 1)[1]


async def status_of(service, cert_id: str) -> str:
    async with service.as_user("s1100001") as client:
        return (await client.get(f"/api/certificates/{cert_id}")).json()["status"]


async def test_register_confirm_by_post_not_get_and_no_replay(service):
    async with BrokerSpy(service.settings, TYPES) as spy:
        async with service.as_user("s1100001") as client:
            answer = await register(client, service, entry="tqc-excel", level="實用級", score="85")
        assert answer.status_code == 201, answer.text
        cert = answer.json()
        assert cert["status"] == "draft" and cert["status_label"] == "已建檔"
        registered = await spy.wait_for("certificate.registered.v1", cert["id"])
        url = registered["data"]["confirmation_url"]
        token = token_of(url)
        assert registered["data"]["certificate"]["status"] == "draft"
        assert registered["data"]["confirmation_expires_at"]
        async with service.runtime.db.engine.connect() as conn:
            stored = (await conn.execute(text("SELECT token_hash FROM confirmation_tokens"))).scalars().all()
        assert token not in stored and all(len(h) == 64 for h in stored)  # only the SHA-256 is kept

        anonymous = service.clients.anonymous()
        async with anonymous:
            for _ in range(3):  # a mail scanner prefetching the link
                page = await anonymous.get(f"/api/confirm/{token}", headers={"Host": "evil.example"})
                assert page.status_code == 200 and '<form method="post"' in page.text
                assert "確認" in page.text and "Confirm" in page.text
                assert page.headers["referrer-policy"] == "no-referrer"
                assert "evil.example" not in page.text
            assert await status_of(service, cert["id"]) == "draft"

            done = await anonymous.post(f"/api/confirm/{token}")
            assert done.status_code == 200 and "確認完成" in done.text and "Confirmed" in done.text
            assert await status_of(service, cert["id"]) == "submitted"
            confirmed = await spy.wait_for("certificate.confirmed.v1", cert["id"])
            assert confirmed["data"]["certificate"]["status"] == "submitted"
            assert confirmed["data"]["certificate"]["version"] == 2

            before = await footprint(service.runtime)
            again = await anonymous.post(f"/api/confirm/{token}")
            assert again.status_code == 410 and "已使用" in again.text
            shown = await anonymous.get(f"/api/confirm/{token}")
            assert shown.status_code == 410
            assert await footprint(service.runtime) == before


async def test_forged_expired_and_replaced_links_change_nothing(service):
    async with service.as_user("s1100001") as client:
        cert = (await register(client, service, entry="mos-word", level="Associate")).json()
        assert cert["status"] == "draft"
        [registered] = [
            e for e in await outbox_events(service.runtime, "certificate.registered.v1") if e["subject"] == cert["id"]
        ]
        first = token_of(registered["data"]["confirmation_url"])
        async with service.runtime.db.engine.begin() as conn:  # the first mail went out long enough ago to resend
            await conn.execute(
                text(
                    "UPDATE confirmation_tokens SET created_at = now() - interval '2 minutes' WHERE certificate_id = :c"
                ),
                {"c": cert["id"]},
            )

        resent = await client.post(f"/api/certificates/{cert['id']}/resend-confirmation")
        assert resent.status_code == 202 and resent.json()["sent"] is True
        [event] = [
            e
            for e in await outbox_events(service.runtime, "certificate.confirmation_resent.v1")
            if e["subject"] == cert["id"]
        ]
        second = token_of(event["data"]["confirmation_url"])
        assert second != first

    before = await footprint(service.runtime)
    async with service.clients.anonymous() as anonymous:
        forged = await anonymous.post("/api/confirm/" + "A" * 43)
        assert forged.status_code == 404 and "連結無效" in forged.text and "Invalid link" in forged.text
        assert (await anonymous.post("/api/confirm/..%2F..%2Fetc")).status_code == 404
        replaced = await anonymous.post(f"/api/confirm/{first}")
        assert replaced.status_code == 410 and "較新的確認信" in replaced.text
        async with service.runtime.db.engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE confirmation_tokens SET expires_at = now() - interval '1 minute' "
                    "WHERE certificate_id = :c AND revoked_at IS NULL"
                ),
                {"c": cert["id"]},
            )
        expired = await anonymous.post(f"/api/confirm/{second}")
        assert expired.status_code == 410 and "過期" in expired.text
        assert (await anonymous.get(f"/api/confirm/{second}")).status_code == 410
    assert await footprint(service.runtime) == before
    assert await status_of(service, cert["id"]) == "draft"


async def test_two_clicks_at_once_confirm_exactly_once(service):
    async with service.as_user("s1100001") as client:
        cert = (await register(client, service, entry="mos-word", level="Associate")).json()
    [registered] = [
        e for e in await outbox_events(service.runtime, "certificate.registered.v1") if e["subject"] == cert["id"]
    ]
    token = token_of(registered["data"]["confirmation_url"])
    async with service.clients.anonymous() as anonymous:
        answers = await asyncio.gather(*(anonymous.post(f"/api/confirm/{token}") for _ in range(5)))
    assert sorted(a.status_code for a in answers) == [200, 410, 410, 410, 410]
    confirmed = [
        e for e in await outbox_events(service.runtime, "certificate.confirmed.v1") if e["subject"] == cert["id"]
    ]
    assert len(confirmed) == 1


async def test_resend_only_for_drafts_of_the_owner(service):
    async with service.as_user("s1100001") as client:
        plain = (await register(client, service)).json()  # English: no confirmation
        assert plain["status"] == "submitted"
        answer = await client.post(f"/api/certificates/{plain['id']}/resend-confirmation")
        assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_draft"
