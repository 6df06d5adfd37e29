"""Ops command: put a service's dead letters back on its queue after a fix.

``python -m certhub_kit.replay notify [--limit N]`` (reads ``CERTHUB_AMQP_URL``,
``CERTHUB_EVENTS_EXCHANGE``, ``CERTHUB_QUEUE_PREFIX``). ``--list`` shows them instead.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from .broker import QueueNames, RabbitBroker
from .delivery_headers import ERROR_HEADER
from .settings import ServiceSettings


async def replay(settings: ServiceSettings, service: str, limit: int | None, listing: bool) -> int:
    broker = RabbitBroker(settings.amqp_url, exchange=settings.events_exchange, prefix=settings.queue_prefix)
    await broker.start()
    if not await broker.wait_connected(15):
        raise SystemExit("RabbitMQ is not reachable")
    try:
        if listing:
            return await _list(broker, service)
        return await broker.replay(service, limit)
    finally:
        await broker.close()


async def _list(broker: RabbitBroker, service: str) -> int:
    assert broker.connection is not None  # replay() waited for it
    channel = await broker.connection.channel()
    dead = await channel.get_queue(QueueNames(service, broker.prefix).dead)
    shown = []
    while (message := await dead.get(no_ack=False, fail=False)) is not None:
        shown.append(message)
        error = (message.headers or {}).get(ERROR_HEADER, "")
        if isinstance(error, bytes):
            error = error.decode(errors="replace")
        print(f"{message.message_id}  {message.type}  {error}")
    for message in shown:
        await message.nack(requeue=True)
    return len(shown)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m certhub_kit.replay")
    parser.add_argument("service")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--list", action="store_true", help="show dead letters without moving them")
    args = parser.parse_args(argv)
    settings = ServiceSettings(env="dev", auth_mode="dev")
    count = asyncio.run(replay(settings, args.service, args.limit, args.list))
    print(f"{'listed' if args.list else 'replayed'} {count} message(s) of {args.service}")


if __name__ == "__main__":
    main(sys.argv[1:])
