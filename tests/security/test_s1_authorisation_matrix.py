"""S1: an authorisation matrix over EVERY endpoint of every service × nine principals.

Endpoints come from each app's OpenAPI document (and a walk of its routes), so a new endpoint
fails the suite until it is classified in ``POLICY`` below. Student A owns real objects
(certificates, a catalog request, applications, a bank account and passbook, a payout batch);
every endpoint is called with those real ids as every principal:

- no / expired / forged token → 401 (except public endpoints);
- a principal the service rules refuse → 403 or 404, and nothing changes anywhere (an md5 of
  every row of every domain table of every service database, stored objects, outbox rows);
- student B, the other department's reviewer and the tokenless never see A's data in any answer;
- nobody ever gets a 5xx; the principals the rules allow are never refused.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from dataclasses import asdict, dataclass

import pytest

from review.domain.reasons import DEMO_REASONS
from tests.support.fleet import PRINCIPALS, SERVICES, STUDENT_A, TOKENLESS

pytestmark = pytest.mark.security

A, B, RS, RO, C, AD = "student_a", "student_b", "reviewer_same_dept", "reviewer_other_dept", "center", "admin"
SIGNED = {A, B, RS, RO, C, AD}
STAFF_READ = {A, RS, C, AD}  # A's record: its owner, reviewers of A's department, the centre, admin
LEAK_CHECKED = {B, RO, *TOKENLESS}
PUBLIC, DEV_ONLY = "public", "dev-only"


@dataclass(frozen=True)
class Rule:
    allow: frozenset = frozenset()  # may succeed (never refused)
    scoped: frozenset = frozenset()  # may answer 2xx, but only with what is theirs
    public: str | None = None  # no sign-in needed; DEV_ONLY: absent outside dev/standalone
    refs_in_body: bool = False  # refusals may also be 409/422 (the body names A's objects)


def rule(allow=(), scoped=(), **kw) -> Rule:
    return Rule(frozenset(allow), frozenset(scoped), **kw)


OPS = rule(public=PUBLIC)
ANY_SIGNED = rule(SIGNED)
ADMIN_ONLY = rule({AD})
CENTRE = rule({C, AD})

POLICY: dict[str, Rule] = {
    # every service
    "GET /healthz": OPS,
    "GET /readyz": OPS,
    "GET /metrics": OPS,
    # certificates: sign-in (dev only), catalog, certificates, confirmation links
    "POST /api/auth/dev-login": rule(public=DEV_ONLY),
    "GET /api/auth/demo-users": rule(public=DEV_ONLY),
    "GET /api/auth/me": ANY_SIGNED,
    "GET /api/auth/config": rule(public=PUBLIC),
    "GET /api/catalog": ANY_SIGNED,
    "GET /api/catalog/categories": ANY_SIGNED,
    "GET /api/catalog/{entry_id}": ANY_SIGNED,
    "GET /api/certificates/departments": ANY_SIGNED,
    "PUT /api/certificates/departments/{code}": ADMIN_ONLY,
    "GET /api/catalog/entries": ANY_SIGNED,
    "GET /api/catalog/import/template.csv": ADMIN_ONLY,
    "POST /api/catalog": ADMIN_ONLY,
    "POST /api/catalog/import": ADMIN_ONLY,
    "PATCH /api/catalog/{entry_id}": ADMIN_ONLY,
    "GET /api/catalog/requests": rule({AD}, {A, B}),
    "POST /api/catalog/requests": rule({A, B}),
    "POST /api/catalog/requests/{request_id}/accept": ADMIN_ONLY,
    "POST /api/catalog/requests/{request_id}/decline": ADMIN_ONLY,
    "GET /api/certificates": rule({A, RS, C, AD}, {B, RO}),
    "POST /api/certificates": rule({A, B}),
    "GET /api/certificates/{certificate_id}": rule(STAFF_READ),
    "PATCH /api/certificates/{certificate_id}": rule({A}),
    "DELETE /api/certificates/{certificate_id}": rule({A}),
    "POST /api/certificates/{certificate_id}/resend-confirmation": rule({A}),
    "GET /api/certificates/{certificate_id}/scan": rule(STAFF_READ),
    "GET /api/certificates/{certificate_id}/thumbnail": rule(STAFF_READ),
    "GET /api/certificates/reports/moe": CENTRE,
    "GET /api/confirm/{token}": rule(public=PUBLIC),
    "POST /api/confirm/{token}": rule(public=PUBLIC),
    # class rosters: any reviewer or the centre files (rows judged per student); A completes A's own
    "POST /api/certificates/rosters": rule({RS, RO, C}),
    "GET /api/certificates/rosters/template.csv": rule({RS, RO, C}),
    "GET /api/certificates/rosters/prefills": rule({A}, {B}),
    "POST /api/certificates/rosters/prefills/{prefill_id}/complete": rule({A}),
    # review
    "GET /api/review/queue": rule({RS, C, AD}, {RO}),
    "POST /api/review/decisions": rule({RS, C, AD}, {RO}, refs_in_body=True),
    "POST /api/review/{certificate_id}/decision": rule({RS, C, AD}),
    "POST /api/review/{certificate_id}/original": CENTRE,
    "GET /api/review/{certificate_id}/original": rule({RS, C, AD}),
    "GET /api/review/{certificate_id}": rule({RS, C, AD}),
    "GET /api/review/items/{certificate_id}/progress": rule(STAFF_READ),
    "GET /api/review/progress": rule((), {A, B}),
    "GET /api/review/tracks": ANY_SIGNED,
    "PUT /api/review/tracks": ADMIN_ONLY,
    "GET /api/review/tracks/next-steps": ANY_SIGNED,
    "GET /api/review/rules": rule({RS, RO, C, AD}),
    "PUT /api/review/rules/{academic_year}": ADMIN_ONLY,
    "GET /api/review/reasons": rule({RS, RO, C, AD}),
    "PUT /api/review/reasons": ADMIN_ONLY,
    "GET /api/review/reports/reasons": rule({RS, C, AD}, {RO}),
    "GET /api/review/thresholds": rule({RS, RO, C, AD}),
    "PUT /api/review/thresholds/{dept}/{cohort}": ADMIN_ONLY,
    "GET /api/review/thresholds/export.csv": CENTRE,
    "GET /api/review/thresholds/{student}": rule({A, RS, C, AD}),
    # rewards
    "GET /api/rewards/standards": ANY_SIGNED,
    "GET /api/rewards/window": ANY_SIGNED,
    "POST /api/rewards/standards": ADMIN_ONLY,
    "POST /api/rewards/standards/import": ADMIN_ONLY,
    "PATCH /api/rewards/standards/{standard_id}": ADMIN_ONLY,
    "DELETE /api/rewards/standards/{standard_id}": ADMIN_ONLY,
    "PUT /api/rewards/windows/{year}": ADMIN_ONLY,
    "GET /api/rewards/eligible": rule({A}, {B}),
    "POST /api/rewards/applications": rule({A}, refs_in_body=True),
    "GET /api/rewards/applications": rule({A, RS, C, AD}, {B, RO}),
    "GET /api/rewards/applications/export.csv": rule({A, RS, C, AD}, {B, RO}),
    "GET /api/rewards/applications/export.xlsx": rule({A, RS, C, AD}, {B, RO}),
    "POST /api/rewards/applications/first-review": rule({RS, C, AD}, {RO}, refs_in_body=True),
    "POST /api/rewards/applications/second-review": rule({C, AD}, refs_in_body=True),
    "GET /api/rewards/applications/{application_id}": rule(STAFF_READ),
    "PATCH /api/rewards/applications/{application_id}": rule({A}),
    "DELETE /api/rewards/applications/{application_id}": rule({A}),
    "PUT /api/rewards/applications/{application_id}/bank-account": rule({A}),
    "GET /api/rewards/applications/{application_id}/passbook": rule({A, C}),  # bank data: owner and centre only
    "POST /api/rewards/applications/{application_id}/bank-account/acknowledge": rule({C}),
    "POST /api/rewards/applications/{application_id}/first-review": rule({RS, C, AD}),
    "POST /api/rewards/applications/{application_id}/second-review": CENTRE,
    "GET /api/rewards/reports": rule({RS, C, AD}, {RO}),
    "POST /api/rewards/payouts": rule({C, AD}, refs_in_body=True),
    "GET /api/rewards/payouts": CENTRE,
    "GET /api/rewards/payouts/{batch_id}": CENTRE,
    "GET /api/rewards/payouts/{batch_id}/export.csv": rule({C}),
    "POST /api/rewards/payouts/{batch_id}/paid": CENTRE,
    "GET /api/rewards/rules/{year}": CENTRE,
    "PUT /api/rewards/rules/{year}": ADMIN_ONLY,
    "GET /api/rewards/rules/{year}/preview": CENTRE,
    "PUT /api/rewards/applications/{application_id}/flags": rule({A, RS, C, AD}),
    "POST /api/rewards/applications/{application_id}/bank-account/reuse": rule({A}),
    "GET /api/rewards/payouts/returns/template.csv": rule({C}),  # bank data: the centre's payouts only
    "POST /api/rewards/payouts/{batch_id}/returns": rule({C}),
    # notify
    "GET /api/notify/deliveries": ADMIN_ONLY,
    "GET /api/dev/mailbox": rule(public=DEV_ONLY),
    # credentials: the holder's records, the centre's revocation, public verification and keys
    "GET /api/credentials": rule({A, C, AD}, {B}),
    "GET /api/credentials/{public_id}/credential": rule({A, C, AD}),
    "GET /api/certificates/{certificate_id}/credential": rule({A, C, AD}),
    "GET /api/credentials/{public_id}/download.zip": rule({A, C, AD}),
    "POST /api/credentials/{public_id}/revoke": rule({C}),
    "GET /api/credentials/{public_id}/qr.png": rule(public=PUBLIC),
    "GET /api/credentials/status/{number}": rule(public=PUBLIC),
    "GET /.well-known/did.json": rule(public=PUBLIC),
    "GET /api/verify/{public_id}": rule(public=PUBLIC),
    "POST /api/verify": rule(public=PUBLIC),
    "GET /verify/{public_id}": rule(public=PUBLIC),
    "GET /verify/static/verify.css": rule(public=PUBLIC),
    "GET /credentials/{public_id}": rule(public=PUBLIC),
}


def endpoints(app) -> list[str]:
    """Every operation of the app's OpenAPI document; a route hidden from it fails the suite."""
    found = [f"{m.upper()} {p}" for p, ops in app.openapi()["paths"].items() for m in ops]
    hidden = [
        r.path
        for r in _routes(app.routes)
        if not getattr(r, "include_in_schema", True)
        and r.path not in ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")
    ]
    assert not hidden, f"routes hidden from OpenAPI escape the matrix: {hidden}"
    return found


