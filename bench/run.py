"""One command:
``.venv/bin/python -m bench.run [--quick] [--repeat 3] [--duration 10] [--scale 1.0] [--json out.json]``.

Starts the real stack (tests.support.stack.Stack: four service processes behind Debian's nginx on
PostgreSQL, RabbitMQ, moto S3 and an SMTP sink) with its own databases, exchange and queues, runs
P1–P7 and the floors, prints one table (median, min, max over the repeats) and removes what it made.
A workload that cannot run yet reports ``not available: <reason>`` and the run goes on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import traceback
from collections.abc import Awaitable, Callable

from .infra import Infra, NotAvailable
from .statements import print_profile
from .stats import summary

TARGETS = {
    ("P1/floor", "ratio"): ">= 0.7",
    ("P2 pipeline", "p99_ms"): "< 300",
    ("P3/outbox floor", "ratio"): ">= 0.6",
    ("P5 backlog", "deliveries_per_s"): ">= 2000",
    ("P7 start-up", "cold_start_s"): "<= 15",
    ("P7 start-up", "warm_start_s"): "<= 15",
    ("P6 standalone", "rss_mb_python"): "<= 600",
    ("P6 standalone", "rss_mb_with_postgres"): "<= 600",
}
TARGETS.update({(w, "total_cores"): "< 0.05" for w in ("idle stack", "idle stack (after bursts)")})
TARGETS.update(
    {
        ("P6 services (during P1)", f"rss_mb_{s}"): "<= 150"
        for s in ("certificates", "review", "rewards", "notify", "credentials")
    }
)
SHOWN = (
    "rps",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "errors",
    "ratio",
    "gen_cores",
    "load1",
    "review_queued_after",
    "review_drain_s",
    "review_cpu_ms_per_event",
    "postgres_cores",
    "services_cores",
    "total_cores",
    "deliveries_per_s",
    "events_per_s",
    "drain_s",
    "cold_start_s",
    "warm_start_s",
    "rss_mb_python",
    "rss_mb_with_postgres",
    "mails_missing",
    "rate",
    "statements_per_request",
    "statements_per_s",
    "nested_per_request",
    "ms_per_request",
    "machine_cpu_ms_per_request",
)


class Results:
    def __init__(self):
        self.runs: dict[str, list[dict]] = {}
        self.unavailable: dict[str, str] = {}
        self.extra: dict[str, object] = {}
        self.withheld: list[str] = []

    def add(self, workload: str, metrics: dict) -> None:
        self.runs.setdefault(workload, []).append(metrics)

    async def attempt(self, workload: str, action: Callable[[], Awaitable[dict]]) -> dict | None:
        if workload in self.unavailable:
            return None
        try:
            metrics = await action()
        except NotAvailable as exc:
            self.unavailable[workload] = str(exc)
            return None
        except Exception as exc:  # a workload never ends the run
            self.unavailable[workload] = f"{type(exc).__name__}: {str(exc)[:300]}"
            traceback.print_exc(file=sys.stderr)
            return None
        self.add(workload, metrics)
        print(
            f"  {workload}: "
            + ", ".join(
                f"{k}={v}"
                for k, v in metrics.items()
                if not isinstance(v, list) and v is not None and v != {} and k != "statements"
            ),
            flush=True,
        )
        if metrics.get("statements"):
            print_profile(workload, metrics["statements"])
        return metrics

    def table(self) -> list[dict]:
        rows = []
        for workload, runs in self.runs.items():
            keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float)) and not isinstance(runs[0][k], bool)]
            for key in keys:
                if key not in SHOWN and not key.startswith(("rss_mb_", "cpu_")) and workload != "P4 queries":
                    continue
                if key.startswith("rss_mb_") and workload in ("P1 registration", "P7 start-up"):
                    continue  # shown once, under P6
                s = summary([r.get(key) for r in runs])
                rows.append({"workload": workload, "metric": key, **s, "target": TARGETS.get((workload, key)) or ""})
        for workload, reason in self.unavailable.items():
            rows.append({"workload": workload, "metric": "not available", "reason": reason})
        return rows


def ratio(results: Results, name: str, a: dict | None, b: dict | None) -> None:
    """a/b in requests per second, unless a generator used more than a third of a core in either run."""
    from .wrk import MAX_GENERATOR_CORES

    if not a or not b or not b.get("rps"):
        return
    busiest = max(a.get("gen_cores") or 0.0, b.get("gen_cores") or 0.0)
    if busiest > MAX_GENERATOR_CORES:
        note = f"{name}: ratio withheld: generator used {busiest:.2f} cores"
        results.withheld.append(note)
        print("  " + note, flush=True)
        return
    results.add(name, {"ratio": round(a["rps"] / b["rps"], 3)})


def print_table(rows: list[dict]) -> None:
    print(f"\n{'workload':<26} {'metric':<34} {'median':>10} {'min':>10} {'max':>10}  target")
    print("-" * 104)
    for r in rows:
        if r["metric"] == "not available":
            print(f"{r['workload']:<26} not available: {r['reason'][:200]}")
            continue
        cells = ["" if r[k] is None else f"{r[k]:g}" for k in ("median", "min", "max")]
        median, low, high = cells
        print(f"{r['workload']:<26} {r['metric'][:34]:<34} {median:>10} {low:>10} {high:>10}  {r['target']}")


def p4_metrics(measured: dict[str, dict]) -> dict:
    out = {}
    for name, m in measured.items():
        for k in ("p50_ms", "p99_ms", "cpu_ms"):
            if k in m:
                out[f"{name} {k[:-3] if k == 'cpu_ms' else k[:3]}"] = m[k]
    return out


async def run(args: argparse.Namespace, results: Results, infra: Infra) -> None:
    from . import backlog, standalone
    from .applications import ApplicationsBench
    from .registration import RegistrationBench
    from .watch import idle_cost

    warmup = min(2.0, args.duration * 0.2)
    print(f"stack: starting (tag {infra.tag})", flush=True)
    infra.start_servers()
    await asyncio.to_thread(infra.start_stack)
    print(f"stack: ready at {infra.stack.url}", flush=True)
    idle_s = 5.0 if args.quick else 20.0
    if "IDLE" in args.only:
        await asyncio.sleep(idle_s / 2)  # start-up work (migrations, first polls) settles
        await results.attempt("idle stack", lambda: idle_cost(infra, idle_s))
    reg = RegistrationBench(infra, args.concurrency, args.duration, warmup, students=30 if args.quick else 120)
    apps = ApplicationsBench(infra, args.concurrency, args.duration, warmup)
    for i in range(args.repeat if {"P1", "P3"} & args.only else 0):
        print(f"repeat {i + 1}/{args.repeat}", flush=True)
        if "P1" in args.only:
            await p1_with_floor(results, reg)
        if "P3" in args.only:
            await p3_with_floor(results, apps, reg)
    if "IDLE" in args.only and {"P1", "P3"} & args.only:
        await results.attempt("idle stack (after bursts)", lambda: idle_cost(infra, idle_s))
    if "P2" in args.only:
        await p2(results, reg, args.repeat)
    if "P4" in args.only:
        await p4(results, infra, args)
    events = max(200, int(100_000 * args.scale))
    for _ in range(args.repeat if "P5" in args.only else 0):
        p5 = await results.attempt("P5 backlog", lambda: backlog.run_p5(infra, events, profile_dir=args.profile))
        floor = await results.attempt("drain floor (inbox+ack)", lambda: backlog.run_floor(infra, events))
        if p5 and floor and floor.get("deliveries_per_s"):
            results.add("P5/drain floor", {"ratio": round(p5["deliveries_per_s"] / floor["deliveries_per_s"], 3)})
    for _ in range((args.repeat if not args.quick else 1) if "P7" in args.only else 0):
        await results.attempt("P7 start-up", lambda: asyncio.to_thread(standalone.run_p7, 1.0 if args.quick else 3.0))
    for m in results.runs.get("P7 start-up", []):
        results.add("P6 standalone", {k: m[k] for k in ("rss_mb_python", "rss_mb_with_postgres") if k in m})


async def p1_with_floor(results: Results, reg) -> None:
    """Floors first (services stopped, then idle), then P1 on distinct scans, then the identical-scan
    stress row; each P1 row waits for the review backlog to drain, so the next row starts idle."""
    await results.attempt("floor, services stopped", lambda: reg.run_floor(services_stopped=True))
    floor = await results.attempt("floor (S3+tx+publish)", reg.run_floor)
    p1 = await results.attempt("P1 registration", reg.run_p1)
    ratio(results, "P1/floor", p1, floor)
    await results.attempt("P1 identical scans (stress)", lambda: reg.run_p1(identical=True))
    if p1:
        results.add("P6 services (during P1)", {k: v for k, v in p1.items() if k.startswith("rss_mb_")})


async def p3_with_floor(results: Results, apps, reg) -> None:
    outbox = None
    if reg.floor_url or await reg.start_floor():
        await results.attempt(
            "outbox floor, services stopped", lambda: apps.run_floor(reg.floor_url, stack=reg.infra.stack)
        )
        outbox = await results.attempt("outbox floor (tx+publish)", lambda: apps.run_floor(reg.floor_url))
    p3 = await results.attempt("P3 applications", apps.run_p3)
    ratio(results, "P3/outbox floor", p3, outbox)


async def p2(results: Results, reg, repeat: int) -> None:
    if not reg.max_rps:
        results.unavailable["P2 pipeline"] = "needs P1's rate (run P1 too)"
        return
    for _ in range(repeat):
        await results.attempt("P2 pipeline", lambda: reg.run_p2(reg.max_rps / 2))


async def p4(results: Results, infra: Infra, args: argparse.Namespace) -> None:
    from . import scale

    info = await results.attempt("P4 load", lambda: scale.load(infra, args.scale))
    if info is None:
        return
    samples = 10 if args.quick else 100
    for _ in range(args.repeat):
        measured = await scale.measure(infra, info, samples)
        for name, m in measured.items():
            if "not_available" in m:
                results.unavailable[f"P4 {name}"] = m["not_available"]
        metrics = p4_metrics(measured)
        if metrics:
            results.add("P4 queries", metrics)
    results.extra["plans"] = await scale.plans(infra, info)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (--scale 0.01), short runs, 1 start-up")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--duration", type=float, default=None, help="seconds of load per run (default 10; quick 3)")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--scale", type=float, default=None, help="P4/P5 data size factor (default 1.0; quick 0.01)")
    parser.add_argument("--json", default=None, help="write the results here")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="bench/out",
        default=None,
        metavar="DIR",
        help="record with py-spy into DIR (default bench/out): certificates and review during P1, rewards "
        "during P3 (speedscope and collapsed stacks), each consumer during P5 (collapsed stacks)",
    )
    parser.add_argument(
        "--shared-postgres",
        action="store_true",
        help="use the machine's PostgreSQL (CERTHUB_TEST_POSTGRES_URL) instead of the run's own embedded "
        "one; no statement counts then",
    )
    parser.add_argument(
        "--service-python",
        default=sys.executable,
        metavar="PYTHON",
        help="the interpreter the services run on (default: this one). One with only requirements-runtime.lock "
        "installed, as the image has, gives production's memory: in the dev venv structlog also imports rich and "
        "pygments (~5 MB per service)",
    )
    parser.add_argument(
        "--only",
        default="IDLE,P1,P2,P3,P4,P5,P7",
        help="comma-separated workloads to run, e.g. P1,P5 (P6 comes with P1 and P7; IDLE is the "
        "idle stack's CPU, before and after the P1/P3 bursts)",
    )
    args = parser.parse_args(argv)
    args.duration = args.duration if args.duration is not None else (3.0 if args.quick else 10.0)
    args.scale = args.scale if args.scale is not None else (0.01 if args.quick else 1.0)
    args.only = {w.strip().upper() for w in args.only.split(",") if w.strip()}
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    results = Results()
    infra = Infra(own_postgres=not args.shared_postgres, profile_dir=args.profile, service_python=args.service_python)
    began = time.monotonic()
    try:
        asyncio.run(run(args, results, infra))
    except Exception as exc:
        results.unavailable["stack"] = f"{type(exc).__name__}: {str(exc)[:500]}"
        traceback.print_exc(file=sys.stderr)
    finally:
        infra.cleanup()
    rows = results.table()
    print_table(rows)
    for note in results.withheld:
        print(note)
    print("load average at the end (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for name, plan in results.extra.get("plans", {}).items():
        print(f"\n--- plan: {name}\n{plan}")
    print(
        f"\n{len(results.runs)} workloads measured, {len(results.unavailable)} not available, "
        f"{time.monotonic() - began:.0f} s"
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {
                    "args": vars(args),
                    "table": rows,
                    "runs": results.runs,
                    "unavailable": results.unavailable,
                    "withheld": results.withheld,
                    **results.extra,
                },
                f,
                indent=2,
                ensure_ascii=False,
                default=str,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
