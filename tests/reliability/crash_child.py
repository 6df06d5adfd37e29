"""Test-only entry point: a kit service process that dies (``os._exit``) at a chosen crash point.

``python -m tests.reliability.crash_child <point> <db_url> <amqp_url> <tag> <first_n> <count>``, or
``--zygote`` to import once and fork one such process per line on stdin (fast repeated crashes).

The fault hooks live here, in test code, as subclasses of the kit's relay and inbox;
production code has no crash branches. Points:
  after_commit          the events are committed to the outbox; the process dies before the relay runs
  after_publish         the relay has sent the messages; the process dies before the broker's confirm
  after_confirm         the broker confirmed; the process dies before the rows are marked sent
  after_handler_commit  a consumer committed its effect and inbox row; the process dies before the ack
"""

from __future__ import annotations

import asyncio
import os
import sys

import aio_pika

from certhub_kit.events import Envelope
from certhub_kit.inbox import PROCESSED, Inbox
from certhub_kit.relay import OutboxRelay
from tests.integration.kit.world import World, outbox

CRASH_EXIT = 77


def die() -> None:
    sys.stdout.flush()
    os._exit(CRASH_EXIT)


class UnconfirmedPublisher:
    """Writes the message to the broker socket and dies without waiting for the confirm."""

    def __init__(self, broker):
        self.broker = broker

    async def publish(self, envelope: Envelope) -> None:
        message = aio_pika.Message(
            body=envelope.model_dump_json().encode(),
            message_id=str(envelope.id),
            type=envelope.type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        asyncio.ensure_future(self.broker._exchange.publish(message, routing_key=envelope.type, mandatory=True))
        await asyncio.sleep(0.05)  # the frames reach the socket; the confirm may or may not be on its way
        die()


class DieBeforeMark(OutboxRelay):
    async def _mark(self, session, rows, outcomes):
        if all(o is True for o in outcomes):
            die()
        await super()._mark(session, rows, outcomes)


class DieBeforeAck(Inbox):
    """Dies once a handler's effects and inbox rows are committed, before the broker gets the ack
    (whether the broker consumes one event per transaction or a batch per transaction)."""

    async def process_batch(self, envelopes, payloads=None):
        outcomes = await super().process_batch(envelopes, payloads)
        if PROCESSED in outcomes:
            die()
        return outcomes

    async def process(self, envelope: Envelope) -> str:
        outcome = await super().process(envelope)
        if outcome == PROCESSED:
            die()
        return outcome


async def main(point: str, db_url: str, amqp_url: str, tag: str, first: int, count: int) -> None:
    world = World(db_url, amqp_url, tag)
    from certhub_kit.db import Database

    world.db = Database(db_url)
    broker = world.broker()
    if point == "after_handler_commit":
        broker.prefetch = 1  # only the event being handled goes back to the queue when the process dies
        normal = world.inbox()
        broker.consume("kit", DieBeforeAck("kit", world.uow, normal._inbox, normal.handlers))
    await broker.start()
    assert await broker.wait_connected(20)
    if point == "after_handler_commit":
        await asyncio.sleep(60)  # dies on the first event it processes
        return
    await world.emit(*range(first, first + count))
    if point == "after_commit":
        die()
    publisher = UnconfirmedPublisher(broker) if point == "after_publish" else broker
    relay_class = DieBeforeMark if point == "after_confirm" else OutboxRelay
    await relay_class(world.db, outbox, publisher, service="kit").publish_batch()
    print("no crash happened", flush=True)


def run(args: list[str]) -> None:
    point, db_url, amqp_url, tag, first, count = args
    asyncio.run(main(point, db_url, amqp_url, tag, int(first), int(count)))


def zygote() -> None:
    """Imports once, then forks one short-lived service process per line read on stdin
    (the same arguments as above) and answers each with its exit status."""
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                run(line.split())
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    zygote() if sys.argv[1:] == ["--zygote"] else run(sys.argv[1:7])