def _routes(routes):
    for route in routes:
        inner = getattr(getattr(route, "original_router", None), "routes", None)
        if inner is not None:
            yield from _routes(inner)
        elif hasattr(route, "path"):
            yield route


# --- A's objects ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
async def objects(fleet) -> dict:
    f = fleet
    cert_ok = (await f.register(STUDENT_A, "gept", "中級"))["id"]
    cert_sec = (await f.register(STUDENT_A, "securities-specialist", "合格"))["id"]
    cert_sub = (await f.register(STUDENT_A, "gept", "初級"))["id"]
    cert_draft = await f.register(STUDENT_A, "tqc-word", "專業級")
    assert cert_draft["status"] == "draft"
    spare_cert = (await f.register(STUDENT_A, "toeic-lr", "藍色證書"))["id"]
    await f.approve(cert_ok)
    await f.approve(cert_sec)
    shown = await f.in_review_queue(cert_sub)
    async with f.client("certificates", A) as client:
        request = (await client.post("/api/catalog/requests", json={"name": "A 的證照", "issuer": "某單位"})).json()
    app_open = (await f.apply(STUDENT_A, "全民英檢中級或同等級英語檢定", [cert_ok]))["id"]
    await f.bank_account(STUDENT_A, app_open, "123456789012", "王小明")
    app_paid = (await f.apply(STUDENT_A, "證券商業務員", [cert_sec]))["id"]
    await f.bank_account(STUDENT_A, app_paid, "123456789013", "王小明")
    await f.reviewed(app_paid)
    async with f.client("rewards", C) as centre:
        batch = await centre.post("/api/rewards/payouts", json={"application_ids": [app_paid]})
        assert batch.status_code == 201, batch.text
    async with f.client("rewards", AD) as admin:
        spare_standard = (await admin.post("/api/rewards/standards", json=_standard_body(77))).json()["id"]
    async with f.client("review", AD) as admin:
        tracks = (await admin.get("/api/review/tracks")).json()
        rules = (await admin.get("/api/review/rules")).json()
    credential = await f.credential_of(cert_ok)
    prefill_id = await _prefill_for_a(f)
    await f.quiet()
    return {
        "certificate_id": cert_sub,
        "certificate_version": shown["version"],
        "credential_id": credential["id"],
        "draft_id": cert_draft["id"],
        "approved_id": cert_ok,
        "spare_cert": spare_cert,
        "prefill_id": prefill_id,
        "request_id": request["id"],
        "application_id": app_open,
        "paid_application": app_paid,
        "batch_id": batch.json()["id"],
        "standard_id": spare_standard,
        "entry_id": f.entries["dalf"]["id"],
        "tracks": tracks,
        "rules": rules,
    }


