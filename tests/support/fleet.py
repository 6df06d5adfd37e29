"""All four services in-process on one event exchange (real PostgreSQL, RabbitMQ, S3, SMTP), the
nine principals of the security suite, and the probes that prove nothing changed or leaked.

``start_fleet`` is an async context: certificates, review, rewards and notify share an exchange, so a
certificate registered over HTTP really flows to review, its decision back to certificates and on to
rewards and notify — the full system, without processes.
"""

from __future__ import annotations

import base64
import contextlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from certhub_kit.auth import DevIssuer, demo_claims, generate_dev_key
from certhub_kit.services import SERVICES
from tests.support.apps import Clients, running
from tests.support.waiting import eventually

STUDENT_A, STUDENT_B = "s1100001", "s1100002"
# principal name → demo user (None: a token problem instead of a user)
PRINCIPALS = {
    "student_a": STUDENT_A,
    "student_b": STUDENT_B,
    "reviewer_same_dept": "rev-im",
    "reviewer_other_dept": "rev-ee",
    "center": "center",
    "admin": "admin",
    "no_token": None,
    "expired_token": None,
    "forged_token": None,
}
TOKENLESS = ("no_token", "expired_token", "forged_token")
KIT_TABLES = ("outbox", "inbox", "audit_log", "alembic_version")
# Who of the staff used the review API (for digests): any staff request may record it, and its event
# (review.reviewer_seen.v1) — bookkeeping, not a change to anyone's records.
SIGHTINGS = {"reviewers_seen", "known_reviewer"}
SIGHTING_EVENT = "review.reviewer_seen.v1"
PREFIXES = {
    "/api/certificates": "certificates",
    "/api/catalog": "certificates",
    "/api/confirm": "certificates",
    "/api/auth": "certificates",
    "/api/review": "review",
    "/api/rewards": "rewards",
    "/api/notify": "notify",
    "/api/dev": "notify",
    "/api/credentials": "credentials",
    "/api/verify": "credentials",
    "/verify/": "credentials",
    "/credentials/": "credentials",
    "/.well-known/did.json": "credentials",
}


def student_claims(sub: str, name: str, dept: str = "EE") -> dict:
    return {
        "sub": sub,
        "email": f"{sub}@demo.certhub.tw",
        "name": name,
        "roles": ["student"],
        "dept": [dept],
        "division": "day",
        "program": "bachelor",
        "class": f"{dept}2B",
    }


def service_of(path: str) -> str:
    from certhub_kit.gateway import NESTED

    nested = next((s for prefix, suffix, s in NESTED if path.startswith(prefix) and path.endswith(suffix)), None)
    return nested or next(s for prefix, s in PREFIXES.items() if path.startswith(prefix))


def taipei_now_in_window() -> datetime:
    from rewards.domain.calendar import TAIPEI

    return datetime(2026, 4, 15, 10, 0, tzinfo=TAIPEI)  # inside the April window of academic year 114


