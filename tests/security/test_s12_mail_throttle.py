"""S12: mail is no spam cannon. Thirty resend-confirmation calls at once send one mail (the rest: 429
with ``Retry-After`` and a zh-TW/English message); a student's resends over all their certificates are
capped per hour; an email field holding anything but exactly one plain address (a second address after
a comma or semicolon, a display name, CR/LF, spaces) is a 422 and nothing is stored or mailed."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.security
STUDENT = "s1100003"  # 陳大文: no other test resends as him (the budget left is read all the same)
BAD_EMAILS = (
    "s1100003@demo.certhub.tw,postmaster",
    "s1100003@demo.certhub.tw;postmaster@demo.certhub.tw",
    "陳大文 <s1100003@demo.certhub.tw>",
    "<s1100003@demo.certhub.tw>",
    "s1100003@demo.certhub.tw\r\nBcc: x@y.tw",
    "s1100003@demo.certhub.tw\n",
    "s1100003@demo.certhub.tw postmaster@demo.certhub.tw",
    '"a,b"@demo.certhub.tw',
    "s1100003@demo.certhub.tw\x00",
)


async def resent_events(fleet, certificate_id: str) -> int:
    async with fleet.runtime("certificates").db.engine.connect() as conn:
        return await conn.scalar(
            text(
                "SELECT count(*) FROM outbox WHERE envelope->>'type' = "
                "'certificate.confirmation_resent.v1' AND envelope->>'subject' = :s"
            ),
            {"s": certificate_id},
        )


async def test_s12_resends_are_throttled_and_an_email_is_one_address(fleet):
    certificate = (await fleet.register(STUDENT, "mos-word", "專業級(Associate)"))["id"]
    path = f"/api/certificates/{certificate}/resend-confirmation"
    async with fleet.client("certificates", STUDENT) as client:
        just_registered = await client.post(path)
        assert just_registered.status_code == 429 and int(just_registered.headers["retry-after"]) <= 60
        await fleet.mailed_long_ago(certificate)
        burst = await asyncio.gather(*(client.post(path) for _ in range(30)))
    statuses = sorted(a.status_code for a in burst)
    throttled = [a for a in burst if a.status_code == 429]
    assert statuses == [202] + [429] * 29, statuses
    for answer in throttled:
        error = answer.json()["error"]
        assert (
            error["code"] == "resend_throttled" and "秒後再試" in error["message"] and "seconds" in error["message_en"]
        )
        assert 1 <= int(answer.headers["retry-after"]) <= 60
    burst_mails = await resent_events(fleet, certificate)

    # the student's hourly budget counts every certificate: what is left of it, then 429 for about an hour
    left = 5 - await _resends_this_hour(fleet)
    others = [
        (await fleet.register(STUDENT, key, "專業級(Associate)"))["id"]
        for key in ("mos-excel", "mos-powerpoint", "mos-outlook", "mos-access", "mos-word")[: left + 1]
    ]
    answers = []
    async with fleet.client("certificates", STUDENT) as client:
        for other in others:
            await fleet.mailed_long_ago(other)
            answers.append(await client.post(f"/api/certificates/{other}/resend-confirmation"))
    assert [a.status_code for a in answers] == [202] * left + [429]
    capped = answers[-1]
    assert "一小時內" in capped.json()["error"]["message"] and int(capped.headers["retry-after"]) > 3000

    # an email field is exactly one address: registering and editing
    before = await fleet.fingerprint(["certificates"])
    refused = 0
    async with fleet.client("certificates", STUDENT) as client:
        for bad in BAD_EMAILS:
            edit = await client.patch(f"/api/certificates/{certificate}", data={"email": bad})
            created = await _register_with(fleet, client, bad)
            refused += all(
                a.status_code == 422 and a.json()["error"]["code"] in ("bad_email", "invalid", "nul_character")
                for a in (edit, created)
            )
    after = await fleet.fingerprint(["certificates"])
    assert after == before, [k for k in after if after[k] != before.get(k)]
    print(
        f"S12: 30 resends at once sent {burst_mails} mail(s), {len(throttled)} answered 429 with Retry-After; "
        f"the student's 6th resend within an hour answered 429 (Retry-After {capped.headers['retry-after']} s); "
        f"{refused}/{len(BAD_EMAILS)} multi-address or decorated emails refused with 422 on register and edit"
    )
    assert burst_mails == 1 and refused == len(BAD_EMAILS)


async def _resends_this_hour(fleet) -> int:
    async with fleet.runtime("certificates").db.engine.connect() as conn:
        return await conn.scalar(
            text(
                "SELECT count(*) FROM confirmation_resends WHERE student_id = :s "
                "AND sent_at > now() - interval '1 hour'"
            ),
            {"s": STUDENT},
        )


async def _register_with(fleet, client, email: str):
    from datetime import date, timedelta

    from tests.support.samples import certificate_jpeg

    data = {
        "entry_id": fleet.entries["gept"]["id"],
        "level_id": fleet.level("gept", "中級"),
        "email": email,
        "issued_on": (date.today() - timedelta(days=10)).isoformat(),
    }
    return await client.post(
        "/api/certificates", data=data, files={"scan": ("s.jpg", certificate_jpeg(5), "image/jpeg")}
    )