def _standard_body(item: int) -> dict:
    return {
        "academic_year": 114,
        "scope": "school",
        "level": 5,
        "item": item,
        "name": f"測試標準 {item}",
        "amount": 100,
        "required_count": 1,
        "qualifying": [{"certificate_key": "dalf", "levels": None}],
    }


def request_for(op: str, o: dict, who: str) -> tuple[str, str, dict]:
    """The real call: path with A's ids, and a body that is valid for everyone (so only
    authorisation decides)."""
    method, template = op.split(" ", 1)
    ids = {
        "certificate_id": o["certificate_id"],
        "entry_id": o["entry_id"],
        "request_id": o["request_id"],
        "application_id": o["application_id"],
        "standard_id": o["standard_id"],
        "batch_id": o["batch_id"],
        "academic_year": "99",
        "year": "114",
        "token": "A" * 43,
        "public_id": o["credential_id"],
        "number": "1",
        "prefill_id": o["prefill_id"],
        "dept": "IM",
        "cohort": "99",
        "student": STUDENT_A,
        "code": "IM",
    }  # rules of a past year: harmless
    if op == "POST /api/certificates/{certificate_id}/resend-confirmation":
        ids["certificate_id"] = o["draft_id"]
    if op == "GET /api/certificates/{certificate_id}/credential":
        ids["certificate_id"] = o["approved_id"]  # the certificate that has a record
    if method == "DELETE" and who == A:
        ids["certificate_id"] = o["spare_cert"]  # the owner really deletes: a spare, not the shared one
    path = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
    body = BODIES.get(op, lambda o: {})(o)
    return method, path, body


