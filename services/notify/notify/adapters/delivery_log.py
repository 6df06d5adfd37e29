"""The delivery log: one row per (event, recipient, template); the sender's work queue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.delivery import FAILED, PENDING, SENT
from ..domain.mail import Mail
from .orm import captured_mail, delivery

LISTED = (
    delivery.c.id,
    delivery.c.event_id,
    delivery.c.event_type,
    delivery.c.recipient,
    delivery.c.template,
    delivery.c.status,
    delivery.c.attempts,
    delivery.c.last_error,
    delivery.c.created_at,
    delivery.c.sent_at,
)


_ENQUEUE = (
    insert(delivery)
    .values(
        {
            name: bindparam(name, type_=delivery.c[name].type)
            for name in ("event_id", "event_type", "recipient", "template", "subject", "text_body", "html_body")
        }
    )
    .on_conflict_do_nothing(constraint="uq_delivery_event_recipient_template")
    .returning(delivery.c.id)
)
"""Built once (bound parameters): a mail to send, unless this (event, recipient, template) is recorded."""


class DeliveryLog:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def enqueue(self, event_id: uuid.UUID, event_type: str, mail: Mail) -> bool:
        """Record a mail to send; False if this (event, recipient, template) was already recorded."""
        return bool(await self.enqueue_many([(event_id, event_type, mail)]))

    async def enqueue_many(self, mails: Sequence[tuple[uuid.UUID, str, Mail]]) -> int:
        """Records (event id, event type, mail)s in one statement; how many were new."""
        if not mails:
            return 0
        result = await self.session.execute(
            _ENQUEUE,
            [
                dict(
                    event_id=event_id,
                    event_type=event_type,
                    recipient=mail.recipient,
                    template=mail.template,
                    subject=mail.subject,
                    text_body=mail.text,
                    html_body=mail.html,
                )
                for event_id, event_type, mail in mails
            ],
        )
        return len(result.all())

    async def claim_due(self, limit: int) -> Sequence[Any]:
        """Pending rows whose time has come, locked so no other sender takes them meanwhile."""
        d = delivery.c
        result = await self.session.execute(
            select(
                d.id, d.event_id, d.event_type, d.recipient, d.template, d.subject, d.text_body, d.html_body, d.attempts
            )
            .where(d.status == PENDING, d.available_at <= func.now())
            .order_by(d.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return result.all()

    async def mark_sent(self, delivery_id: int) -> None:
        await self._finish(delivery_id, SENT, sent_at=func.now(), last_error=None)

    async def mark_failed(self, delivery_id: int, error: str) -> None:
        await self._finish(delivery_id, FAILED, last_error=error[:2000])

    async def _finish(self, delivery_id: int, status: str, **values: Any) -> None:
        """A finished delivery keeps its metadata, not the mail's content (nothing personal lingers)."""
        await self.session.execute(
            update(delivery)
            .where(delivery.c.id == delivery_id)
            .values(
                status=status, attempts=delivery.c.attempts + 1, subject=None, text_body=None, html_body=None, **values
            )
        )

    async def retry_later(self, delivery_id: int, error: str, delay_s: float) -> None:
        await self.session.execute(
            update(delivery)
            .where(delivery.c.id == delivery_id)
            .values(
                attempts=delivery.c.attempts + 1,
                last_error=error[:2000],
                available_at=func.now() + timedelta(seconds=delay_s),
            )
        )

    async def page(self, *, status: str | None, limit: int, before_id: int | None) -> list[Any]:
        query = select(*LISTED).order_by(delivery.c.id.desc()).limit(limit)
        if status:
            query = query.where(delivery.c.status == status)
        if before_id is not None:
            query = query.where(delivery.c.id < before_id)
        return list((await self.session.execute(query)).all())

    async def count_pending(self) -> int:
        return int(
            await self.session.scalar(select(func.count()).select_from(delivery).where(delivery.c.status == PENDING))
            or 0
        )


class Mailbox:
    """Captured mails of standalone mode (never used in production)."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def capture(self, recipient: str, subject: str, text: str, html: str) -> None:
        await self.session.execute(
            captured_mail.insert().values(recipient=recipient, subject=subject, text=text, html=html)
        )

    async def latest(self, limit: int, recipient: str | None = None) -> list[Any]:
        c = captured_mail.c
        query = select(c.recipient, c.subject, c.text, c.html, c.sent_at).order_by(c.id.desc()).limit(limit)
        if recipient:
            query = query.where(func.lower(c.recipient) == recipient.lower())
        return list((await self.session.execute(query)).all())
