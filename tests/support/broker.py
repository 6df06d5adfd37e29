"""Removing a test's queues and exchanges from the shared RabbitMQ, written once."""

from __future__ import annotations

from collections.abc import Iterable

import aio_pika

from certhub_kit.events.topology import queue_name
from certhub_kit.services import SERVICES


async def delete_broker_objects(amqp_url: str, prefixes: Iterable[str], exchanges: Iterable[str]) -> None:
    """Every service's queues (main, retry, dead) under each prefix, then the exchanges. Objects already
    gone are skipped; a broker that does not answer within 10 s is left alone (the clean-up never hangs)."""
    try:
        connection = await aio_pika.connect(amqp_url, timeout=10)
    except Exception:
        return
    async with connection:
        channel = await connection.channel()
        for prefix in prefixes:
            for service in SERVICES:
                main = queue_name(service, prefix)
                for name in (main, f"{main}.retry", f"{main}.dead"):
                    try:
                        await channel.queue_delete(name)
                    except Exception:  # a failed operation closes the channel
                        channel = await connection.channel()
        for name in exchanges:
            try:
                await channel.exchange_delete(name)
            except Exception:
                channel = await connection.channel()