def _files(name="scan.png"):
    from tests.support.samples import certificate_png

    return {"scan": (name, certificate_png(3), "image/png")}


BODIES = {
    "POST /api/auth/dev-login": lambda o: {"json": {"username": "s1100002"}},
    "POST /api/certificates/rosters": lambda o: {
        "data": {"dry_run": "true"},
        "files": {"file": ("r.csv", "學號,證照,級別,發證日期\ns1100099,gept,中級,2024-02-01\n".encode(), "text/csv")},
    },
    "POST /api/certificates/rosters/prefills/{prefill_id}/complete": lambda o: {"files": _files()},
    "POST /api/catalog": lambda o: {"json": {"name": f"S1 {uuid.uuid4().hex[:6]}", "issuer": "測試", "category": 5}},
    "POST /api/catalog/import": lambda o: {
        "content": b"national_code,name,issuer,category\n",
        "headers": {"content-type": "text/csv"},
    },
    "PATCH /api/catalog/{entry_id}": lambda o: {"json": {"name_en": "DALF"}},
    "PUT /api/certificates/departments/{code}": lambda o: {
        "json": {"name": "資訊管理學系", "name_en": "Department of Information Management"}
    },
    "POST /api/catalog/requests": lambda o: {"json": {"name": "another", "issuer": "x"}},
    "POST /api/catalog/requests/{request_id}/accept": lambda o: {"json": {"category": 5}},
    "POST /api/catalog/requests/{request_id}/decline": lambda o: {"json": {"reason": "重複"}},
    "POST /api/certificates": lambda o: {"data": {"entry_id": "", "issued_on": "2024-01-01"}, "files": _files()},
    "PATCH /api/certificates/{certificate_id}": lambda o: {"data": {"remarks": "changed by S1"}},
    "POST /api/review/decisions": lambda o: {
        "json": [
            {
                "certificate_id": o["certificate_id"],
                "decision": "rejected",
                "reason": "S1",
                "version": o["certificate_version"],
            }
        ]
    },
    "POST /api/review/{certificate_id}/decision": lambda o: {
        "json": {"decision": "rejected", "reason": "S1", "version": o["certificate_version"]}
    },
    "POST /api/review/{certificate_id}/original": lambda o: {"files": _files("original.png")},
    "PUT /api/review/tracks": lambda o: {"json": o["tracks"]},
    "PUT /api/review/rules/{academic_year}": lambda o: {"json": _rules_body(o["rules"])},
    "PUT /api/review/reasons": lambda o: {"json": {"reasons": [asdict(r) for r in DEMO_REASONS]}},
    "GET /api/review/reports/reasons": lambda o: {"params": {"year": "114"}},
    "GET /api/review/thresholds/export.csv": lambda o: {"params": {"dept": "IM"}},
    "PUT /api/review/thresholds/{dept}/{cohort}": lambda o: {
        "json": {"rules": [{"name": "英語", "name_en": "English", "any_of": [{"count": 1, "min_cefr": "B1"}]}]}
    },
    "GET /api/certificates/reports/moe": lambda o: {"params": {"year": "114"}},
    "POST /api/rewards/standards": lambda o: {"json": _standard_body(88)},
    "POST /api/rewards/standards/import": lambda o: {"files": {"file": ("s.csv", b"a,b\n", "text/csv")}},
    "PATCH /api/rewards/standards/{standard_id}": lambda o: {"json": {"amount": 200}},
    "PUT /api/rewards/windows/{year}": lambda o: {
        "json": {"opens_at": "2026-04-01T00:00:00+08:00", "closes_at": "2026-05-01T00:00:00+08:00"}
    },
    "POST /api/rewards/applications": lambda o: {
        "json": {"standard_id": o["standard_id"], "certificate_ids": [o["approved_id"]]}
    },
    "POST /api/rewards/applications/first-review": lambda o: {
        "json": [{"application_id": o["application_id"], "result": "N", "note": "S1"}]
    },
    "POST /api/rewards/applications/second-review": lambda o: {
        "json": [{"application_id": o["paid_application"], "result": "N", "note": "S1"}]
    },
    "POST /api/rewards/applications/{application_id}/bank-account/acknowledge": lambda o: {"json": {"note": "S1"}},
    "PATCH /api/rewards/applications/{application_id}": lambda o: {"json": {"certificate_ids": [o["approved_id"]]}},
    "PUT /api/rewards/applications/{application_id}/bank-account": lambda o: {
        "data": {"method": "other", "postal_code": "900", "address": "屏東市", "other_reason": "S1"}
    },
    "POST /api/rewards/applications/{application_id}/first-review": lambda o: {"json": {"result": "N", "note": "S1"}},
    "POST /api/rewards/applications/{application_id}/second-review": lambda o: {"json": {"result": "N"}},
    "POST /api/rewards/payouts": lambda o: {"json": {"application_ids": [o["paid_application"]]}},
    "PUT /api/rewards/rules/{year}": lambda o: {"json": {"ranking": "earliest"}},
    "PUT /api/rewards/applications/{application_id}/flags": lambda o: {"json": {"flags": []}},
    "POST /api/rewards/applications/{application_id}/bank-account/reuse": lambda o: {
        "json": {"from_application_id": o["paid_application"]}
    },
    "POST /api/rewards/payouts/{batch_id}/returns": lambda o: {
        "files": {
            "file": ("r.csv", f"application_id,amount,reason\n{o['paid_application']},5000,S1\n".encode(), "text/csv")
        }
    },
    "POST /api/credentials/{public_id}/revoke": lambda o: {"json": {"reason": "S1"}},
    "POST /api/verify": lambda o: {"json": {"id": "S1"}},
}


