"""P1 registration through the gateway, the floor beside it, and P2 (201 → confirmation mail)."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx

from tests.support.servers import free_port

from . import spy, statements, wrk
from .infra import Infra, NotAvailable, RssSampler, plain_dsn, start_gateway, wait_http
from .load import PreparedRequest, open_loop
from .stats import latency_ms
from .watch import ServiceCpu, drain_queue, paused

STUDENTS = ("s1100001", "s1100002", "s1100003")
EMAIL_SLOT = "b" + "0" * 32 + "@bench.test"  # replaced in the encoded body by a unique address of equal length


def distinct_scan(n: int, quality: int = 88, size: tuple[int, int] = (1400, 980)) -> bytes:
    """Student ``n``'s own certificate scan (~200 KiB): blocks of colour placed by ``n`` so perceptual
    hashes differ between students, name and number drawn in, and noise so the JPEG does not compress away."""
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(n)
    image = Image.new("RGB", size, (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, size[0] - 20, size[1] - 20], outline=(120, 90, 30), width=8)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.rectangle(
            [x, y, x + rng.randrange(100, 500), y + rng.randrange(80, 400)],
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    draw.text((size[0] // 3, size[1] // 2), f"CERTIFICATE No. {n:06d} - student b{n:06d}", fill=(0, 0, 0))
    noisy = Image.blend(image, Image.effect_noise(size, 24).convert("RGB"), 0.12)
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=quality)
    return out.getvalue()


def scan_jpeg(target: int = 200 * 1024) -> bytes:
    """A real certificate-like JPEG of about ``target`` bytes (Pillow, noise so it does not compress away)."""
    from PIL import Image

    from tests.support.samples import certificate_jpeg

    base = Image.open(io.BytesIO(certificate_jpeg(8, (1400, 980), quality=90))).convert("RGB")
    noise = Image.effect_noise(base.size, 24).convert("RGB")
    best = b""
    for quality in range(40, 96, 3):
        out = io.BytesIO()
        Image.blend(base, noise, 0.12).save(out, "JPEG", quality=quality)
        best = out.getvalue()
        if len(best) >= target * 0.95:
            break
    return best


async def login(http: httpx.AsyncClient, username: str) -> str:
    response = await http.post("/api/auth/dev-login", json={"username": username})
    if response.status_code != 200:
        raise NotAvailable(f"dev-login {username} → {response.status_code} {response.text[:200]}")
    return response.json()["access_token"]


async def pick_entry(http: httpx.AsyncClient, token: str, *, it: bool) -> dict:
    params = {"q": "TQC", "category": 3} if it else {"limit": 50}
    response = await http.get("/api/catalog", params=params, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 200:
        raise NotAvailable(f"GET /api/catalog → {response.status_code} {response.text[:200]}")
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    with_levels = [e for e in items if e.get("levels")]
    if not it:
        with_levels = [e for e in with_levels if e.get("category") != 3] or with_levels
    if not with_levels:
        raise NotAvailable(f"no catalog entry with levels for {params}")
    return with_levels[0]


def registration(token: str, entry: dict, scan: bytes, email: str, number: str = "BENCH-1") -> PreparedRequest:
    issued = (date.today() - timedelta(days=30)).isoformat()
    return PreparedRequest.encode(
        "POST",
        "/api/certificates",
        headers={"Authorization": f"Bearer {token}"},
        data={
            "entry_id": entry["id"],
            "level_id": entry["levels"][0]["id"],
            "score": "",
            "issued_on": issued,
            "email": email,
            "certificate_no": number,
        },
        files={"scan": ("scan.jpg", scan, "image/jpeg")},
    )


SLOT_NUMBER = "BENCH-" + wrk.SLOT.decode()  # wrk writes a unique number into every request's certificate no.


class RegistrationBench:
    def __init__(self, infra: Infra, concurrency: int, duration: float, warmup: float, students: int = 120):
        self.infra, self.concurrency, self.duration, self.warmup = infra, concurrency, duration, warmup
        self.scan = scan_jpeg()
        self.students = students
        self.tokens: list[str] = []
        self.requests: list[PreparedRequest] = []  # distinct scan per student (the headline P1)
        self.identical: list[PreparedRequest] = []  # one scan for every student (the duplicate rule's worst case)
        self.floor_url: str | None = None
        self.max_rps = 0.0

    async def prepare(self) -> None:
        from certhub_kit.auth import DevIssuer, demo_claims

        async with httpx.AsyncClient(base_url=self.infra.stack.url, timeout=30) as http:
            self.tokens = [await login(http, s) for s in STUDENTS]
            entry = await pick_entry(http, self.tokens[0], it=False)
            issuer, base, batch = DevIssuer(self.infra.dev_key), demo_claims("s1100001"), uuid.uuid4().hex[:5]
            subs = [f"r{batch}{n:05d}" for n in range(self.students)]
            tokens = [
                issuer.issue({**base, "sub": sub, "email": f"{sub}@bench.test", "name": f"學生{n}"})
                for n, sub in enumerate(subs)
            ]
            scans = await asyncio.to_thread(lambda: [distinct_scan(n) for n in range(self.students)])
            self.requests = [
                registration(t, entry, scan, f"{sub}@bench.test", SLOT_NUMBER)
                for t, sub, scan in zip(tokens, subs, scans, strict=True)
            ]
            self.identical = [
                registration(t, entry, self.scan, f"{sub}@bench.test", SLOT_NUMBER)
                for t, sub in zip(tokens, subs, strict=True)
            ]
            probe = registration(self.tokens[0], entry, scans[0], "s1100001@demo.certhub.tw", "BENCH-PROBE")
            response = await http.request(probe.method, probe.path, content=probe.content, headers=probe.headers)
            if response.status_code != 201:
                raise NotAvailable(f"POST /api/certificates → {response.status_code} {response.text[:300]}")
        self.scan_bytes = sum(len(s) for s in scans) // len(scans)

    async def run_p1(self, identical: bool = False) -> dict:
        """P1 through wrk; then the review consumer's backlog: queued right after the burst, time to
        drain it, and the consumer's CPU per registration over burst and drain."""
        if not self.requests:
            await self.prepare()
        stack = self.infra.stack
        pids = {s: procs[0].pid for s, procs in stack.processes.items()}
        before = await statements.count_rows(self.infra, "certificates", "certificates")
        window = await statements.Window(self.infra).start()
        review = ServiceCpu(stack, "review")
        spied = spy.recording(
            stack, ("certificates", "review"), self.infra.profile_dir, "p1-identical" if identical else "p1"
        )
        with RssSampler(pids) as rss, spied:
            result = await wrk.closed_loop(
                stack.url,
                self.identical if identical else self.requests,
                concurrency=self.concurrency,
                duration=self.duration,
                warmup=self.warmup,
            )
        metrics = result.metrics()
        if not identical:
            self.max_rps = max(self.max_rps, metrics["rps"])
        metrics.update({f"rss_mb_{s}": round(v, 1) for s, v in rss.peak.items()})
        metrics.update(await drain_queue(self.infra, "review", timeout=max(30.0, 6 * self.duration)))
        registered = result.ok + (result.extra.get("warmup_ok") or 0)
        metrics["review_cpu_ms_per_event"] = round(review.seconds() * 1000 / registered, 2) if registered else None
        for consumer in ("rewards", "notify"):  # their share of each registration counts too
            await drain_queue(self.infra, consumer, timeout=30.0)
        await asyncio.sleep(1.0)  # the relays publish what the consumers wrote
        taken = await window.stop()  # read first: the count below is a statement too
        if taken is not None:
            served = await statements.count_rows(self.infra, "certificates", "certificates") - before
            metrics["statements"] = stored = window.profile(taken, served)
            metrics.update(statements.metrics(stored))
        metrics["scan_bytes"] = len(self.scan) if identical else self.scan_bytes
        return metrics

    # --- the floor -----------------------------------------------------
    async def start_floor(self) -> str:
        import aio_pika

        from certhub_kit.db import ensure_database

        infra = self.infra
        db = infra.database("floor")
        await ensure_database(db)
        exchange, queue = f"bench.floor.{infra.tag}", f"bench.floor.{infra.tag}"
        infra.extra_exchanges.append(exchange)
        infra.extra_queues.append(queue)
        connection = await aio_pika.connect(infra.amqp)
        async with connection:
            channel = await connection.channel()
            ex = await channel.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
            q = await channel.declare_queue(queue, durable=True, arguments={"x-queue-type": "quorum"})
            await q.bind(ex, routing_key="floor")
        port = free_port()
        env = {
            **os.environ,
            "BENCH_FLOOR_PORT": str(port),
            "BENCH_FLOOR_DSN": plain_dsn(db),
            "BENCH_FLOOR_AMQP": infra.amqp,
            "BENCH_FLOOR_EXCHANGE": exchange,
            "BENCH_FLOOR_S3_ENDPOINT": infra.s3.endpoint,
            "BENCH_FLOOR_S3_KEY": infra.s3.access_key,
            "BENCH_FLOOR_S3_SECRET": infra.s3.secret_key,
            "BENCH_FLOOR_BUCKET": f"{infra.tag}-floor",
        }
        root = Path(__file__).resolve().parent.parent
        log = open(infra.stack.workdir / "floor.log", "wb")
        proc = subprocess.Popen([sys.executable, "-m", "bench.floor"], env=env, cwd=root, stdout=log, stderr=log)
        infra.processes.append(proc)
        await asyncio.to_thread(wait_http, f"http://127.0.0.1:{port}/readyz", 30, proc)
        nginx, gw_port = start_gateway(infra.stack.workdir / "floor-nginx", port)
        infra.processes.append(nginx)
        self.floor_url = f"http://127.0.0.1:{gw_port}"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                async with httpx.AsyncClient(base_url=self.floor_url, timeout=5) as http:
                    probe = self._floor_requests()[0]
                    r = await http.request(probe.method, probe.path, content=probe.content, headers=probe.headers)
                    if r.status_code == 201:
                        return self.floor_url
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
        raise NotAvailable("floor endpoint did not answer 201 behind nginx")

    def _floor_requests(self) -> list[PreparedRequest]:
        if self.requests:
            return self.requests  # the headline P1's bodies, byte for byte
        fake = {"id": str(uuid.uuid4()), "levels": [{"id": str(uuid.uuid4())}]}
        return [registration("floor", fake, self.scan, "floor@bench.test")]

    async def run_floor(self, services_stopped: bool = False) -> dict:
        """The S3+tx+publish floor through wrk, with the product's services idle or SIGSTOPped."""
        if self.floor_url is None:
            await self.start_floor()
        with paused(self.infra.stack if services_stopped else None):
            result = await wrk.closed_loop(
                self.floor_url,
                self._floor_requests(),
                concurrency=self.concurrency,
                duration=self.duration,
                warmup=self.warmup,
            )
        return result.metrics()

    # --- P2 --------------------------------------------------------------
    async def run_p2(self, rate: float, wait: float = 20.0) -> dict:
        stack, sink = self.infra.stack, self.infra.sink
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            tokens = self.tokens or [await login(http, s) for s in STUDENTS]
            entry = await pick_entry(http, tokens[0], it=True)
        templates = [registration(t, entry, self.scan, EMAIL_SLOT) for t in tokens]

        def next_request(i: int):
            email = f"b{uuid.uuid4().hex}@bench.test"
            base = templates[i % len(templates)]
            content = base.content.replace(EMAIL_SLOT.encode(), email.encode(), 1)
            return PreparedRequest(base.method, base.path, content, base.headers), email

        result = await open_loop(stack.url, next_request, rate=rate, duration=self.duration)
        sent = {o.tag: o.finished for o in result.ok}
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(e not in sink.arrivals for e in sent):
            await asyncio.sleep(0.1)
        latencies = [sink.arrivals[e] - t for e, t in sent.items() if e in sink.arrivals]
        metrics = {
            "rate": round(rate, 2),
            "registered": len(sent),
            "errors": result.errors,
            "mails_missing": sum(1 for e in sent if e not in sink.arrivals),
            **latency_ms(latencies),
        }
        if not sent:
            raise NotAvailable(f"no IT registration succeeded: {result.first_error()}")
        if len(latencies) == 0:
            raise NotAvailable(f"no confirmation mail arrived within {wait}s of {len(sent)} registrations")
        return metrics
