"""A running rewards service on real PostgreSQL/RabbitMQ/S3, a settable clock, and event feeding."""

from __future__ import annotations

import base64
import contextlib
import io
import os
import uuid
from datetime import UTC, date, datetime

import aio_pika
from PIL import Image
from sqlalchemy import text

from certhub_kit.events import Envelope
from certhub_kit.events.certificates import (
    CertificateDeleted,
    CertificateSnapshot,
    CertificateStatusChanged,
    StudentRef,
)
from rewards.domain.calendar import TAIPEI
from tests.support.apps import Clients
from tests.support.waiting import eventually

STUDENTS = {
    "s1100001": StudentRef(
        id="s1100001",
        name="王小明",
        email="s1100001@demo.certhub.tw",
        dept="IM",
        division="day",
        program="bachelor",
        class_="IM3A",
    ),
    "s1100002": StudentRef(
        id="s1100002",
        name="李小華",
        email="s1100002@demo.certhub.tw",
        dept="IM",
        division="day",
        program="bachelor",
        class_="IM3A",
    ),
    "s1100003": StudentRef(
        id="s1100003",
        name="陳大文",
        email="s1100003@demo.certhub.tw",
        dept="EE",
        division="day",
        program="bachelor",
        class_="EE2B",
    ),
}
IN_WINDOW = datetime(2026, 4, 15, 10, 0, tzinfo=TAIPEI)  # academic year 114


class Clock:
    def __init__(self, now: datetime = IN_WINDOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def bank_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def passbook_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


class Feeder:
    """Publishes envelopes as 'the certificates service' onto the test exchange."""

    def __init__(self, amqp_url: str, exchange: str):
        self.amqp_url = amqp_url
        self.exchange_name = exchange
        self.versions: dict[uuid.UUID, int] = {}

    async def __aenter__(self) -> Feeder:
        self.connection = await aio_pika.connect(self.amqp_url)
        channel = await self.connection.channel(publisher_confirms=True)
        self.exchange = await channel.get_exchange(self.exchange_name)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.connection.close()

    async def publish(self, envelope: Envelope) -> None:
        await self.exchange.publish(
            aio_pika.Message(
                body=envelope.model_dump_json().encode(),
                message_id=str(envelope.id),
                type=envelope.type,
                content_type="application/cloudevents+json",
            ),
            routing_key=envelope.type,
        )

    def snapshot(
        self,
        certificate_id: uuid.UUID,
        student: str,
        entry_key: str,
        entry_name: str,
        level_name: str | None,
        status: str,
        version: int | None = None,
    ) -> CertificateStatusChanged:
        version = version if version is not None else self.versions.get(certificate_id, 0) + 1
        self.versions[certificate_id] = max(version, self.versions.get(certificate_id, 0))
        snapshot = CertificateSnapshot(
            certificate_id=certificate_id,
            student=STUDENTS[student],
            entry_id=uuid.uuid4(),
            entry_key=entry_key,
            entry_name=entry_name,
            category=1,
            level_name=level_name,
            issued_on=date(2026, 1, 10),
            status=status,
            version=version,
            registered_at=datetime.now(UTC),
        )
        return CertificateStatusChanged(certificate=snapshot, from_status="verifying", to_status=status)

    async def certificate(
        self,
        student: str,
        entry_key: str,
        entry_name: str,
        level_name: str | None = None,
        status: str = "approved",
        certificate_id: uuid.UUID | None = None,
        version: int | None = None,
    ) -> uuid.UUID:
        certificate_id = certificate_id or uuid.uuid4()
        event = self.snapshot(certificate_id, student, entry_key, entry_name, level_name, status, version)
        await self.publish(Envelope.wrap(event, source="certificates", subject=str(certificate_id)))
        return certificate_id

    async def deleted(self, certificate_id: uuid.UUID, student: str) -> None:
        await self.publish(
            Envelope.wrap(
                CertificateDeleted(certificate_id=certificate_id, student_id=student),
                source="certificates",
                subject=str(certificate_id),
            )
        )


async def projected(app, certificate_id: uuid.UUID):
    async with app.state.runtime.db.engine.connect() as conn:
        return (
            await conn.execute(
                text("SELECT status, version, deleted FROM eligible_certificates WHERE certificate_id = :i"),
                {"i": certificate_id},
            )
        ).first()


async def wait_projected(app, certificate_id: uuid.UUID, status: str | None = None, *, deleted: bool = False):
    async def check():
        row = await projected(app, certificate_id)
        if row is None:
            return None
        if deleted:
            return row if row.deleted else None
        return row if status is None or row.status == status else None

    return await eventually(check)


class World:
    def __init__(self, app, issuer, clock: Clock, feeder: Feeder):
        self.app = app
        self.clients = Clients(app, issuer)
        self.clock = clock
        self.feeder = feeder

    def as_user(self, username: str):
        return self.clients.as_user(username)


@contextlib.asynccontextmanager
async def rewards_world(settings_for, issuer, amqp_url: str, tag: str, **overrides):
    from rewards.bootstrap import create_app, load_settings
    from tests.support.apps import running

    clock = Clock()
    settings = load_settings(**settings_for("rewards", isolation=tag, **{"bank_key": bank_key(), **overrides}))
    app = create_app(settings, clock=clock)
    async with running(app), Feeder(amqp_url, settings.events_exchange) as feeder:
        yield World(app, issuer, clock, feeder)


SECURITIES = {
    "academic_year": 114,
    "scope": "school",
    "level": 1,
    "item": 3,
    "name": "證券商業務員",
    "amount": 5000,
    "required_count": 1,
    "qualifying": [{"certificate_key": "securities-specialist", "levels": None}],
}
TQC = {
    "academic_year": 114,
    "scope": "IM",
    "level": 2,
    "item": 16,
    "name": "TQC+認證",
    "amount": 3000,
    "required_count": 2,
    "qualifying": [
        {"certificate_key": "tqcplus-python3", "levels": None},
        {"certificate_key": "tqc-word", "levels": ["專業級"]},
    ],
}
GEPT = {
    "academic_year": 114,
    "scope": "school",
    "level": 3,
    "item": 8,
    "name": "全民英檢中級或同等級英語檢定",
    "amount": 2000,
    "required_count": 1,
    "qualifying": [{"certificate_key": "gept", "levels": ["中級"]}],
}
EE_NET = {
    "academic_year": 114,
    "scope": "EE",
    "level": 3,
    "item": 9,
    "name": "網路通訊國際證照",
    "amount": 2000,
    "required_count": 1,
    "qualifying": [{"certificate_key": "cisco-ccna", "levels": None}],
}


async def seed_standards(world: World, *bodies: dict) -> dict[str, dict]:
    made = {}
    async with world.as_user("admin") as admin:
        for body in bodies or (SECURITIES, TQC, GEPT, EE_NET):
            response = await admin.post("/api/rewards/standards", json=body)
            assert response.status_code == 201, response.text
            made[body["name"]] = response.json()
    return made
