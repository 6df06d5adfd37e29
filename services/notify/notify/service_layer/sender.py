"""The sender loop: mails what the delivery log holds as pending, after the event's commit.

Each delivery is claimed with ``FOR UPDATE SKIP LOCKED`` in its own transaction, so
several replicas never send the same row at once. Transient failures wait with
exponential backoff; permanent ones (or too many transient ones) end ``failed``,
counted in ``certhub_mail_failures_total`` and announced as ``notify.delivery_failed.v1``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

import structlog

from certhub_kit.events.notify import DeliveryFailed
from certhub_kit.metrics import MAIL_FAILURES
from certhub_kit.polling import Wake, poll_forever
from certhub_kit.transactions import in_transaction

from ..domain.delivery import PermanentMailError, RetryPolicy, TransientMailError
from ..domain.mail import Mail
from .unit_of_work import NotifyUnitOfWork

log = structlog.get_logger("notify.sender")


class Transport(Protocol):
    async def send(self, mail: Mail, uow: Any, *, delivery_id: int | None = None) -> None:
        """Deliver or raise TransientMailError / PermanentMailError."""


class MailSender:
    def __init__(
        self,
        uow_factory: Callable[[], NotifyUnitOfWork],
        transport: Transport,
        policy: RetryPolicy,
        *,
        batch: int = 20,
        concurrency: int = 1,
    ):
        self.uow_factory = uow_factory
        self.transport = transport
        self.policy = policy
        self.batch = batch
        self.concurrency = max(1, concurrency)

    async def run(self, wake: Wake, interval: float, idle_interval: float | None = None) -> None:
        """Polls every ``interval`` while there is work; when nothing was due it backs off, doubling up
        to ``idle_interval`` (never beyond the first retry delay, so a retry is not tried later than
        it is due by more than that); the handlers' wake signal ends a wait at once."""
        idle = min(idle_interval or interval, self.policy.base_s)
        await poll_forever(self.send_due, wake=wake, full=self.batch, interval=interval, idle=idle, name="mail-sender")

    async def send_due(self) -> int:
        """Try every delivery that is due (up to ``batch``), ``concurrency`` at a time — each worker
        claims its row with SKIP LOCKED, so no mail goes twice; returns how many were tried."""
        tried = 0

        async def worker() -> None:
            nonlocal tried
            while tried < self.batch:
                tried += 1
                if not await self.send_one():
                    tried -= 1
                    return

        await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        return tried

    async def send_one(self) -> bool:
        # one attempt: a retried transaction would send the mail again
        return await in_transaction(self.uow_factory, self._claim_and_send, attempts=1)

    async def _claim_and_send(self, uow: NotifyUnitOfWork) -> bool:
        rows = await uow.deliveries.claim_due(1)
        if not rows:
            return False
        row = rows[0]
        mail = Mail(
            recipient=row.recipient,
            template=row.template,
            subject=row.subject or "",
            text=row.text_body or "",
            html=row.html_body or "",
        )
        await self._attempt(uow, row, mail)
        return True

    async def _attempt(self, uow: NotifyUnitOfWork, row: Any, mail: Mail) -> None:
        attempts = row.attempts + 1
        try:
            await self.transport.send(mail, uow, delivery_id=row.id)
        except PermanentMailError as exc:
            await self._fail(uow, row, str(exc))
        except TransientMailError as exc:
            if self.policy.gives_up_after(attempts):
                await self._fail(uow, row, f"gave up after {attempts} attempts: {exc}")
            else:
                delay = self.policy.delay_after(attempts)
                log.info("mail_deferred", delivery=row.id, template=row.template, attempts=attempts, retry_in=delay)
                await uow.deliveries.retry_later(row.id, str(exc), delay)
        else:
            await uow.deliveries.mark_sent(row.id)
            log.info("mail_sent", delivery=row.id, template=row.template, attempts=attempts)

    async def _fail(self, uow: NotifyUnitOfWork, row: Any, error: str) -> None:
        log.warning("mail_failed", delivery=row.id, template=row.template, error=error)
        await uow.deliveries.mark_failed(row.id, error)
        await uow.emit(
            DeliveryFailed(
                event_id=row.event_id,
                event_type=row.event_type,
                recipient=row.recipient,
                template=row.template,
                error=error[:500],
            ),
            subject=str(row.event_id),
        )
        uow.after_commit(lambda: MAIL_FAILURES.labels(row.template).inc())
