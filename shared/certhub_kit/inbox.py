"""Consumer side of "no double effects": the event id is recorded with the effect."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import String, Table, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert

from .context import bind_correlation_id
from .events import Envelope, EventData
from .uow import UnitOfWork

# The payload is one of the EventData types its handler is registered for (decoded by type name),
# which no static type says, hence Any.
Event = tuple[Any, Envelope]


@dataclass(frozen=True)
class SetHandler:
    """A handler that takes a run of events at once (``handle(events, uow)``, events in delivery
    order): one statement per step for a whole batch instead of one per event. The inbox gives it
    each run of consecutive fresh events it handles; a run may mix the types it is registered for."""

    handle: Callable[..., Awaitable[None]]  # (events, uow), with a keyword ``deps`` if it names one


# (payload, envelope, uow) — or with a keyword ``deps`` the inbox binds (``with_deps``).
EventHandler = Callable[..., Awaitable[None]] | SetHandler

PROCESSED, DUPLICATE, IGNORED = "processed", "duplicate", "ignored"


def with_deps(handlers: Mapping[str, EventHandler], deps: Any) -> dict[str, EventHandler]:
    """A service's ``HANDLERS`` ready for its inbox: a handler that names a ``deps`` parameter gets the
    service's collaborators (``runtime.deps``), as cosmicpython's bootstrap injects dependencies. One
    bound copy per handler, so a ``SetHandler`` registered for several types stays one (runs batch)."""
    bound: dict[int, EventHandler] = {}

    def bind(handler: EventHandler) -> EventHandler:
        if id(handler) not in bound:
            if isinstance(handler, SetHandler):
                bound[id(handler)] = SetHandler(_inject(handler.handle, deps))
            else:
                bound[id(handler)] = _inject(handler, deps)
        return bound[id(handler)]

    return {event_type: bind(handler) for event_type, handler in handlers.items()}


def _inject(handler: Callable, deps: Any) -> Any:
    return functools.partial(handler, deps=deps) if "deps" in inspect.signature(handler).parameters else handler


class Inbox:
    """Runs a service's handlers for events inside one transaction with their inbox rows.

    A redelivered event finds its id already recorded and changes nothing; two
    replicas racing on the same event serialise on the inbox primary key.
    ``process_batch`` records a whole batch with one insert and one commit; if
    anything in it fails nothing is committed and the caller falls back to
    ``process``, one event per transaction, so only the failing one is retried.
    """

    def __init__(
        self, consumer: str, uow_factory: Callable[[], UnitOfWork], inbox: Table, handlers: dict[str, EventHandler]
    ):
        self.consumer = consumer
        self._uow_factory = uow_factory
        self._inbox = inbox
        self.handlers = handlers
        self._insert = _record_statement(inbox)

    @property
    def types(self) -> list[str]:
        return sorted(self.handlers)

    async def process(self, envelope: Envelope) -> str:
        return (await self.process_batch([envelope]))[0]

    async def process_batch(
        self, envelopes: Sequence[Envelope], payloads: Sequence[EventData | None] | None = None
    ) -> list[str]:
        """Outcomes in delivery order; raises (having committed nothing) if any handler fails.

        Handlers run in delivery order, only for ids this insert recorded; a second
        copy of an id within the batch is a duplicate. Consecutive events bound for one
        ``SetHandler`` go to it together. ``payloads``: already decoded.
        """
        outcomes = [IGNORED] * len(envelopes)
        todo = [
            (i, e, payloads[i] if payloads is not None else e.payload())
            for i, e in enumerate(envelopes)
            if e.type in self.handlers
        ]
        if not todo:
            return outcomes
        async with self._uow_factory() as uow:
            fresh = await self._record(uow, {e.id: e.type for _, e, _ in todo})  # custom plans from here on
            run = []
            for i, envelope, payload in todo:
                if envelope.id in fresh:
                    fresh.discard(envelope.id)
                    run.append((payload, envelope))
                    outcomes[i] = PROCESSED
                else:
                    outcomes[i] = DUPLICATE
            for handler, events in groupby(run, key=lambda event: self.handlers[event[1].type]):
                await _call(handler, list(events), uow)
            if run:
                await uow.commit()
        return outcomes

    async def _record(self, uow: UnitOfWork, types: dict) -> set:
        """Inserts the ids not yet recorded (in id order, so replicas lock alike); returns those."""
        ids = sorted(types)
        recorded = await uow.session.scalars(
            self._insert, {"consumer": self.consumer, "event_ids": ids, "types": [types[i] for i in ids]}
        )
        return set(recorded.all())


async def _call(handler: EventHandler, events: list[Event], uow: UnitOfWork) -> None:
    if isinstance(handler, SetHandler):
        bind_correlation_id(events[0][1].correlationid if len(events) == 1 else None)
        await handler.handle(events, uow)
        return
    for payload, envelope in events:
        bind_correlation_id(envelope.correlationid)
        await handler(payload, envelope, uow)


def _record_statement(inbox: Table):
    """One statement for any batch size (arrays, unnested), so it is compiled once.

    It also sets ``plan_cache_mode = force_custom_plan`` for the rest of the transaction (``SET LOCAL``
    without a round trip of its own): each batch plans its statements for its own arrays, where a
    generic plan made while a table was small would otherwise be kept by the prepared statement as the
    table grows."""
    custom_plans = select(func.set_config("plan_cache_mode", "force_custom_plan", True).label("set")).subquery()
    rows = select(
        bindparam("consumer", type_=String()),
        func.unnest(bindparam("event_ids", type_=ARRAY(inbox.c.event_id.type))),
        func.unnest(bindparam("types", type_=ARRAY(String()))),
    ).select_from(custom_plans)
    return (
        insert(inbox)
        .from_select(["consumer", "event_id", "type"], rows)
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
