"""Helpers for notify's integration tests: publish real envelopes, read real mails."""

from __future__ import annotations

import uuid
from email.header import decode_header, make_header
from email.message import Message

import aio_pika
from prometheus_client import REGISTRY
from sqlalchemy import select, text

from certhub_kit.events import Envelope, EventData
from notify.adapters.orm import delivery
from tests.support.broker import delete_broker_objects as delete_queues_and_exchanges
from tests.support.waiting import eventually

ENGLISH_MARK = "======== English ========"


def envelope(data: EventData, source: str = "certificates") -> Envelope:
    return Envelope.wrap(data, source=source, subject=str(uuid.uuid4()))


class Publisher:
    """Publishes envelopes onto the test exchange, as another service's relay would."""

    def __init__(self, amqp_url: str, exchange: str):
        self.amqp_url = amqp_url
        self.exchange_name = exchange
        self.connection = None
        self.channel = None

    async def __aenter__(self) -> Publisher:
        self.connection = await aio_pika.connect(self.amqp_url)
        self.channel = await self.connection.channel(publisher_confirms=True)
        self.exchange = await self.channel.get_exchange(self.exchange_name)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.connection.close()

    async def publish(self, env: Envelope) -> Envelope:
        await self.exchange.publish(
            aio_pika.Message(
                body=env.model_dump_json().encode(),
                message_id=str(env.id),
                type=env.type,
                content_type="application/cloudevents+json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=env.type,
        )
        return env

    async def listen(self, event_type: str) -> aio_pika.abc.AbstractQueue:
        queue = await self.channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(self.exchange, routing_key=event_type)
        return queue


async def delete_broker_objects(amqp_url: str, prefix: str, exchange: str) -> None:
    """Removes this module's queues and exchange from the shared broker."""
    await delete_queues_and_exchanges(amqp_url, [prefix], [exchange])


async def consumed(runtime, event_id: uuid.UUID) -> None:
    async def check():
        async with runtime.uow() as uow:
            return (
                await uow.session.execute(text("SELECT 1 FROM inbox WHERE event_id = :e"), {"e": event_id})
            ).first() is not None

    await eventually(check)


async def deliveries_of(runtime, event_id: uuid.UUID) -> list:
    async with runtime.uow() as uow:
        return list((await uow.session.execute(select(delivery).where(delivery.c.event_id == event_id))).all())


async def quiet(runtime) -> None:
    """Wait until nothing is pending in the delivery log (so an SMTP refusal hits the next mail)."""

    async def check():
        async with runtime.uow() as uow:
            return await uow.deliveries.count_pending() == 0

    await eventually(check)


def consumed_count(queue: str, outcome: str) -> float:
    return (
        REGISTRY.get_sample_value(
            "certhub_events_consumed_total", {"service": "notify", "queue": queue, "outcome": outcome}
        )
        or 0.0
    )


def mail_failures(template: str) -> float:
    return REGISTRY.get_sample_value("certhub_mail_failures_total", {"template": template}) or 0.0


def subject_of(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def parts_of(message: Message) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if part.get_content_maintype() == "text":
            found[part.get_content_type()] = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return found


def to(address: str):
    return lambda message: (message["To"] or "").strip().lower() == address.lower()


def unique_address(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@demo.certhub.tw"