@dataclass
class Fleet:
    apps: dict[str, Any]
    issuer: DevIssuer
    forger: DevIssuer = field(default_factory=lambda: DevIssuer(generate_dev_key()))
    entries: dict[str, dict] = field(default_factory=dict)  # catalog key → {"id", "levels": {name: id}}

    def runtime(self, service: str):
        return self.apps[service].state.runtime

    def client(self, service: str, principal: str) -> httpx.AsyncClient:
        """A client of one service acting as one of :data:`PRINCIPALS` (or a demo username)."""
        clients = Clients(self.apps[service], self.issuer)
        user = PRINCIPALS.get(principal, principal)
        if principal == "no_token":
            return clients.anonymous()
        if principal == "expired_token":
            return clients.with_token(self.issuer.issue(demo_claims(STUDENT_A), ttl_seconds=-120))
        if principal == "forged_token":  # A's own claims, signed by a key no service trusts
            return clients.with_token(self.forger.for_user(STUDENT_A))
        return clients.as_user(user)

    def as_claims(self, service: str, claims: dict) -> httpx.AsyncClient:
        """A client signed in with made-up claims: a student of a test's own that no other test touches."""
        return Clients(self.apps[service], self.issuer).with_token(self.issuer.issue(claims))

    async def applied_as(self, claims: dict, key: str, level: str, standard_name: str) -> str:
        """``claims``' certificate registered, approved by its department's reviewer, applied for: the id."""
        from tests.support.samples import certificate_jpeg

        entry = self.entries[key]
        async with self.as_claims("certificates", claims) as student:
            answer = await student.post(
                "/api/certificates",
                data={
                    "entry_id": entry["id"],
                    "level_id": entry["levels"][level],
                    "email": claims["email"],
                    "issued_on": (date.today() - timedelta(days=20)).isoformat(),
                },
                files={"scan": ("scan.jpg", certificate_jpeg(hash(claims["sub"]) % 997), "image/jpeg")},
            )
        assert answer.status_code == 201, answer.text
        certificate = answer.json()["id"]
        await self.approve(certificate, who=f"rev-{claims['dept'][0].lower()}")
        standard = await self.standard(standard_name)
        async with self.as_claims("rewards", claims) as student:
            applied = await student.post(
                "/api/rewards/applications", json={"standard_id": standard["id"], "certificate_ids": [certificate]}
            )
        assert applied.status_code == 201, applied.text
        return applied.json()["id"]

    def at(self, path: str, principal: str) -> httpx.AsyncClient:
        return self.client(service_of(path), principal)

    # --- the flow, over HTTP -------------------------------------------------------------
    def level(self, key: str, name: str) -> str:
        return self.entries[key]["levels"][name]

    async def register(self, who: str, key: str, level: str, *, scan: bytes | None = None, **fields) -> dict:
        from tests.support.samples import certificate_jpeg

        data = {
            "entry_id": self.entries[key]["id"],
            "level_id": self.level(key, level),
            "issued_on": (date.today() - timedelta(days=20)).isoformat(),
            "email": f"{who}@demo.certhub.tw",
            **fields,
        }
        async with self.client("certificates", who) as client:
            answer = await client.post(
                "/api/certificates",
                data=data,
                files={"scan": ("scan.jpg", scan or certificate_jpeg(hash(key) % 97), "image/jpeg")},
            )
        assert answer.status_code == 201, answer.text
        return answer.json()

    async def confirmation_token(self, certificate_id: str) -> str:
        """The newest confirmation link of a draft, as its mail would carry it (from the outbox)."""
        async with self.runtime("certificates").db.engine.connect() as conn:
            url = await conn.scalar(
                text(
                    "SELECT envelope->'data'->>'confirmation_url' FROM outbox WHERE envelope->>'subject' = :s "
                    "AND envelope->'data' ? 'confirmation_url' ORDER BY seq DESC LIMIT 1"
                ),
                {"s": certificate_id},
            )
        assert url, f"no confirmation link for {certificate_id}"
        return url.rsplit("/", 1)[1]

    async def mailed_long_ago(self, certificate_id: str) -> None:
        """The certificate's confirmation mails went out two minutes ago: a resend is not throttled by them."""
        async with self.runtime("certificates").db.engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE confirmation_tokens SET created_at = now() - interval '2 minutes' WHERE certificate_id = :c"
                ),
                {"c": certificate_id},
            )

    async def confirmed(self, certificate_id: str) -> None:
        token = await self.confirmation_token(certificate_id)
        async with self.client("certificates", "no_token") as anonymous:
            assert (await anonymous.post(f"/api/confirm/{token}")).status_code == 200

    async def in_review_queue(self, certificate_id: str) -> dict:
        async def found():
            async with self.client("review", "center") as client:
                answer = await client.get(f"/api/review/{certificate_id}")
            return answer.json() if answer.status_code == 200 else None

        return await eventually(found, timeout=15)

    async def approve(self, certificate_id: str, who: str = "rev-im") -> None:
        """A department reviewer approves; waits until rewards sees the certificate approved."""
        shown = await self.in_review_queue(certificate_id)
        async with self.client("review", who) as client:
            answer = await client.post(
                f"/api/review/{certificate_id}/decision",
                json={"decision": "approved", "reason": "符合 / meets the rules", "version": shown["version"]},
            )
        assert answer.status_code == 200, answer.text
        await self.projected(certificate_id, "approved")

    async def projected(self, certificate_id: str, status: str) -> None:
        async def check():
            async with self.runtime("rewards").db.engine.connect() as conn:
                return (
                    await conn.execute(
                        text("SELECT 1 FROM eligible_certificates WHERE certificate_id = :c AND status = :s"),
                        {"c": certificate_id, "s": status},
                    )
                ).first()

        await eventually(check, timeout=15)

    async def credential_of(self, certificate_id: str, who: str = STUDENT_A) -> dict:
        """The credential the credentials service issued for an approved certificate (waits for it)."""

        async def issued():
            async with self.client("credentials", who) as client:
                listed = (await client.get("/api/credentials", params={"certificate_id": certificate_id})).json()
            return listed[0] if listed else None

        return await eventually(issued, timeout=15)

    async def standard(self, name: str, year: int = 114) -> dict:
        async with self.client("rewards", "admin") as client:
            listed = (await client.get("/api/rewards/standards", params={"year": year})).json()
        return next(s for s in listed if s["name"] == name)

    async def apply(self, who: str, standard_name: str, certificate_ids: list[str]) -> dict:
        standard = await self.standard(standard_name)
        async with self.client("rewards", who) as client:
            answer = await client.post(
                "/api/rewards/applications", json={"standard_id": standard["id"], "certificate_ids": certificate_ids}
            )
        assert answer.status_code == 201, answer.text
        return answer.json()

    async def bank_account(self, who: str, application_id: str, account_no: str, name: str) -> dict:
        from tests.support.samples import certificate_png

        async with self.client("rewards", who) as client:
            answer = await client.put(
                f"/api/rewards/applications/{application_id}/bank-account",
                data={
                    "method": "bank",
                    "code": "0040174",
                    "account_no": account_no,
                    "account_name": name,
                    "postal_code": "900",
                    "address": "屏東縣屏東市民生路4-18號",
                },
                files={"passbook": ("passbook.png", certificate_png(7), "image/png")},
            )
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def application_with_account(
        self, who: str, key: str, level: str, standard: str, account_no: str, name: str, *, reviewer: str = "rev-im"
    ) -> tuple[str, str]:
        """A certificate registered and approved, an application for ``standard`` with it and a bank
        account: (certificate id, application id), ready for 初審."""
        certificate = (await self.register(who, key, level))["id"]
        await self.approve(certificate, who=reviewer)
        application = (await self.apply(who, standard, [certificate]))["id"]
        await self.bank_account(who, application, account_no, name)
        return certificate, application

    async def reviewed(self, application_id: str, *, first: str = "rev-im") -> None:
        url = f"/api/rewards/applications/{application_id}"
        async with self.client("rewards", first) as reviewer, self.client("rewards", "center") as centre:
            assert (await reviewer.post(f"{url}/first-review", json={"result": "Y", "note": "符合"})).status_code == 200
            assert (await centre.post(f"{url}/second-review", json={"result": "Y", "note": "核定"})).status_code == 200

    # --- probes ------------------------------------------------------------------------------
    async def quiet(self, timeout: float = 20.0) -> None:
        """Every outbox drained and nothing pending in notify: the system is at rest."""

        async def drained():
            for service in SERVICES:
                async with self.runtime(service).db.engine.connect() as conn:
                    if await conn.scalar(text("SELECT count(*) FROM outbox WHERE state <> 'sent'")):
                        return False
            return await self.fingerprint() == await _after_a_moment(self)

        await eventually(drained, timeout=timeout, interval=0.2)

    async def fingerprint(self, services=SERVICES) -> dict[str, str]:
        """An md5 of every row of every domain table of the services (kit tables left out)."""
        prints = {}
        for service in services:
            async with self.runtime(service).db.engine.connect() as conn:
                tables = [
                    r[0]
                    for r in await conn.execute(
                        text(
                            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                            "AND table_type = 'BASE TABLE' ORDER BY table_name"
                        )
                    )
                    if r[0] not in (*KIT_TABLES, *SIGHTINGS)
                ]
                parts = " UNION ALL ".join(
                    f"SELECT '{t}' AS t, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h "
                    f'FROM "{t}" x'
                    for t in tables
                )
                for table, digest in await conn.execute(text(parts)):
                    prints[f"{service}.{table}"] = digest
        return prints

    async def footprint(self, service: str) -> dict[str, Any]:
        """Everything one service could have written: its domain rows, its outbox, its objects."""
        prints = await self.fingerprint([service])
        async with self.runtime(service).db.engine.connect() as conn:
            prints["outbox"] = await conn.scalar(
                text("SELECT count(*) FROM outbox WHERE type <> :t"), {"t": SIGHTING_EVENT}
            )
        prints["objects"] = await self.objects([service])
        return prints

    async def objects(self, services=SERVICES) -> int:
        total = 0
        for service in services:
            runtime = self.runtime(service)
            for bucket in runtime.spec.buckets:
                total += len(await runtime.storage.keys(bucket))
        return total

    async def outbox_count(self) -> int:
        total = 0
        for service in SERVICES:
            async with self.runtime(service).db.engine.connect() as conn:
                total += await conn.scalar(text("SELECT count(*) FROM outbox"))
        return total

    async def audit_rows(self, service: str, where: str = "true", **params) -> list:
        async with self.runtime(service).db.engine.connect() as conn:
            return list(await conn.execute(text(f"SELECT * FROM audit_log WHERE {where} ORDER BY seq"), params))


