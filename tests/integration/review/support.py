"""Feeding certificate events to the review service over the real broker, and listening to its output."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime
from typing import Any

import aio_pika
from PIL import Image

from certhub_kit.auth import demo_claims
from certhub_kit.events import Envelope, EventData
from certhub_kit.events.certificates import (
    CertificateConfirmed,
    CertificateDeleted,
    CertificateRegistered,
    CertificateSnapshot,
    CertificateStatusChanged,
    CertificateUpdated,
    StudentRef,
)
from tests.support.waiting import eventually  # noqa: F401  (re-exported: the tests import it from here)

ENTRIES = {
    "tqc-word": ("TQC 文書處理", 3, True, "TQC"),
    "tqc-excel": ("TQC 電子試算表", 3, True, "TQC"),
    "tqc-powerpoint": ("TQC 簡報", 3, True, "TQC"),
    "tqc-chinese-typing": ("TQC 中文輸入", 3, True, "TQC"),
    "mos-word": ("MOS Word", 3, True, "MOS"),
    "mos-excel": ("MOS Excel", 3, True, "MOS"),
    "mos-powerpoint": ("MOS PowerPoint", 3, True, "MOS"),
    "cisco-ccna": ("Cisco CCNA", 3, True, None),
    "its-python": ("ITS Python", 3, True, None),
    "gept": ("全民英檢", 1, False, None),
    "toeic-lr": ("多益", 1, False, None),
}


def student(username: str) -> StudentRef:
    claims = demo_claims(username)
    return StudentRef(
        id=username,
        name=claims["name"],
        email=claims["email"],
        dept=claims["dept"][0],
        division=claims.get("division"),
        program=claims.get("program"),
        class_=claims.get("class"),
    )


def snapshot(
    username: str = "s1100001",
    entry_key: str = "cisco-ccna",
    *,
    status: str = "submitted",
    version: int = 1,
    certificate_id: uuid.UUID | None = None,
    issued_on: date | None = None,
    registered_at: datetime | None = None,
    submitted_at: datetime | None = None,
    category: int | None = None,
    **extra: Any,
) -> CertificateSnapshot:
    name, default_category, it_certificate, bundle = ENTRIES.get(entry_key, (entry_key, 5, False, None))
    now = datetime.now(UTC)
    registered = registered_at or now
    return CertificateSnapshot(
        certificate_id=certificate_id or uuid.uuid4(),
        student=student(username),
        entry_id=uuid.uuid5(uuid.NAMESPACE_URL, entry_key),
        entry_key=entry_key,
        entry_name=name,
        category=category if category is not None else default_category,
        it_certificate=it_certificate,
        bundle=bundle,
        issued_on=issued_on or registered.date(),
        status=status,
        version=version,
        registered_at=registered,
        submitted_at=submitted_at or (registered if status != "draft" else None),
        **extra,
    )


def bumped(s: CertificateSnapshot, status: str, **changes: Any) -> CertificateSnapshot:
    return s.model_copy(update={"status": status, "version": s.version + 1, **changes})


def registered(s: CertificateSnapshot) -> CertificateRegistered:
    return CertificateRegistered(certificate=s)


def confirmed(s: CertificateSnapshot) -> CertificateConfirmed:
    return CertificateConfirmed(certificate=s)


def updated(s: CertificateSnapshot) -> CertificateUpdated:
    return CertificateUpdated(certificate=s)


def status_changed(s: CertificateSnapshot, from_status: str) -> CertificateStatusChanged:
    return CertificateStatusChanged(certificate=s, from_status=from_status, to_status=s.status)


def deleted(s: CertificateSnapshot) -> CertificateDeleted:
    return CertificateDeleted(certificate_id=s.certificate_id, student_id=s.student.id)


def png(seed: int = 0, size: int = 64) -> bytes:
    image = Image.new("RGB", (size, size), (seed * 37 % 255, 120, 200))
    for x in range(size):
        image.putpixel((x, (x * (seed + 3)) % size), (0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Broker:
    """Plays the certificates service on the test exchange, and listens to what review emits."""

    def __init__(self, url: str, exchange: str):
        self.url = url
        self.exchange_name = exchange
        self.received: list[Envelope] = []

    async def start(self, listen_to: list[str]) -> Broker:
        self.connection = await aio_pika.connect_robust(self.url)
        self.channel = await self.connection.channel(publisher_confirms=True)
        self.exchange = await self.channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await self.channel.declare_queue(exclusive=True, auto_delete=True)
        for event_type in listen_to:
            await queue.bind(self.exchange, routing_key=event_type)
        await queue.consume(self._on_message, no_ack=True)
        return self

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        self.received.append(Envelope.model_validate_json(message.body))

    async def publish(self, data: EventData) -> Envelope:
        envelope = Envelope.wrap(data, source="certificates", subject=str(getattr(data, "certificate_id", "")))
        await self.exchange.publish(
            aio_pika.Message(
                body=envelope.model_dump_json().encode(),
                message_id=str(envelope.id),
                type=envelope.type,
                content_type="application/cloudevents+json",
            ),
            routing_key=envelope.type,
        )
        return envelope

    async def redeliver(self, envelope: Envelope) -> None:
        await self.exchange.publish(
            aio_pika.Message(body=envelope.model_dump_json().encode(), message_id=str(envelope.id), type=envelope.type),
            routing_key=envelope.type,
        )

    def of(self, event_type: str, certificate_id: Any = None) -> list[dict]:
        return [
            e.data
            for e in self.received
            if e.type == event_type and (certificate_id is None or e.data.get("certificate_id") == str(certificate_id))
        ]

    async def close(self) -> None:
        await self.connection.close()
