"""Mail transports: SMTP through aiosmtplib, or the database mailbox of standalone mode.

Both raise :class:`TransientMailError` when trying again later may help (4xx replies,
refused or dropped connections, timeouts) and :class:`PermanentMailError` on 5xx.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

import aiosmtplib

from ..domain.delivery import PermanentMailError, TransientMailError, is_permanent_reply
from ..domain.mail import Mail


def build_message(mail: Mail, mail_from: str, *, delivery_id: int | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "certhub.local"
    message["Message-ID"] = make_msgid(idstring=f"d{delivery_id}" if delivery_id else None, domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-CertHub-Template"] = mail.template
    message.set_content(mail.text, subtype="plain", charset="utf-8")
    message.add_alternative(mail.html, subtype="html", charset="utf-8")
    message["Content-Language"] = "zh-TW, en"  # after set_content, which resets Content-* headers
    return message


def _classify(exc: Exception) -> Exception:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        if codes and all(is_permanent_reply(c) for c in codes):
            return PermanentMailError(str(exc))
        return TransientMailError(str(exc))
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        text = f"{exc.code} {exc.message}"
        return PermanentMailError(text) if is_permanent_reply(exc.code) else TransientMailError(text)
    return TransientMailError(repr(exc))


class SmtpTransport:
    def __init__(self, *, host: str, port: int, user: str = "", password: str = "", starttls: bool | None = None,
                 timeout: float = 15.0, mail_from: str):
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.starttls = starttls
        self.timeout = timeout
        self.mail_from = mail_from

    async def send(self, mail: Mail, uow: Any = None, *, delivery_id: int | None = None) -> None:
        message = build_message(mail, self.mail_from, delivery_id=delivery_id)
        try:
            await aiosmtplib.send(
                message, hostname=self.host, port=self.port, username=self.user or None,
                password=self.password or None, use_tls=self.port == 465,
                start_tls=None if self.port == 465 else self.starttls, timeout=self.timeout,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise _classify(exc) from exc


class CapturingTransport:
    """Standalone mode: the mail is kept in ``captured_mail`` (same transaction as its log row)."""

    async def send(self, mail: Mail, uow: Any, *, delivery_id: int | None = None) -> None:
        await uow.mailbox.capture(mail.recipient, mail.subject, mail.text, mail.html)
