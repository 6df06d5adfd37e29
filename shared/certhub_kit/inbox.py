"""Consumer side of "no double effects": the event id is recorded with the effect."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert

from .events import Envelope, EventData
from .uow import UnitOfWork

EventHandler = Callable[[EventData, Envelope, Any], Awaitable[None]]

PROCESSED, DUPLICATE, IGNORED = "processed", "duplicate", "ignored"


class Inbox:
    """Runs a service's handler for an event inside one transaction with its inbox row.

    A redelivered event finds its id already recorded and changes nothing; two
    replicas racing on the same event serialise on the inbox primary key.
    """

    def __init__(self, consumer: str, uow_factory: Callable[[], UnitOfWork], inbox: Table,
                 handlers: dict[str, EventHandler]):
        self.consumer = consumer
        self._uow_factory = uow_factory
        self._inbox = inbox
        self.handlers = handlers

    @property
    def types(self) -> list[str]:
        return sorted(self.handlers)

    async def process(self, envelope: Envelope) -> str:
        handler = self.handlers.get(envelope.type)
        if handler is None:
            return IGNORED
        payload = envelope.payload()
        async with self._uow_factory() as uow:
            recorded = await uow.session.execute(
                insert(self._inbox)
                .values(consumer=self.consumer, event_id=envelope.id, type=envelope.type)
                .on_conflict_do_nothing()
                .returning(self._inbox.c.event_id)
            )
            if recorded.first() is None:
                return DUPLICATE
            await handler(payload, envelope, uow)
            await uow.commit()
        return PROCESSED
