"""S6: a canary bank account number goes through the whole reward flow across all four services
(certificate → review → application → bank account → 初審 → 複審 → payout → export → paid → mails)
and then appears 0 times in the services' log output, in event bodies (every outbox row of every
service and every message on the exchange) and in the unencrypted columns of every table of every
service database. (tests/integration/rewards/test_payout_flow.py proves the same inside rewards.)"""

from __future__ import annotations

import json
import logging
import random

import aio_pika
import pytest
from sqlalchemy import text

from tests.support.fleet import SERVICES

pytestmark = pytest.mark.security
STUDENT = "s1100002"  # 李小華
CANARY = "9" + "".join(random.choice("0123456789") for _ in range(11))  # 12 digits: a 臺灣銀行 account


class ExchangeTap:
    """A private queue bound to '#' on the fleet's exchange: every event any service published."""

    def __init__(self, settings):
        self.settings = settings
        self.bodies: list[str] = []

    async def __aenter__(self):
        self.connection = await aio_pika.connect(self.settings.amqp_url)
        channel = await self.connection.channel()
        exchange = await channel.get_exchange(self.settings.events_exchange)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="#")
        await queue.consume(self._keep, no_ack=True)
        return self

    async def _keep(self, message) -> None:
        self.bodies.append(message.body.decode("utf-8", "replace"))

    async def __aexit__(self, *exc):
        await self.connection.close()


class Records(logging.Handler):
    """Every stdlib log record at DEBUG, formatted with its arguments (beside structlog's stdout)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''}")


async def test_s6_canary_account_number_is_nowhere_in_clear(fleet, capfd, smtp_sink):
    records, root = Records(), logging.getLogger()
    level, root.level = root.level, logging.DEBUG
    root.addHandler(records)
    try:
        await _flow_and_checks(fleet, capfd, smtp_sink, records)
    finally:
        root.removeHandler(records)
        root.setLevel(level)


async def _flow_and_checks(fleet, capfd, smtp_sink, records):
    async with ExchangeTap(fleet.runtime("rewards").settings) as tap:
        certificate = (await fleet.register(STUDENT, "gept", "中級"))["id"]
        await fleet.approve(certificate)
        application = (await fleet.apply(STUDENT, "全民英檢中級或同等級英語檢定", [certificate]))["id"]
        saved = await fleet.bank_account(STUDENT, application, CANARY, "李小華")
        assert saved["account_masked"].endswith(CANARY[-4:]) and CANARY not in json.dumps(saved)
        await fleet.reviewed(application)
        async with fleet.client("rewards", "center") as centre:
            batch = (await centre.post("/api/rewards/payouts", json={"application_ids": [application]})).json()
            assert batch["applications"][0]["bank_account_full"]["account_no"] == CANARY  # the one place it shows
            exported = await centre.get(f"/api/rewards/payouts/{batch['id']}/export.csv")
            assert CANARY in exported.content.decode("utf-8-sig")
            assert (await centre.post(f"/api/rewards/payouts/{batch['id']}/paid")).status_code == 200
            assert CANARY not in (await centre.get("/api/rewards/applications/export.csv")).text
        await fleet.quiet()
    out, err = capfd.readouterr()
    logs = out + err + "\n".join(records.lines)
    mails = "".join(m.as_string() for m in smtp_sink.messages)

    envelopes, columns, hits = 0, 0, []
    for service in SERVICES:
        async with fleet.runtime(service).db.engine.connect() as conn:
            for (body,) in await conn.execute(text("SELECT envelope::text FROM outbox")):
                envelopes += 1
                if CANARY in body:
                    hits.append(f"{service} outbox")
            found = (
                await conn.execute(
                    text(
                        "SELECT table_name, column_name, data_type FROM information_schema.columns "
                        "WHERE table_schema = 'public' "
                        "AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY')"
                    )
                )
            ).all()
            for table, column, kind in found:
                columns += 1
                condition = (
                    f"position(convert_to(:c, 'UTF8') in \"{column}\") > 0"
                    if kind == "bytea"
                    else f'"{column}"::text LIKE :like'
                )
                count = await conn.scalar(
                    text(f'SELECT count(*) FROM "{table}" WHERE {condition}'), {"c": CANARY, "like": f"%{CANARY}%"}
                )
                if count:
                    hits.append(f"{service}.{table}.{column} ({count} rows)")
    in_logs = logs.count(CANARY)
    on_broker = sum(CANARY in body for body in tap.bodies)
    print(
        f"\nS6: canary {CANARY[:2]}…{CANARY[-2:]} after a full reward flow: {in_logs} in {len(logs.splitlines()):,} "
        f"log lines, {on_broker} in {len(tap.bodies)} broker messages, {sum('outbox' in h for h in hits)} in "
        f"{envelopes} outbox rows, {sum('outbox' not in h for h in hits)} in {columns} text/json/bytea columns "
        f"of {len(SERVICES)} databases, {mails.count(CANARY)} in {len(smtp_sink.messages)} mails"
    )
    assert application in logs, "the capture must see the services' own log lines"
    assert len(tap.bodies) >= 7, "the tap must have seen the flow's events"
    assert in_logs == 0 and on_broker == 0 and not hits and CANARY not in mails, hits
