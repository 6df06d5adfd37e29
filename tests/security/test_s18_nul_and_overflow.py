"""S18: a NUL character in any text (query, JSON body, form field), a cursor holding a huge integer
and numbers PostgreSQL cannot hold (beyond int8, refused by the kit; beyond int4, refused by the
rules or, reaching the database, mapped from its data exception) are a 422 with a zh-TW + English
message in every service — never a 500 — and nothing is written. The errors log no parameters: a
canary email address and phone number sent in every one of these requests' bodies, and bound to a
failing statement, appear 0 times in the log output (query strings are in every access log by
design: nothing personal is sent in one)."""

from __future__ import annotations

import base64
import logging
import random
import re
import uuid
from datetime import date, timedelta

import pytest
import structlog
from sqlalchemy import text

from certhub_kit.http import value_refused_by_database
from tests.support.fleet import SERVICES
from tests.support.samples import certificate_jpeg

pytestmark = pytest.mark.security
STUDENT = "s1100003"
CJK = re.compile(r"[\u4e00-\u9fff]")
CANARY_EMAIL = f"canary{random.randrange(10**6):06d}@leak.example"
CANARY_PHONE = "09" + "".join(random.choice("0123456789") for _ in range(8))
HUGE_CURSOR = base64.urlsafe_b64encode(b"[" + b"9" * 40 + b"]").decode().rstrip("=")  # an offset of 10**40 - 1


def cases(fleet) -> list[tuple[str, str, str, str, dict]]:
    """(label, who, method, path, httpx arguments)"""
    gept = fleet.entries["gept"]
    registration = {
        "entry_id": gept["id"],
        "level_id": gept["levels"]["中級"],
        "email": CANARY_EMAIL,
        "phone": CANARY_PHONE,
        "issued_on": (date.today() - timedelta(days=9)).isoformat(),
    }
    scan = {"scan": ("scan.jpg", certificate_jpeg(1818), "image/jpeg")}
    standard = {
        "academic_year": 114,
        "scope": "all",
        "level": 1,
        "item": 99,
        "name": "溢位 overflow",
        "amount": 100,
        "qualifying": [{"certificate_key": "gept"}],
    }
    bank = {
        "method": "bank",
        "code": "0040174",
        "account_no": "123456789012",
        "account_name": "陳大\x00文",
        "postal_code": "900",
        "address": CANARY_EMAIL,
    }
    return [
        ("dept", "center", "GET", "/api/certificates", {"params": {"dept": "IM\x00"}}),
        ("student", "center", "GET", "/api/certificates", {"params": {"student": "s110\x00"}}),
        ("name", "center", "GET", "/api/rewards/applications", {"params": {"name": "王\x00"}}),
        ("mailbox to", "no_token", "GET", "/api/dev/mailbox", {"params": {"to": "s1100003@demo.certhub.tw\x00"}}),
        (
            "catalog-request name",
            STUDENT,
            "POST",
            "/api/catalog/requests",
            {"json": {"name": "雲端\x00證照", "note": CANARY_PHONE}},
        ),
        (
            "multipart remarks",
            STUDENT,
            "POST",
            "/api/certificates",
            {"data": {**registration, "remarks": "備註\x00"}, "files": scan},
        ),
        ("bank-account form", STUDENT, "PUT", f"/api/rewards/applications/{uuid.uuid4()}/bank-account", {"data": bank}),
        ("huge cursor", "center", "GET", "/api/catalog", {"params": {"cursor": HUGE_CURSOR}}),
        ("huge query integer", "center", "GET", "/api/notify/deliveries", {"params": {"limit": "9" * 30}}),
        ("int8 in JSON", "admin", "POST", "/api/rewards/standards", {"json": {**standard, "amount": 2**64}}),
        ("2**31 in JSON", "admin", "POST", "/api/rewards/standards", {"json": {**standard, "academic_year": 2**31}}),
    ]


def clear_422(answer) -> bool:
    try:
        error = answer.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return answer.status_code == 422 and bool(CJK.search(error["message"])) and bool(error["message_en"])


