"""The SMTP transport keeps its connection between mails, and recovers when the server drops it."""

from __future__ import annotations

import asyncio

import pytest

from notify.adapters.smtp import SmtpTransport
from notify.domain.delivery import TransientMailError
from notify.domain.mail import Mail
from tests.support.servers import SmtpSink


def mail(n: int) -> Mail:
    return Mail(
        f"s11000{n:02d}@demo.certhub.tw",
        "certificate_approved",
        f"【CertHub】證照審核通過 {n}",
        f"純文字 {n}",
        f"<p>網頁 {n}</p>",
    )


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def transport(sink: SmtpSink, **kw) -> SmtpTransport:
    return SmtpTransport(host=sink.host, port=sink.port, mail_from="CertHub 證照 <no-reply@certhub.test>", **kw)


async def test_mails_share_one_connection(sink):
    smtp = transport(sink)
    for n in range(5):
        await smtp.send(mail(n))
    assert len(sink.messages) == 5 and len(set(sink.peers)) == 1
    assert [m["To"] for m in sink.messages] == [mail(n).recipient for n in range(5)]


async def test_a_connection_dropped_while_idle_is_replaced_and_the_mail_goes(sink):
    smtp = transport(sink)
    await smtp.send(mail(1))
    sink.stop()  # the server goes away and comes back on the same port: the idle connection is dead
    sink.start()
    await smtp.send(mail(2))
    assert [m["To"] for m in sink.messages] == [mail(1).recipient, mail(2).recipient]
    assert len(set(sink.peers)) == 2


async def test_a_connection_idle_too_long_is_not_reused(sink):
    smtp = transport(sink, idle_s=0.1)
    await smtp.send(mail(1))
    await asyncio.sleep(0.2)
    await smtp.send(mail(2))
    assert len(sink.messages) == 2 and len(set(sink.peers)) == 2


async def test_a_refusal_is_transient_and_the_next_mail_gets_a_fresh_connection(sink):
    smtp = transport(sink)
    await smtp.send(mail(1))
    sink.refuse_next = 1
    with pytest.raises(TransientMailError, match="451"):
        await smtp.send(mail(2))
    await smtp.send(mail(3))
    assert [m["To"] for m in sink.messages] == [mail(1).recipient, mail(3).recipient]
    assert len(set(sink.peers)) == 2
