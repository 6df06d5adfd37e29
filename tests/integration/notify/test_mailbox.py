"""Standalone mode: mails are captured in the database and shown at GET /api/dev/mailbox."""

from __future__ import annotations

import pytest

from notify.bootstrap import create_app, load_settings
from tests.support.apps import Clients, running
from tests.unit.notify import samples

from .support import envelope, eventually, unique_address


@pytest.fixture(scope="module")
async def captured_app(settings_for):
    settings = load_settings(
        **settings_for(
            "notify",
            isolation="notifybox",
            bus="inproc",
            mail_capture=True,
            sender_interval_s=0.1,
            scheduler_enabled=False,
        )
    )
    app = create_app(settings)
    async with running(app):
        yield app


async def test_captured_mails_are_listed_newest_first(captured_app, issuer, smtp_sink):
    bus = captured_app.state.runtime.bus
    address = unique_address("box")
    await bus.publish(envelope(samples.registered(address)))
    await bus.publish(envelope(samples.status_changed("approved", address)))

    async with Clients(captured_app, issuer).anonymous() as client:

        async def two_mails():
            mails = (await client.get("/api/dev/mailbox", params={"to": address})).json()
            return len(mails) == 2 and mails

        mails = await eventually(two_mails)
    assert set(mails[0]) == {"to", "subject", "text", "html", "sent_at"}
    assert [m["to"] for m in mails] == [address, address]
    assert mails[0]["sent_at"] >= mails[1]["sent_at"]
    subjects = {m["subject"] for m in mails}
    assert any("請確認證照登錄" in s for s in subjects) and any("證照審核通過" in s for s in subjects)
    confirm = next(m for m in mails if "請確認" in m["subject"])
    assert samples.TOKEN_URL in confirm["text"] and f'href="{samples.TOKEN_URL}"' in confirm["html"]
    assert not [m for m in smtp_sink.messages if (m["To"] or "") == address], "captured, not sent over SMTP"