async def _prefill_for_a(f) -> str:
    """A class roster the centre confirmed, naming A: the pre-registration only A may complete."""
    roster = f"學號,證照,級別,發證日期,證照字號\n{STUDENT_A},gept,中級,2024-02-01,S1-ROSTER\n".encode()
    async with f.client("certificates", C) as centre:
        done = await centre.post(
            "/api/certificates/rosters", data={"dry_run": "false"}, files={"file": ("r.csv", roster, "text/csv")}
        )
        assert done.status_code == 200 and done.json()["created"] == 1, done.text
    async with f.client("certificates", A) as student:
        [item] = (await student.get("/api/certificates/rosters/prefills")).json()["items"]
    return item["id"]


def _rules_body(rules: dict) -> dict:
    fields = ("reporting_window_months", "window_applies_from", "phash_threshold", "dept_thresholds")
    return {k: v for k, v in rules["defaults"].items() if k in fields}


def expectation(op: str, who: str) -> str:
    policy = POLICY[op]
    if policy.public:
        return "public"
    if who in TOKENLESS:
        return "401"
    if who in policy.allow:
        return "allow"
    return "scoped" if who in policy.scoped else "deny"


def markers(o: dict) -> set[str]:
    ids = {v for k, v in o.items() if k.endswith("_id") or k in ("spare_cert", "paid_application")}
    return {STUDENT_A, "王小明", f"{STUDENT_A}@demo.certhub.tw", *map(str, ids)} - {o["entry_id"], o["standard_id"]}