async def _after_a_moment(fleet: Fleet) -> dict[str, str]:
    import asyncio

    await asyncio.sleep(0.3)
    return await fleet.fingerprint()


async def catalog_entries(runtime) -> dict[str, dict]:
    async with runtime.db.engine.connect() as conn:
        entries = (await conn.execute(text("SELECT key, id FROM catalog_entries"))).all()
        levels = (await conn.execute(text("SELECT entry_id, name, id FROM catalog_levels"))).all()
    out = {key: {"id": str(eid), "levels": {}} for key, eid in entries}
    by_id = {v["id"]: v for v in out.values()}
    for entry_id, name, level_id in levels:
        by_id[str(entry_id)]["levels"][name] = str(level_id)
    return out


@contextlib.asynccontextmanager
async def start_fleet(settings_for, issuer: DevIssuer, tag: str, clock=None):
    """The five services on one exchange, with the demo catalog, tracks and standards."""
    from certificates.bootstrap import create_app as certificates_app
    from certificates.bootstrap import load_settings as certificates_settings
    from credentials.bootstrap import create_app as credentials_app
    from credentials.bootstrap import load_settings as credentials_settings
    from notify.bootstrap import create_app as notify_app
    from notify.bootstrap import load_settings as notify_settings
    from review.bootstrap import create_app as review_app
    from review.bootstrap import load_settings as review_settings
    from rewards.bootstrap import create_app as rewards_app
    from rewards.bootstrap import load_settings as rewards_settings

    bank_key = base64.b64encode(os.urandom(32)).decode()
    apps = {
        "certificates": certificates_app(
            certificates_settings(**settings_for("certificates", isolation=tag, demo_data=True))
        ),
        "review": review_app(review_settings(**settings_for("review", isolation=tag, demo_data=True))),
        "rewards": rewards_app(
            rewards_settings(**settings_for("rewards", isolation=tag, demo_data=True, bank_key=bank_key)),
            clock=clock or taipei_now_in_window,
        ),
        "notify": notify_app(
            notify_settings(**settings_for("notify", isolation=tag, scheduler_enabled=False, sender_interval_s=0.1))
        ),
        "credentials": credentials_app(credentials_settings(**settings_for("credentials", isolation=tag))),
    }
    async with contextlib.AsyncExitStack() as stack:
        for app in apps.values():  # every queue is bound before the first event is written
            await stack.enter_async_context(running(app))
        fleet = Fleet(apps, issuer)
        fleet.entries = await catalog_entries(fleet.runtime("certificates"))
        yield fleet
