"""S5: replayed, expired, forged, superseded and other-certificate confirmation links — 100 %
refused, and nothing changes (certificate rows and statuses, audit rows, outbox events, objects).
(tests/integration/certificates/test_confirmation_flow.py proves the happy path and GET-vs-POST.)"""

from __future__ import annotations

import secrets
from urllib.parse import unquote

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.security
STUDENT = "s1100002"


async def status_of(fleet, certificate_id: str) -> str:
    async with fleet.client("certificates", STUDENT) as client:
        return (await client.get(f"/api/certificates/{certificate_id}")).json()["status"]


def clear(answer) -> bool:
    """The link page (zh-TW + English), or the JSON error of a path no route matches."""
    if answer.headers.get("content-type", "").startswith("application/json"):
        error = answer.json().get("error") or {}
        return bool(error.get("message") and error.get("message_en"))
    return ("連結" in answer.text or "確認" in answer.text) and ("link" in answer.text.lower())


async def audit_count(fleet) -> int:
    async with fleet.runtime("certificates").db.engine.connect() as conn:
        return await conn.scalar(text("SELECT count(*) FROM audit_log"))


async def test_s5_bad_confirmation_links_are_refused_and_change_nothing(fleet):
    drafts = [
        (await fleet.register(STUDENT, key, "專業級"))["id"] for key in ("tqc-word", "tqc-excel", "tqc-powerpoint")
    ]
    used, expiring, pending = drafts
    used_token = await fleet.confirmation_token(used)
    await fleet.confirmed(used)  # the one good click
    expired_token = await fleet.confirmation_token(expiring)
    async with fleet.runtime("certificates").db.engine.begin() as conn:
        await conn.execute(
            text("UPDATE confirmation_tokens SET expires_at = now() - interval '1 second' WHERE certificate_id = :c"),
            {"c": expiring},
        )
    old_token = await fleet.confirmation_token(pending)
    await fleet.mailed_long_ago(pending)
    async with fleet.client("certificates", STUDENT) as client:
        assert (await client.post(f"/api/certificates/{pending}/resend-confirmation")).status_code == 202
    pending_token = await fleet.confirmation_token(pending)
    assert pending_token != old_token
    await fleet.quiet()

    flipped = pending_token[:-1] + ("A" if pending_token[-1] != "A" else "B")
    attempts = {
        "replayed": [used_token] * 3,
        "expired": [expired_token] * 2,
        "superseded": [old_token] * 2,
        "forged": [secrets.token_urlsafe(32) for _ in range(5)]
        + [flipped, pending_token[:20], pending_token + "x", "..%2F..%2Fetc%2Fpasswd", "%00", "A" * 500],
    }
    before = (await fleet.footprint("certificates"), await audit_count(fleet))
    statuses = {c: await status_of(fleet, c) for c in drafts}
    tried, refused, failures = 0, 0, []
    async with fleet.client("certificates", "no_token") as anonymous:
        for kind, tokens in attempts.items():
            for token in tokens:
                for method in ("POST", "GET"):
                    answer = await anonymous.request(method, f"/api/confirm/{token}")
                    tried += 1
                    # a NUL is refused by the kit's input guard (422) before any link is looked up
                    expected = (404, 410, 422) if "\x00" in unquote(token) else (404, 410)
                    if answer.status_code in expected and clear(answer):
                        refused += 1
                    else:
                        failures.append(f"{kind} {method} {token[:12]}…: {answer.status_code} {answer.text[:120]}")
        # other-certificate: a link confirms only its own certificate, whatever else the request names
        other = 0
        for extra in (
            {"params": {"certificate_id": expiring}},
            {"json": {"certificate_id": expiring}},
            {"data": {"certificate_id": expiring, "id": expiring}},
        ):
            answer = await anonymous.post(f"/api/confirm/{used_token}", **extra)
            tried, other = tried + 1, other + 1
            if answer.status_code == 410:
                refused += 1
            else:
                failures.append(f"other-certificate: {answer.status_code} {answer.text[:120]}")
    after = (await fleet.footprint("certificates"), await audit_count(fleet))
    now = {c: await status_of(fleet, c) for c in drafts}
    print(
        f"\nS5: {tried} bad confirmation requests (replayed {len(attempts['replayed']) * 2}, expired "
        f"{len(attempts['expired']) * 2}, superseded {len(attempts['superseded']) * 2}, forged "
        f"{len(attempts['forged']) * 2}, other-certificate {other}), {refused} refused "
        f"({100 * refused / tried:.0f} %), {int(after != before) + int(now != statuses)} changes"
    )
    assert not failures, "\n".join(failures)
    assert after == before, "a refused link changed rows, events, objects or the audit trail"
    assert now == statuses == {used: "submitted", expiring: "draft", pending: "draft"}

    # and the current link of the pending draft still works exactly once
    async with fleet.client("certificates", "no_token") as anonymous:
        assert (await anonymous.post(f"/api/confirm/{pending_token}")).status_code == 200
        assert (await anonymous.post(f"/api/confirm/{pending_token}")).status_code == 410
