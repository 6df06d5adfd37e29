"""The outbox relay: publishes committed events, marks them sent only after the broker's ack.

Safe with several replicas: rows are claimed with ``FOR UPDATE SKIP LOCKED`` and
stay locked until they are marked, so no two relays publish the same row at once.
A relay that dies between publish and mark leaves the row pending; it is published
again and the consumers' inbox makes the second copy harmless.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any, Protocol

import structlog
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .db import Database
from .events import Envelope
from .metrics import EVENTS_PUBLISHED, EVENTS_UNROUTED, OUTBOX_LAG
from .polling import Wake, poll_forever
from .tables import OUTBOX_PENDING, OUTBOX_SENT

log = structlog.get_logger("certhub.relay")


class Unroutable(Exception):
    """The broker returned a mandatory message: no queue is bound for its type."""


class Publisher(Protocol):
    async def publish(self, envelope: Envelope) -> None:
        """Return only once the event is safely with the broker; raise otherwise."""


def backoff_seconds(attempts: int) -> float:
    return min(5.0, 0.25 * 2**attempts)


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        outbox: Table,
        publisher: Publisher,
        *,
        service: str,
        batch: int = 100,
        interval: float = 0.5,
        idle_interval: float = 5.0,
    ):
        self.db = db
        self.outbox = outbox
        self.publisher = publisher
        self.service = service
        self.batch = batch
        self.interval = interval
        # Every outbox row is written by this process's units of work, which nudge the relay after
        # commit: polling only catches rows left by a crashed process or another replica, and retries.
        # So an idle relay polls less and less often, up to ``idle_interval``; a nudge wakes it at once.
        self.idle_interval = max(interval, idle_interval)
        self._retrying = False
        self._full = False
        self._wake = Wake()
        self._lag_checked = 0.0

    def nudge(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Publishes until cancelled; keeps the short interval while a failed publish waits to retry."""
        await poll_forever(
            self._poll,
            wake=self._wake,
            full=self.batch,
            interval=self.interval,
            idle=self.idle_interval,
            busy=lambda: self._retrying,
            name=f"relay-{self.service}",
        )

    async def _poll(self) -> int:
        # A poll nobody nudged first asks, in one statement outside a transaction, whether anything
        # is there to claim (an idle relay: 1 round trip per poll instead of 3).
        if not (self._wake.woken or self._retrying or self._full) and not await self.anything_to_claim():
            return 0
        published = await self.publish_batch()
        self._full = published >= self.batch
        return published

    async def anything_to_claim(self) -> bool:
        o = self.outbox.c
        available = select(o.seq).where(o.state == OUTBOX_PENDING, o.available_at <= func.now()).limit(1)
        async with self.db.engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            return await autocommit.scalar(select(available.exists())) or False

    async def publish_batch(self) -> int:
        async with self.db.sessions() as session, session.begin():
            rows = await self._claim(session)
            if rows:
                outcomes = await asyncio.gather(*(self._publish(row) for row in rows), return_exceptions=True)
                await self._mark(session, rows, outcomes)
            if len(rows) < self.batch and not self._retrying:
                OUTBOX_LAG.labels(self.service).set(0.0)  # every available row was just claimed and sent
            else:  # more may wait, or a failed publish does: how long the oldest has waited
                await self._measure_lag(session)
            return len(rows)

    async def _claim(self, session: AsyncSession) -> Sequence[Any]:
        o = self.outbox.c
        result = await session.execute(
            select(o.seq, o.type, o.envelope, o.attempts)
            .where(o.state == OUTBOX_PENDING, o.available_at <= func.now())
            .order_by(o.seq)
            .limit(self.batch)
            .with_for_update(skip_locked=True)
        )
        return result.all()

    async def _publish(self, row: Any) -> bool:
        try:
            await self.publisher.publish(Envelope.model_validate(row.envelope))
        except Unroutable:
            EVENTS_UNROUTED.labels(self.service, row.type).inc()
            log.warning("event_unroutable", service=self.service, type=row.type)
        EVENTS_PUBLISHED.labels(self.service, row.type).inc()
        return True

    async def _mark(self, session: AsyncSession, rows: Sequence[Any], outcomes: Sequence[Any]) -> None:
        o = self.outbox.c
        self._retrying = any(out is not True for out in outcomes)
        sent = [row.seq for row, out in zip(rows, outcomes, strict=True) if out is True]
        if sent:
            await session.execute(
                update(self.outbox).where(o.seq.in_(sent)).values(state=OUTBOX_SENT, sent_at=func.now())
            )
        for row, out in zip(rows, outcomes, strict=True):
            if out is True:
                continue
            log.warning("event_publish_failed", service=self.service, type=row.type, error=repr(out))
            delay = backoff_seconds(row.attempts)
            await session.execute(
                update(self.outbox)
                .where(o.seq == row.seq)
                .values(
                    attempts=o.attempts + 1,
                    last_error=repr(out)[:2000],
                    available_at=func.now() + func.make_interval(0, 0, 0, 0, 0, 0, delay),
                )
            )

    async def _measure_lag(self, session: AsyncSession) -> None:
        now = time.monotonic()
        if now - self._lag_checked < 2.0:
            return
        self._lag_checked = now
        o = self.outbox.c
        oldest = await session.scalar(  # the first pending row in seq order (off the pending index)
            select(func.extract("epoch", func.now() - o.created_at))
            .where(o.state == OUTBOX_PENDING)
            .order_by(o.seq)
            .limit(1)
        )
        OUTBOX_LAG.labels(self.service).set(float(oldest or 0.0))
