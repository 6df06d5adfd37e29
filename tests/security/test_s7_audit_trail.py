"""S7: the audit trail — exactly one append-only row per status transition (certificate, review
item, application), per authorisation failure (a 403, or the 404 a student gets for another
student's record) and per full bank-account read; and ``audit_log`` refuses UPDATE, DELETE and
TRUNCATE in every service database."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.support.fleet import SERVICES

pytestmark = pytest.mark.security
STUDENT = "s1100003"  # 陳大文 (EE)
ACCOUNT = "8" + "0" * 10 + "7"


async def transitions(fleet, service: str, subject: str) -> list[tuple]:
    rows = await fleet.audit_rows(
        service, "subject = :s AND to_state IS NOT NULL AND to_state IS DISTINCT FROM from_state", s=subject
    )
    return [(r.from_state, r.to_state) for r in rows]


async def denials(fleet) -> dict[str, list]:
    return {s: await fleet.audit_rows(s, "action = 'access.denied'") for s in SERVICES}


async def test_s7_one_row_per_transition_denial_and_full_read(fleet):
    certificate, application = await fleet.application_with_account(
        STUDENT, "securities-specialist", "合格", "證券商業務員", ACCOUNT, "陳大文", reviewer="rev-ee"
    )
    await fleet.reviewed(application, first="rev-ee")
    full_reads = 0
    async with fleet.client("rewards", "center") as centre:
        batch = await centre.post("/api/rewards/payouts", json={"application_ids": [application]})
        batch_id = batch.json()["id"]
        for answer in (
            batch,
            await centre.get(f"/api/rewards/payouts/{batch_id}"),
            await centre.get(f"/api/rewards/payouts/{batch_id}/export.csv"),
            await centre.get(f"/api/rewards/payouts/{batch_id}/export.csv"),
        ):
            assert answer.status_code in (200, 201), answer.text
            full_reads += ACCOUNT in answer.text
        assert (await centre.post(f"/api/rewards/payouts/{batch_id}/paid")).status_code == 200
    await fleet.quiet()

    # status transitions: each exactly once, in order
    cert_moves = await transitions(fleet, "certificates", certificate)
    review_moves = await transitions(fleet, "review", certificate)
    app_moves = await transitions(fleet, "rewards", application)
    assert cert_moves == [(None, "submitted"), ("submitted", "approved")], cert_moves
    assert review_moves == [("submitted", "approved")], review_moves
    assert [m[1] for m in app_moves] == ["submitted", "first_passed", "second_passed", "paid"], app_moves
    assert len(set(app_moves)) == len(app_moves)

    # full bank-account reads: one row per answer that carried the full number
    reads = await fleet.audit_rows("rewards", "action = 'bank_account.read' AND subject = :s", s=application)
    assert len(reads) == full_reads >= 3 and all(r.actor_id == "center" for r in reads)

    # authorisation failures: one row each, with who and what; plain 404s and 401s are not denials
    before = await denials(fleet)
    refused = [
        ("certificates", "rev-im", "GET", f"/api/certificates/{certificate}", 403),
        ("certificates", "s1100001", "GET", f"/api/certificates/{certificate}", 404),  # concealed
        ("certificates", "s1100001", "DELETE", f"/api/certificates/{certificate}", 404),
        ("certificates", "center", "POST", "/api/catalog", 403),
        ("review", "s1100001", "GET", "/api/review/queue", 403),
        ("review", "rev-im", "GET", f"/api/review/{certificate}", 403),
        ("rewards", "rev-im", "GET", f"/api/rewards/applications/{application}", 403),
        ("rewards", "s1100002", "GET", f"/api/rewards/applications/{application}", 404),  # concealed
        ("rewards", "rev-ee", "GET", f"/api/rewards/payouts/{batch_id}/export.csv", 403),
        ("notify", "center", "GET", "/api/notify/deliveries", 403),
    ]
    not_denials = [
        ("certificates", "s1100001", "GET", f"/api/certificates/{uuid.uuid4()}", 404),
        ("rewards", "center", "GET", f"/api/rewards/applications/{uuid.uuid4()}", 404),
        ("review", "no_token", "GET", "/api/review/queue", 401),
        ("rewards", "forged_token", "GET", f"/api/rewards/applications/{application}", 401),
    ]
    for service, who, method, path, status in refused + not_denials:
        async with fleet.client(service, who) as client:
            answer = await client.request(
                method,
                path,
                **({"json": {"name": "x", "issuer": "y", "category": 1}} if path == "/api/catalog" else {}),
            )
        assert answer.status_code == status, (who, method, path, answer.text)
    after = await denials(fleet)
    new = {s: after[s][len(before[s]) :] for s in SERVICES}
    for service in SERVICES:
        expected = [(who, method, path) for s, who, method, path, _ in refused if s == service]
        got = [(r.actor_id, r.details["method"], r.details["path"]) for r in new[service]]
        assert got == expected, (service, got, expected)
    rows = sum(len(v) for v in new.values())

    print(
        f"\nS7: {len(cert_moves) + len(review_moves) + len(app_moves)} status transitions → as many audit rows "
        f"(certificate {len(cert_moves)}, review {len(review_moves)}, application {len(app_moves)}); "
        f"{len(refused)} authorisation failures → {rows} rows ({len(not_denials)} plain 404/401 → 0); "
        f"{full_reads} full bank-account reads → {len(reads)} rows"
    )


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET reason = 'rewritten'", "DELETE FROM audit_log", "TRUNCATE audit_log"]
)
async def test_s7_the_audit_table_is_append_only(fleet, statement):
    refused = 0
    for service in SERVICES:
        engine = fleet.runtime(service).db.engine
        async with engine.connect() as conn:
            before = await conn.scalar(text("SELECT md5(string_agg(a::text, '|' ORDER BY seq)) FROM audit_log a"))
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as conn:
                await conn.execute(text(statement))
        refused += 1
        async with engine.connect() as conn:
            assert (
                await conn.scalar(text("SELECT md5(string_agg(a::text, '|' ORDER BY seq)) FROM audit_log a")) == before
            )
    print(f"\nS7: {statement.split()[0]} refused by {refused}/{len(SERVICES)} audit tables")
