"""P3: reward applications at concurrency 50, and the outbox floor (insert + outbox + confirmed publish).

Preparation goes straight to the rewards database: synthetic students (tokens minted with the
run's dev key), each with one approved certificate in ``eligible_certificates`` — the projection
the rewards service keeps from certificate events — and an open window set as admin.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from . import spy, statements, wrk
from .infra import Infra, NotAvailable, plain_dsn
from .load import PreparedRequest
from .registration import login
from .watch import drain_queue, paused

PER_SECOND_CAPACITY = 300  # applications per second of load prepared for (each uses a fresh certificate)


async def open_window(http: httpx.AsyncClient, admin: str) -> int:
    from rewards.domain.calendar import academic_year_of

    now = datetime.now(UTC)
    year = academic_year_of(now)
    response = await http.put(
        f"/api/rewards/windows/{year}",
        headers={"Authorization": f"Bearer {admin}"},
        json={"opens_at": (now - timedelta(hours=1)).isoformat(), "closes_at": (now + timedelta(days=1)).isoformat()},
    )
    if response.status_code not in (200, 201, 204):
        raise NotAvailable(f"PUT /api/rewards/windows/{year} → {response.status_code} {response.text[:200]}")
    return year


async def pick_standard(http: httpx.AsyncClient, token: str, year: int) -> tuple[str, str, str | None]:
    """A school-wide standard needing one certificate: (standard id, entry key, level name or None)."""
    response = await http.get(
        "/api/rewards/standards", params={"year": year}, headers={"Authorization": f"Bearer {token}"}
    )
    if response.status_code != 200:
        raise NotAvailable(f"GET /api/rewards/standards → {response.status_code} {response.text[:200]}")
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    for s in items:
        if s.get("scope") == "school" and s.get("required_count") == 1 and s.get("qualifying"):
            q = s["qualifying"][0]
            levels = q.get("levels") or [None]
            return s["id"], q["certificate_key"], levels[0]
    raise NotAvailable(f"no school-wide single-certificate standard in year {year}")


class ApplicationsBench:
    def __init__(self, infra: Infra, concurrency: int, duration: float, warmup: float):
        self.infra, self.concurrency, self.duration, self.warmup = infra, concurrency, duration, warmup
        self.standard: tuple[str, str, str | None] | None = None
        self.issuer = None

    async def prepare(self) -> None:
        from certhub_kit.auth import DevIssuer

        self.issuer = DevIssuer(self.infra.dev_key)
        async with httpx.AsyncClient(base_url=self.infra.stack.url, timeout=30) as http:
            admin = await login(http, "admin")
            year = await open_window(http, admin)
            self.standard = await pick_standard(http, admin, year)

    async def _students(self, count: int) -> list[PreparedRequest]:
        """``count`` synthetic IM students with one approved, unused certificate each."""
        import asyncpg

        from certhub_kit.auth import demo_claims

        standard_id, entry_key, level = self.standard
        batch = uuid.uuid4().hex[:6]
        rows, requests = [], []
        base = demo_claims("s1100001")
        for n in range(count):
            sub = f"b{batch}{n:06d}"
            certificate_id = uuid.uuid4()
            rows.append((certificate_id, sub, f"學生{n}", "IM", entry_key, entry_key, level, "approved", 1, False))
            token = self.issuer.issue({**base, "sub": sub, "email": f"{sub}@bench.test", "name": f"學生{n}"})
            requests.append(
                PreparedRequest.encode(
                    "POST",
                    "/api/rewards/applications",
                    headers={"Authorization": f"Bearer {token}"},
                    json={"standard_id": standard_id, "certificate_ids": [str(certificate_id)]},
                )
            )
        conn = await asyncpg.connect(plain_dsn(self.infra.stack.database_url("rewards")))
        try:
            await conn.copy_records_to_table(
                "eligible_certificates",
                records=rows,
                columns=[
                    "certificate_id",
                    "student_id",
                    "student_name",
                    "dept",
                    "entry_key",
                    "entry_name",
                    "level_name",
                    "status",
                    "version",
                    "deleted",
                ],
            )
        finally:
            await conn.close()
        return requests

    async def run_p3(self) -> dict:
        if self.standard is None:
            await self.prepare()
        count = int(PER_SECOND_CAPACITY * (self.duration + 2 * self.warmup)) + 3 * self.concurrency
        requests = await self._students(count)
        probe = requests.pop()
        async with httpx.AsyncClient(base_url=self.infra.stack.url, timeout=30) as http:
            r = await http.request(probe.method, probe.path, content=probe.content, headers=probe.headers)
            if r.status_code != 201:
                raise NotAvailable(f"POST /api/rewards/applications → {r.status_code} {r.text[:300]}")
        warm = int(PER_SECOND_CAPACITY * self.warmup) + self.concurrency  # every certificate is used once
        before = await statements.count_rows(self.infra, "rewards", "applications")
        window = await statements.Window(self.infra).start()
        with spy.recording(self.infra.stack, ("rewards",), self.infra.profile_dir, "p3"):
            result = await wrk.closed_loop(
                self.infra.stack.url,
                requests[warm:],
                warmup_requests=requests[:warm],
                concurrency=self.concurrency,
                duration=self.duration,
                warmup=self.warmup,
            )
        metrics = result.metrics()
        metrics["exhausted"] = result.extra["cycled"]
        for consumer in ("certificates", "review", "notify"):  # their share of each application counts too
            await drain_queue(self.infra, consumer, timeout=30.0)
        await asyncio.sleep(1.0)
        taken = await window.stop()  # read first: the count below is a statement too
        if taken is not None:
            served = await statements.count_rows(self.infra, "rewards", "applications") - before
            metrics["statements"] = stored = window.profile(taken, served)
            metrics.update(statements.metrics(stored))
        return metrics

    async def run_floor(self, floor_url: str, stack=None) -> dict:
        """The outbox floor through wrk; with ``stack`` its service processes are SIGSTOPped meanwhile."""
        body = json.dumps({"standard_id": str(uuid.uuid4()), "certificate_ids": [str(uuid.uuid4())]}).encode()
        request = PreparedRequest("POST", "/api/rewards/applications", body, {"content-type": "application/json"})
        with paused(stack):
            result = await wrk.closed_loop(
                floor_url, [request], concurrency=self.concurrency, duration=self.duration, warmup=self.warmup
            )
        return result.metrics()