async def test_s18_nul_and_huge_numbers_are_422_and_nothing_is_written(fleet, capfd):
    await fleet.quiet()
    before, outbox = await fleet.fingerprint(), await fleet.outbox_count()
    refused, wrong = 0, []
    for label, who, method, path, kwargs in cases(fleet):
        async with fleet.at(path, who) as client:
            answer = await client.request(method, path, **kwargs)
        if clear_422(answer):
            refused += 1
        else:
            wrong.append(f"{label}: {answer.status_code} {answer.text[:160]}")
    await fleet.quiet()
    unchanged = await fleet.fingerprint() == before and await fleet.outbox_count() == outbox
    logged = await _a_database_error_logged(fleet)
    out, err = capfd.readouterr()
    leaks = (out + err).count(CANARY_EMAIL) + (out + err).count(CANARY_PHONE)
    print(
        f"\nS18: {refused}/{len(cases(fleet))} NUL / huge-number requests (dept, student, name, mailbox to, "
        f"catalog-request name, multipart remarks, form, cursor, query, JSON 2**64 and 2**31) answered 422 "
        f"with zh-TW + English, 0 server errors, rows/outbox {'unchanged' if unchanged else 'CHANGED'}; canary "
        f"email/phone {leaks} times in {len((out + err).splitlines()):,} log lines"
    )
    assert not wrong, wrong
    assert unchanged
    leaked = [line for line in (out + err).splitlines() if CANARY_EMAIL in line or CANARY_PHONE in line]
    assert logged and leaks == 0, leaked


async def _a_database_error_logged(fleet) -> bool:
    """A statement bound to the canaries fails in PostgreSQL (an int4 overflow) and is logged the way the
    kit logs an unexpected error — through structlog and the stdlib logger: the SQL text is there, the
    values are not."""
    engine = fleet.runtime("certificates").db.engine
    try:
        async with engine.connect() as conn:
            await conn.execute(
                text("SELECT CAST(:email AS text), CAST(:phone AS text), CAST(:n AS int4)"),
                {"email": CANARY_EMAIL, "phone": CANARY_PHONE, "n": 2**40},
            )
    except Exception as exc:  # noqa: BLE001 - the point is to log it
        assert value_refused_by_database(exc) is not None
        structlog.get_logger("certhub.http").exception("unhandled_error", path="/s18")
        logging.getLogger("sqlalchemy.engine").error("statement failed", exc_info=exc)
        logging.getLogger("certhub.s18").error("failed: %s", exc)
        return True
    return False


@pytest.mark.parametrize("service", SERVICES)
async def test_s18_a_nul_in_a_path_is_refused(fleet, service):
    path = {
        "certificates": "/api/certificates/a%00b",
        "review": "/api/review/a%00b",
        "rewards": "/api/rewards/applications/a%00b",
        "notify": "/api/notify/deliveries?status=a%00",
        "credentials": "/api/credentials/a%00b",
    }[service]
    async with fleet.client(service, "center") as client:
        answer = await client.get(path)
    assert answer.status_code in (404, 422) and answer.json()["error"]["message_en"]


async def test_s18_a_value_postgresql_refuses_is_a_422_not_a_500(fleet) -> None:
    """Whatever slips past the rules: a real int4 overflow and a real NUL, raised by PostgreSQL's driver
    inside a request of an app with the kit's error handlers, answer 422 in the kit's shape."""
    import httpx
    from fastapi import FastAPI

    from certhub_kit.http import install_error_handlers

    engine = fleet.runtime("certificates").db.engine
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/probe/{kind}")
    async def probe(kind: str) -> dict:
        value = {"int4": 2**31, "nul": "a\x00b"}[kind]
        cast = "int4" if kind == "int4" else "text"
        async with engine.connect() as conn:
            await conn.execute(text(f"SELECT CAST(:v AS {cast})"), {"v": value})
        return {}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        answers = [await client.get(f"/probe/{kind}") for kind in ("int4", "nul")]
    assert [a.status_code for a in answers] == [422, 422], [a.text for a in answers]
    errors = [a.json()["error"] for a in answers]
    assert all(e["code"] == "invalid_value" and CJK.search(e["message"]) for e in errors)
