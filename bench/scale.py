"""P4: a bulk loader (asyncpg COPY, not the API) and the queries at scale, with their plans.

Sizes at --scale 1.0: 1,000,000 certificates (and their review-queue projection), 300,000 reward
applications, 20,000 catalog entries with two levels each.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx

from .infra import Infra, NotAvailable, plain_dsn
from .registration import login
from .stats import latency_ms

DEPTS = ["IM", "EE"] + [f"D{i:02d}" for i in range(18)]
STATUSES = (
    ["approved"] * 55
    + ["recorded"] * 10
    + ["submitted"] * 12
    + ["rejected"] * 8
    + ["draft"] * 5
    + ["verifying"] * 4
    + ["credit_pending"] * 4
    + ["rereview"] * 2
)
APP_STATUSES = ["submitted"] * 30 + ["first_passed"] * 20 + ["second_passed"] * 20 + ["paid"] * 25 + ["rejected"] * 5
WORDS = [
    "資訊",
    "管理",
    "電機",
    "英語",
    "檢定",
    "會計",
    "證券",
    "程式",
    "設計",
    "網路",
    "雲端",
    "資料",
    "分析",
    "Cloud",
    "Network",
    "Java",
    "Python",
    "Office",
    "Security",
    "Data",
    "Excel",
    "Linux",
    "Oracle",
    "Cisco",
]
BATCH = 50_000


def sizes(scale: float) -> dict[str, int]:
    return {
        "certificates": max(1000, int(1_000_000 * scale)),
        "applications": max(300, int(300_000 * scale)),
        "catalog": max(200, int(20_000 * scale)),
        "students": max(100, int(60_000 * scale)),
    }


async def _copy(conn, table: str, columns: list[str], rows) -> int:
    total, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            await conn.copy_records_to_table(table, records=batch, columns=columns)
            total += len(batch)
            batch = []
    if batch:
        await conn.copy_records_to_table(table, records=batch, columns=columns)
        total += len(batch)
    return total


def _student(rng: random.Random, n: int) -> tuple:
    dept = DEPTS[n % len(DEPTS)]
    return (
        f"s2{n:06d}",
        f"{rng.choice('王李陳林張黃吳劉')}{rng.choice(WORDS[:12])}{n}",
        dept,
        "day" if n % 4 else "night",
        "bachelor" if n % 5 else "master",
        f"{dept}{1 + n % 4}{'AB'[n % 2]}",
    )


async def load(infra: Infra, scale: float) -> dict:
    import asyncpg

    rng = random.Random(8)
    size = sizes(scale)
    began = time.monotonic()
    stack = infra.stack
    certs = await asyncpg.connect(plain_dsn(stack.database_url("certificates")))
    review = await asyncpg.connect(plain_dsn(stack.database_url("review")))
    rewards = await asyncpg.connect(plain_dsn(stack.database_url("rewards")))
    try:
        categories = [r[0] for r in await certs.fetch("SELECT code FROM categories")]
        standards = await rewards.fetch("SELECT id, academic_year, scope, level, item, name, amount FROM standards")
        if not categories:
            raise NotAvailable("certificates has no categories (catalog seed missing)")
        if not standards:
            raise NotAvailable("rewards has no standards (demo data missing)")
        entries = [
            (
                uuid.uuid4(),
                f"bench-{i}",
                f"{rng.choice(WORDS)}{rng.choice(WORDS)}{i}",
                f"{rng.choice(WORDS[12:])} {i}",
                f"發證單位{i % 300}",
                rng.choice(categories),
                f"B{i:07d}",
                i % 7 == 0,
            )
            for i in range(size["catalog"])
        ]
        await _copy(
            certs,
            "catalog_entries",
            ["id", "key", "name", "name_en", "issuer", "category", "national_code", "it_certificate"],
            entries,
        )
        levels = [(uuid.uuid4(), e[0], name, pos) for e in entries for pos, name in enumerate(("初級", "中級"))]
        await _copy(certs, "catalog_levels", ["id", "entry_id", "name", "position"], levels)
        students = [_student(rng, n) for n in range(size["students"])]
        now = datetime.now(UTC)

        def certificate_rows():
            for _ in range(size["certificates"]):
                s = students[rng.randrange(len(students))]
                k = rng.randrange(len(entries))
                e = entries[k]
                created = now - timedelta(seconds=rng.randrange(3 * 365 * 86400))
                yield (
                    uuid.uuid4(),
                    s[0],
                    s[1],
                    f"{s[0]}@bench.test",
                    s[2],
                    s[3],
                    s[4],
                    s[5],
                    e[0],
                    levels[2 * k + rng.randrange(2)][0],
                    created.date(),
                    f"{s[0]}@bench.test",
                    rng.choice(STATUSES),
                    "k/s",
                    "image/jpeg",
                    "k/t",
                    created,
                    created,
                    e[1],
                    e[2],
                    e[5],
                )

        cert_cols = [
            "id",
            "student_id",
            "student_name",
            "student_email",
            "dept",
            "division",
            "program",
            "klass",
            "entry_id",
            "level_id",
            "issued_on",
            "email",
            "status",
            "scan_key",
            "scan_content_type",
            "thumbnail_key",
            "created_at",
            "updated_at",
        ]
        review_cols = [
            "certificate_id",
            "version",
            "student_id",
            "student_name",
            "dept",
            "division",
            "program",
            "class_",
            "entry_id",
            "entry_key",
            "entry_name",
            "category",
            "issued_on",
            "status",
            "registered_at",
            "queued_at",
        ]
        done = 0
        batch: list[tuple] = []
        for row in certificate_rows():
            batch.append(row)
            if len(batch) >= BATCH:
                done += await _flush(certs, review, batch, cert_cols, review_cols)
                batch = []
        if batch:
            done += await _flush(certs, review, batch, cert_cols, review_cols)
        years = sorted({s["academic_year"] for s in standards})

        def application_rows():
            for _ in range(size["applications"]):
                s = students[rng.randrange(len(students))]
                st = standards[rng.randrange(len(standards))]
                yield (
                    uuid.uuid4(),
                    st["academic_year"] - rng.choice((0, 0, 1, 2)),
                    s[0],
                    s[1],
                    f"{s[0]}@bench.test",
                    s[2],
                    s[3],
                    s[4],
                    s[5],
                    st["id"],
                    f"{st['level']}級-{st['item']}項-{st['name']}"[:300],
                    st["amount"],
                    st["level"],
                    rng.choice(APP_STATUSES),
                )

        await _copy(
            rewards,
            "applications",
            [
                "id",
                "academic_year",
                "student_id",
                "student_name",
                "student_email",
                "dept",
                "division",
                "program",
                "class_",
                "standard_id",
                "label",
                "amount",
                "level",
                "status",
            ],
            application_rows(),
        )
        for conn in (certs, review, rewards):
            await conn.execute("ANALYZE")
        return {
            **size,
            "load_s": round(time.monotonic() - began, 1),
            "years": years,
            "sample_student": students[1][0],
            "sample_name": students[1][1][:1],
        }
    finally:
        for conn in (certs, review, rewards):
            await conn.close()


async def _flush(certs, review, batch, cert_cols, review_cols) -> int:
    await certs.copy_records_to_table("certificates", records=[r[:18] for r in batch], columns=cert_cols)
    await review.copy_records_to_table(
        "review_items",
        records=[
            (r[0], 1, r[1], r[2], r[4], r[5], r[6], r[7], r[8], r[18], r[19], r[20], r[10], r[12], r[16], r[16])
            for r in batch
        ],
        columns=review_cols,
    )
    return len(batch)


def queries(info: dict) -> dict[str, tuple[str, str, dict]]:
    """name → (user, path, params); the typical filter combinations."""
    year = info["years"][-1] if info.get("years") else date.today().year - 1911
    return {
        "history year": ("center", "/api/rewards/applications", {"year": year}),
        "history year+dept": ("center", "/api/rewards/applications", {"year": year, "dept": "IM"}),
        "history year+dept+class": (
            "center",
            "/api/rewards/applications",
            {"year": year, "dept": "IM", "class": "IM2B", "program": "bachelor"},
        ),
        "history student no.": ("center", "/api/rewards/applications", {"student": info.get("sample_student", "s2")}),
        "history name": ("center", "/api/rewards/applications", {"name": info.get("sample_name", "王")}),
        "history reviewer (own dept)": ("rev-im", "/api/rewards/applications", {"year": year}),
        "certificates dept+status": ("center", "/api/certificates", {"dept": "IM", "status": "submitted"}),
        "review queue (rev-im)": ("rev-im", "/api/review/queue", {"status": "submitted"}),
        "review queue (center, all)": ("center", "/api/review/queue", {}),
        "catalog q=資訊": ("s1100001", "/api/catalog", {"q": "資訊"}),
        "catalog q=Cloud": ("s1100001", "/api/catalog", {"q": "Cloud"}),
        "catalog q=B00012 (code)": ("s1100001", "/api/catalog", {"q": "B00012"}),
        "catalog q=TQC": ("s1100001", "/api/catalog", {"q": "TQC"}),
    }


def service_process(infra: Infra, path: str):
    """The process answering ``/api/<service>/...`` (its CPU time per request is steady on a busy machine)."""
    import psutil

    service = {"catalog": "certificates", "review": "review", "rewards": "rewards"}.get(
        path.split("/")[2], "certificates"
    )
    return psutil.Process(infra.stack.processes[service][0].pid)


async def measure(infra: Infra, info: dict, samples: int) -> dict[str, dict]:
    out: dict[str, dict] = {}
    async with httpx.AsyncClient(base_url=infra.stack.url, timeout=30) as http:
        tokens: dict[str, str] = {}
        for name, (user, path, params) in queries(info).items():
            try:
                if user not in tokens:
                    tokens[user] = await login(http, user)
                headers = {"Authorization": f"Bearer {tokens[user]}"}
                first = await http.get(path, params=params, headers=headers)
                if first.status_code != 200:
                    out[name] = {"not_available": f"{first.status_code} {first.text[:160]}"}
                    continue
                times = []
                server = service_process(infra, path)
                cpu_before = sum(server.cpu_times()[:2])
                for _ in range(samples):
                    t = time.monotonic()
                    r = await http.get(path, params=params, headers=headers)
                    times.append(time.monotonic() - t)
                    if r.status_code != 200:
                        raise NotAvailable(f"{r.status_code} mid-run")
                cpu_ms = (sum(server.cpu_times()[:2]) - cpu_before) / samples * 1000
                out[name] = {**latency_ms(times), "cpu_ms": round(cpu_ms, 2)}
            except (NotAvailable, httpx.HTTPError) as exc:
                out[name] = {"not_available": str(exc)[:200]}
    return out


PLANS = {
    "rewards": {
        "history year+dept": "SELECT * FROM applications WHERE academic_year = {year} AND dept = 'IM' "
        "ORDER BY seq DESC LIMIT 50",
        "history year+dept+class": "SELECT * FROM applications WHERE academic_year = {year} AND dept = 'IM' "
        "AND class_ = 'IM2B' AND program = 'bachelor' ORDER BY seq DESC LIMIT 50",
        "history student prefix": "SELECT * FROM applications WHERE lower(student_id) LIKE 's20001%' "
        "ORDER BY seq DESC LIMIT 50",
        "history name substring": "SELECT * FROM applications WHERE student_name ILIKE '%王%' "
        "ORDER BY seq DESC LIMIT 50",
    },
    "certificates": {
        "certificates dept+status": "SELECT c.*, e.name FROM certificates c "
        "JOIN catalog_entries e ON e.id = c.entry_id "
        "WHERE c.dept IN ('IM') AND c.status = 'submitted' "
        "ORDER BY c.created_at DESC, c.id DESC LIMIT 50",
        "catalog search (SQL fallback)": "SELECT * FROM catalog_entries WHERE active AND search_text LIKE '%資訊%' "
        "ORDER BY length(name), category, name, id LIMIT 20",
        "catalog search (SQL fallback, 3+ chars)": "SELECT * FROM catalog_entries "
        "WHERE active AND search_text LIKE '%cloud%' "
        "ORDER BY length(name), category, name, id LIMIT 20",
    },
    "review": {
        "review queue centre default": "SELECT * FROM review_items WHERE status IN ('rereview', 'submitted', "
        "'verifying') ORDER BY queued_at, certificate_id LIMIT 51",
        "review queue dept+status": "SELECT * FROM review_items WHERE dept IN ('IM') AND status = 'submitted' "
        "ORDER BY queued_at, certificate_id LIMIT 50",
    },
}


async def plans(infra: Infra, info: dict) -> dict[str, str]:
    """EXPLAIN (ANALYZE, BUFFERS) of SQL mirroring what the repositories send."""
    import asyncpg

    year = info["years"][-1] if info.get("years") else 0
    out: dict[str, str] = {}
    for service, statements in PLANS.items():
        conn = await asyncpg.connect(plain_dsn(infra.stack.database_url(service)))
        try:
            for name, sql in statements.items():
                try:
                    rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql.format(year=year))
                    out[name] = "\n".join(r[0] for r in rows)
                except Exception as exc:
                    out[name] = f"not available: {exc}"
        finally:
            await conn.close()
    return out
