"""The in-process event bus of standalone mode, behind the same outbox relay and inbox.

``publish`` returns only after every subscribed inbox has committed the event (or
it was dead-lettered after the retries), so the relay marks a row sent only once
its effects are durable — the same guarantee the broker's ack gives.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

import structlog

from .events import Envelope
from .events.topology import queue_name
from .inbox import Inbox
from .metrics import EVENTS_CONSUMED

log = structlog.get_logger("certhub.inproc")


@dataclass
class DeadLetter:
    queue: str
    envelope: Envelope
    reason: str
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class InProcessBus:
    def __init__(self, *, max_retries: int = 3, retry_delay: float = 0.05):
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self._subscribers: list[tuple[str, str, Inbox]] = []
        self.dead_letters: list[DeadLetter] = []

    def consume(self, service: str, inbox: Inbox) -> None:
        self._subscribers.append((service, queue_name(service), inbox))

    async def start(self) -> None:
        return None

    async def publish(self, envelope: Envelope) -> None:
        for service, queue, inbox in self._subscribers:
            if envelope.type in inbox.handlers:
                await self._deliver(service, queue, inbox, envelope)

    async def _deliver(self, service: str, queue: str, inbox: Inbox, envelope: Envelope) -> None:
        for attempt in range(self.max_retries + 1):
            try:
                outcome = await inbox.process(envelope)
                EVENTS_CONSUMED.labels(service, queue, outcome).inc()
                return
            except Exception as exc:
                log.warning("inproc_handler_failed", queue=queue, type=envelope.type, attempt=attempt, error=repr(exc))
                reason = repr(exc)
                await asyncio.sleep(self.retry_delay * (2**attempt))
        EVENTS_CONSUMED.labels(service, queue, "dead").inc()
        self.dead_letters.append(DeadLetter(queue, envelope, reason))

    async def replay(self, queue: str) -> int:
        """Put a queue's dead letters through again (after a fix); returns how many."""
        todo = [d for d in self.dead_letters if d.queue == queue]
        self.dead_letters = [d for d in self.dead_letters if d.queue != queue]
        for dead in todo:
            for service, q, inbox in self._subscribers:
                if q == queue:
                    await self._deliver(service, q, inbox, dead.envelope)
        return len(todo)

    async def ready(self) -> bool:
        return True

    async def close(self) -> None:
        return None