# --- the matrix ------------------------------------------------------------------------------
async def test_s1_every_endpoint_by_every_principal(fleet, objects):
    ops = {service: endpoints(fleet.apps[service]) for service in SERVICES}
    unclassified = sorted({op for found in ops.values() for op in found} - set(POLICY))
    assert not unclassified, f"classify these endpoints in POLICY: {unclassified}"
    calls = [(service, op, who) for service, found in ops.items() for op in found for who in PRINCIPALS]
    problems, leaks, writes, errors = [], [], [], []
    secrets = markers(objects)

    # phase 1: refusals and scoped reads, endpoint by endpoint — nothing may change anywhere.
    # Another service changes only through an event, so the called service's rows, objects and
    # outbox are the whole footprint of a call.
    refused = [c for c in calls if expectation(c[1], c[2]) != "allow"]
    for (service, op), group in itertools.groupby(refused, key=lambda c: (c[0], c[1])):
        before = await fleet.footprint(service)
        answers = []
        for _, _, who in group:
            answer, sent = await _call(fleet, service, op, who, objects)
            _judge(op, who, answer, sent, secrets, problems, leaks, errors)
            answers.append(f"{who}→{answer.status_code}")
        after = await fleet.footprint(service)
        if after != before and POLICY[op].public is None:
            changed = sorted(k for k in after if after[k] != before.get(k))
            writes.append(f"{op} by {answers} changed {changed}")
        elif after != before:
            await fleet.quiet()

    # phase 2: the allowed principals (deletes last: they remove what they are given)
    allowed = sorted((c for c in calls if expectation(c[1], c[2]) == "allow"), key=lambda c: c[1].startswith("DELETE"))
    for service, op, who in allowed:
        answer, sent = await _call(fleet, service, op, who, objects)
        _judge(op, who, answer, sent, secrets, problems, leaks, errors)

    endpoints_total = sum(len(v) for v in ops.values())
    print(
        f"\nS1: {len(calls):,} requests ({endpoints_total} endpoints × {len(PRINCIPALS)} principals), "
        f"{len(refused):,} refused-or-scoped, {len(leaks)} cross-object reads, {len(writes)} cross-object writes, "
        f"{len(errors)} server errors, {len(problems)} wrong statuses"
    )
    assert not leaks, "cross-object reads:\n" + "\n".join(leaks)
    assert not writes, "cross-object writes:\n" + "\n".join(writes)
    assert not errors, "server errors:\n" + "\n".join(errors)
    assert not problems, "wrong statuses:\n" + "\n".join(problems)


async def _call(fleet, service, op, who, objects):
    method, path, body = request_for(op, objects, who)
    async with fleet.client(service, who) as client:
        answer = await client.request(method, path, **body)
    sent = path + json.dumps(body.get("json"), ensure_ascii=False, default=str)
    return answer, sent


def _judge(op, who, answer, sent, secrets, problems, leaks, errors) -> None:
    status, expected = answer.status_code, expectation(op, who)
    label = f"{who} {op} → {status} {answer.text[:160]}"
    if status >= 500:
        errors.append(label)
        return
    if expected == "401" and status != 401:
        problems.append(label + " (expected 401)")
    refused_ok = {403, 404} | ({409, 422} if POLICY[op].refs_in_body else set())
    if expected == "deny" and status not in refused_ok:
        problems.append(label + f" (expected one of {sorted(refused_ok)})")
    if expected in ("allow", "scoped") and status in (401, 403):
        problems.append(label + " (this principal is allowed)")
    if status >= 400 and answer.headers.get("content-type", "").startswith("application/json"):
        error = answer.json().get("error") or {}
        if not (error.get("message") and error.get("message_en")):
            problems.append(label + " (no zh-TW + English message)")
    if who in LEAK_CHECKED and POLICY[op].public != DEV_ONLY:
        seen = [s for s in secrets if s not in sent and s in answer.text]
        if seen:
            leaks.append(f"{label[:120]} shows {seen}")
