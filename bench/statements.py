"""What each workload costs PostgreSQL, from ``pg_stat_statements`` on the benchmark's own server
(``bench.infra.start_own_postgres``): reset before a workload, read after it (and after the consumers
have drained what it caused), divided by the requests it served.

Statements run by triggers and functions are counted apart (``toplevel`` false): the top-level ones
are the round trips a service makes; BEGIN and COMMIT are statements too.
"""

from __future__ import annotations

import re
import time

from .infra import plain_dsn

TOP = 10


async def _connect(infra):
    import asyncpg

    return await asyncpg.connect(plain_dsn(f"{infra.pg}/postgres"))


async def available(infra) -> bool:
    if infra.postgres is None:
        return False
    conn = await _connect(infra)
    try:
        return bool(await conn.fetchval("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'"))
    finally:
        await conn.close()


class Window:
    """``await Window(infra).start()`` … ``await window.stop(requests)``: the statements in between."""

    def __init__(self, infra):
        self.infra = infra
        self.began = self.wall = 0.0
        self.on = False

    async def start(self) -> Window:
        self.on = await available(self.infra)
        if self.on:
            conn = await _connect(self.infra)
            try:
                await conn.execute("SELECT pg_stat_statements_reset()")
            finally:
                await conn.close()
        self.began = time.monotonic()
        return self

    async def stop(self) -> list[dict] | None:
        """The statements since ``start`` (None when the server does not count them)."""
        if not self.on:
            return None
        self.wall = time.monotonic() - self.began
        conn = await _connect(self.infra)
        try:
            rows = await conn.fetch(
                """
                SELECT d.datname AS db, s.toplevel, s.query, s.calls, s.total_exec_time AS ms, s.rows
                  FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                 WHERE d.datname LIKE $1 AND s.calls > 0
                """,
                f"{self.infra.tag}%",
            )
        finally:
            await conn.close()
        return [dict(r) for r in rows]

    def profile(self, rows: list[dict], requests: int | None) -> dict:
        """Per request (per second when ``requests`` is None: the idle stack)."""
        return profile(rows, self.infra.tag, requests, self.wall)


def _short(query: str, width: int = 110) -> str:
    return re.sub(r"\s+", " ", query).strip()[:width]


def profile(rows: list[dict], tag: str, requests: int | None, wall: float) -> dict:
    per = requests if requests else wall
    unit = "request" if requests else "s"
    top = [r for r in rows if r["toplevel"]]
    nested = [r for r in rows if not r["toplevel"]]
    calls = sum(r["calls"] for r in top)
    ms = sum(r["ms"] for r in top)
    out: dict = {
        "unit": unit,
        "requests": requests,
        "wall_s": round(wall, 1),
        f"statements_per_{unit}": round(calls / per, 2) if per else None,
        f"nested_per_{unit}": round(sum(r["calls"] for r in nested) / per, 2) if per else None,
        f"ms_per_{unit}": round(ms / per, 3) if per else None,
        "total_ms": round(ms, 1),
        "mean_ms": round(ms / calls, 3) if calls else None,
        f"rows_per_{unit}": round(sum(r["rows"] for r in top) / per, 2) if per else None,
    }
    by_db: dict[str, int] = {}
    for r in top:
        db = r["db"][len(tag) + 1 :] or r["db"]
        by_db[db] = by_db.get(db, 0) + r["calls"]
    out["by_database"] = {db: round(n / per, 2) for db, n in sorted(by_db.items())} if per else {}
    out["top"] = [
        {
            "db": r["db"][len(tag) + 1 :],
            "toplevel": r["toplevel"],
            f"per_{unit}": round(r["calls"] / per, 2) if per else None,
            "calls": r["calls"],
            "total_ms": round(r["ms"], 1),
            "mean_ms": round(r["ms"] / r["calls"], 3),
            "rows": r["rows"],
            "query": _short(r["query"]),
        }
        for r in sorted(rows, key=lambda r: r["ms"], reverse=True)[:TOP]
    ]
    out["most_called"] = [
        {
            "db": r["db"][len(tag) + 1 :],
            f"per_{unit}": round(r["calls"] / per, 2) if per else None,
            "query": _short(r["query"]),
        }
        for r in sorted(top, key=lambda r: r["calls"], reverse=True)[:20]
    ]
    return out


def metrics(p: dict | None) -> dict:
    """The figures of a profile that go into the run's table."""
    if not p:
        return {}
    unit = p["unit"]
    return {
        k: p[k]
        for k in (f"statements_per_{unit}", f"nested_per_{unit}", f"ms_per_{unit}", "mean_ms")
        if p.get(k) is not None
    }


def print_profile(name: str, p: dict) -> None:
    unit = p["unit"]
    over = f"{p['requests']} requests" if p["requests"] else f"{p['wall_s']} s"
    print(
        f"\n--- statements: {name} ({over}): "
        f"{p[f'statements_per_{unit}']} top-level statements per {unit} "
        f"(+ {p[f'nested_per_{unit}']} in triggers/functions), {p[f'ms_per_{unit}']} ms, "
        f"mean {p['mean_ms']} ms, {p[f'rows_per_{unit}']} rows; total {p['total_ms']} ms"
    )
    print("    per database: " + ", ".join(f"{db} {n}" for db, n in p["by_database"].items()))
    print(f"    {'db':<13} {'per ' + unit:>9} {'total ms':>9} {'mean ms':>8} {'rows':>7}  query (top {TOP} by time)")
    for r in p["top"]:
        mark = "" if r["toplevel"] else "[nested] "
        print(
            f"    {r['db']:<13} {r[f'per_{unit}']:>9} {r['total_ms']:>9} {r['mean_ms']:>8} {r['rows']:>7}  "
            f"{mark}{r['query']}"
        )
    print(f"    most called per {unit}:")
    for r in p["most_called"]:
        print(f"    {r['db']:<13} {r[f'per_{unit}']:>9}  {r['query']}")


async def count_rows(infra, service: str, table: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(plain_dsn(infra.stack.database_url(service)))
    try:
        return await conn.fetchval(f"SELECT count(*) FROM {table}")  # a table name of ours, not input
    finally:
        await conn.close()
