"""Helpers for the certificates integration tests: a running service, a small inline catalog,
scan files, a broker spy, and counters proving nothing was written."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
from dataclasses import dataclass, field

import aio_pika
from PIL import Image
from sqlalchemy import func, select, text

from certhub_kit.events import Envelope, EventData
from certificates.adapters.demo_catalog import entry_specs, load_catalog
from certificates.adapters.tables import catalog_entries, catalog_levels, certificates
from certificates.bootstrap import create_app, load_settings
from tests.support.apps import Clients, running
from tests.support.broker import delete_broker_objects as delete_queues_and_exchanges
from tests.support.waiting import eventually  # noqa: F401  (re-exported: the tests import it from here)

INLINE_CATALOG = [
    {
        "key": "gept",
        "name": "全民英語能力分級檢定測驗",
        "name_en": "GEPT",
        "issuer": "財團法人語言訓練測驗中心",
        "category": 1,
        "foreign": False,
        "national_code": "T-0001",
        "it_certificate": False,
        "bundle": None,
        "levels": [
            {"name": "初級", "cefr": "A2", "min_score": None, "max_score": None},
            {"name": "中級", "cefr": "B1", "min_score": None, "max_score": None},
        ],
    },
    {
        "key": "toeic",
        "name": "多益測驗",
        "name_en": "TOEIC Listening and Reading",
        "issuer": "美國教育測驗服務社(ETS)",
        "category": 1,
        "foreign": True,
        "national_code": "T-0002",
        "it_certificate": False,
        "bundle": None,
        "levels": [
            {"name": "金色證書", "cefr": "B2", "min_score": 860, "max_score": 990},
            {"name": "藍色證書", "cefr": "B1", "min_score": 730, "max_score": 855},
        ],
    },
    {
        "key": "tqc-excel",
        "name": "TQC 電子試算表 Excel",
        "name_en": "TQC Excel",
        "issuer": "財團法人電腦技能基金會",
        "category": 3,
        "foreign": False,
        "national_code": "A123",
        "it_certificate": True,
        "bundle": "TQC",
        "levels": [{"name": "實用級", "cefr": None, "min_score": 70, "max_score": 100}],
    },
    {
        "key": "mos-word",
        "name": "MOS Word 專業級",
        "name_en": "Microsoft Office Specialist: Word",
        "issuer": "Microsoft",
        "category": 3,
        "foreign": True,
        "national_code": "B777",
        "it_certificate": True,
        "bundle": "MOS",
        "levels": [{"name": "Associate", "cefr": None, "min_score": None, "max_score": None}],
    },
    {
        "key": "tech-software",
        "name": "電腦軟體應用乙級技術士",
        "name_en": None,
        "issuer": "勞動部勞動力發展署技能檢定中心",
        "category": 4,
        "foreign": False,
        "national_code": "11800",
        "it_certificate": False,
        "bundle": None,
        "levels": [],
    },
]


@dataclass
class Service:
    app: object
    runtime: object
    clients: Clients
    settings: object
    entries: dict[str, dict] = field(default_factory=dict)  # key → {"id", "levels": {name: id}}

    def as_user(self, username: str, **claims):
        return self.clients.as_user(username, **claims)

    def entry(self, key: str) -> str:
        return self.entries[key]["id"]

    def level(self, key: str, name: str) -> str:
        return self.entries[key]["levels"][name]


async def start_service(settings_for, issuer, tag: str, **overrides):
    """An async context yielding a started service with the inline catalog (use in a module fixture)."""
    settings = load_settings(**settings_for("certificates", isolation=tag, **overrides))
    app = create_app(settings)
    async with running(app):
        runtime = app.state.runtime
        service = Service(app, runtime, Clients(app, issuer), settings)
        async with runtime.uow() as uow:
            await load_catalog(uow, entry_specs(INLINE_CATALOG, {1, 2, 3, 4, 5}))
            await uow.commit()
        service.entries = await catalog_ids(runtime)
        yield service
    await delete_broker_objects(settings)


async def catalog_ids(runtime) -> dict[str, dict]:
    async with runtime.db.engine.connect() as conn:
        entries = (await conn.execute(select(catalog_entries.c.key, catalog_entries.c.id))).all()
        levels = (
            await conn.execute(select(catalog_levels.c.entry_id, catalog_levels.c.name, catalog_levels.c.id))
        ).all()
    out = {key: {"id": str(eid), "levels": {}} for key, eid in entries}
    by_id = {v["id"]: v for v in out.values()}
    for entry_id, name, level_id in levels:
        by_id[str(entry_id)]["levels"][name] = str(level_id)
    return out


async def delete_broker_objects(settings) -> None:
    """The session clean-up only knows numeric isolation tags; remove this module's own."""
    await delete_queues_and_exchanges(settings.amqp_url, [settings.queue_prefix], [settings.events_exchange])


