"""Delivery rules (backoff, SMTP reply classes), settings and the service's wiring."""

from __future__ import annotations

from email.header import decode_header, make_header

import aiosmtplib
import pytest

from certhub_kit.events import EVENT_TYPES
from certhub_kit.events.topology import SUBSCRIPTIONS
from notify.adapters.smtp import _classify, build_message
from notify.bootstrap import spec
from notify.domain.delivery import PermanentMailError, RetryPolicy, TransientMailError
from notify.domain.mail import Mail
from notify.entrypoints.events import HANDLERS
from notify.settings import NotifySettings

PRODUCTION = dict(
    env="production",
    auth_mode="oidc",
    database_url="postgresql+asyncpg://x@db/certhub_notify",
    amqp_url="amqp://guest:guest@mq/",
    oidc_issuer="https://kc/realms/certhub",
    oidc_audience="certhub",
)


def test_backoff_doubles_up_to_a_cap_and_gives_up():
    policy = RetryPolicy(base_s=2, max_s=30, max_attempts=4)
    assert [policy.delay_after(n) for n in (1, 2, 3, 4, 5, 6)] == [2, 4, 8, 16, 30, 30]
    assert not policy.gives_up_after(3) and policy.gives_up_after(4)


@pytest.mark.parametrize(
    "exc, kind",
    [
        (aiosmtplib.SMTPDataError(451, "try again later"), TransientMailError),
        (aiosmtplib.SMTPDataError(550, "mailbox unavailable"), PermanentMailError),
        (aiosmtplib.SMTPSenderRefused(553, "bad sender", "x@y.tw"), PermanentMailError),
        (
            aiosmtplib.SMTPRecipientsRefused([aiosmtplib.SMTPRecipientRefused(550, "no such user", "a@b.tw")]),
            PermanentMailError,
        ),
        (
            aiosmtplib.SMTPRecipientsRefused([aiosmtplib.SMTPRecipientRefused(452, "full", "a@b.tw")]),
            TransientMailError,
        ),
        (aiosmtplib.SMTPConnectError("refused"), TransientMailError),
        (aiosmtplib.SMTPServerDisconnected("gone"), TransientMailError),
        (ConnectionRefusedError(111, "refused"), TransientMailError),
    ],
)
def test_smtp_failures_are_transient_or_permanent(exc, kind):
    assert isinstance(_classify(exc), kind)


def test_message_has_both_parts_and_says_its_languages():
    mail = Mail(
        "s1100001@demo.certhub.tw",
        "certificate_approved",
        "【CertHub】證照審核通過 / Certificate approved",
        "純文字 text",
        "<p>網頁 html</p>",
    )
    message = build_message(mail, "CertHub <no-reply@certhub.test>", delivery_id=7)
    assert message["Content-Language"] == "zh-TW, en"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.get_payload()] == ["text/plain", "text/html"]
    assert [p.get_payload(decode=True).decode() for p in message.get_payload()] == ["純文字 text", "<p>網頁 html</p>"]
    assert message["Message-ID"].endswith("@certhub.test>")
    assert str(make_header(decode_header(message["Subject"]))) == mail.subject


def test_handlers_cover_exactly_the_subscribed_event_types():
    assert sorted(HANDLERS) == sorted(SUBSCRIPTIONS["notify"])
    assert all(t in EVENT_TYPES for t in HANDLERS)


def _paths(settings: NotifySettings) -> set[str]:
    return {route.path for router in spec(settings).routers for route in router.routes}


def test_mailbox_route_never_exists_in_production():
    assert "/api/dev/mailbox" not in _paths(NotifySettings(**PRODUCTION))
    assert "/api/notify/deliveries" in _paths(NotifySettings(**PRODUCTION))


def test_mailbox_route_exists_in_relaxed_modes_with_capture_or_dev_auth():
    assert "/api/dev/mailbox" in _paths(NotifySettings(env="standalone", mail_capture=True, auth_mode="oidc"))
    assert "/api/dev/mailbox" in _paths(NotifySettings(env="test", auth_mode="dev"))
    assert "/api/dev/mailbox" not in _paths(NotifySettings(env="dev", auth_mode="oidc", mail_capture=False))


def test_production_refuses_mail_capture_and_bad_window_dates():
    with pytest.raises(ValueError, match="standalone/dev only"):
        NotifySettings(**PRODUCTION, mail_capture=True)
    with pytest.raises(ValueError, match="MM-DD"):
        NotifySettings(env="test", reward_window_opens="April 1")


def test_reviewer_addresses_default_to_the_demo_reviewers():
    assert NotifySettings(env="test").reviewer_emails == {
        "IM": ["rev-im@demo.certhub.tw"],
        "EE": ["rev-ee@demo.certhub.tw"],
    }