# --- what was written ------------------------------------------------------
async def footprint(runtime) -> dict[str, int]:
    """Rows, outbox events, audit rows and stored objects: compared before/after a rejected call."""
    async with runtime.db.engine.connect() as conn:
        rows = await conn.scalar(select(func.count()).select_from(certificates))
        outbox = await conn.scalar(text("SELECT count(*) FROM outbox"))
        # refusals are audited (``access.denied``) by design; everything else must stay unchanged
        audit = await conn.scalar(text("SELECT count(*) FROM audit_log WHERE action <> 'access.denied'"))
        tokens = await conn.scalar(text("SELECT count(*) FROM confirmation_tokens"))
    return {
        "rows": rows,
        "outbox": outbox,
        "audit": audit,
        "tokens": tokens,
        "scans": len(await runtime.storage.keys("scans")),
        "thumbnails": len(await runtime.storage.keys("thumbnails")),
    }


async def outbox_events(runtime, event_type: str) -> list[dict]:
    async with runtime.db.engine.connect() as conn:
        rows = await conn.execute(text("SELECT envelope FROM outbox WHERE type = :t ORDER BY seq"), {"t": event_type})
        return [r[0] for r in rows]


# --- files -------------------------------------------------------------------
def jpeg_bytes(size=(64, 48), color=(200, 30, 30), *, exif: bool = False) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif:
        meta = Image.Exif()
        meta[0x010F] = "SecretCam"  # Make
        image.save(out, "JPEG", exif=meta)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def png_bytes(size=(40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def form(service: Service, entry: str = "gept", level: str | None = "中級", **overrides) -> dict:
    data = {
        "entry_id": service.entry(entry),
        "issued_on": "2024-03-01",
        "email": "me@demo.certhub.tw",
        "score": "",
        "phone": "07-1234567",
        "mobile": "0912345678",
        "certificate_no": "",
        "remarks": "",
    }
    if level:
        data["level_id"] = service.level(entry, level)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


async def register(
    client,
    service: Service,
    *,
    scan: bytes | None = None,
    filename: str = "scan.jpg",
    content_type: str = "image/jpeg",
    **fields,
):
    files = {"scan": (filename, scan if scan is not None else jpeg_bytes(), content_type)}
    return await client.post("/api/certificates", data=form(service, **fields), files=files)


# --- events --------------------------------------------------------------------
async def publish(
    settings, data: EventData, *, source: str = "review", subject: str | None = None, time=None
) -> Envelope:
    """Publish an event as another service would (body = envelope JSON, message_id = its id)."""
    envelope = Envelope.wrap(data, source=source, subject=subject)
    if time is not None:
        envelope.time = time
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(settings.events_exchange)
        await exchange.publish(
            aio_pika.Message(
                body=envelope.model_dump_json().encode(),
                message_id=str(envelope.id),
                type=envelope.type,
                content_type="application/cloudevents+json",
            ),
            routing_key=envelope.type,
        )
    return envelope


class BrokerSpy:
    """A private queue bound to the test exchange: what this service really put on the broker."""

    def __init__(self, settings, types: list[str]):
        self.settings = settings
        self.types = types
        self.received: list[dict] = []

    async def __aenter__(self) -> BrokerSpy:
        self.connection = await aio_pika.connect(self.settings.amqp_url)
        channel = await self.connection.channel()
        exchange = await channel.get_exchange(self.settings.events_exchange)
        self.queue = await channel.declare_queue(f"spy-{uuid.uuid4().hex}", exclusive=True, auto_delete=True)
        for event_type in self.types:
            await self.queue.bind(exchange, routing_key=event_type)
        await self.queue.consume(self._on_message)
        return self

    async def _on_message(self, message) -> None:
        async with message.process():
            self.received.append(json.loads(message.body))

    async def wait_for(self, event_type: str, subject: str | None = None, timeout: float = 10.0) -> dict:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for envelope in self.received:
                if envelope["type"] == event_type and (subject is None or envelope["subject"] == subject):
                    return envelope
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {event_type} for {subject} on the broker; got {[e['type'] for e in self.received]}")

    async def __aexit__(self, *exc) -> None:
        await self.connection.close()
