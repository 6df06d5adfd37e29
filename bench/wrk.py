"""Load from ``wrk`` (Debian package): pre-built requests handed to ``bench/requests.lua`` through a
file, every answer's status counted by the script, and wrk's own CPU (user+system from wait4) reported
beside each figure so a reader can see the generator was not the bottleneck."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .load import PreparedRequest
from .watch import MachineCpu

SCRIPT = Path(__file__).resolve().parent / "requests.lua"
SLOT = b"@@WRKSLOT@@"  # replaced by wrk with a 10-digit unique number (same length as the 10 bytes it becomes)
SLOT_WIDTH = 10
MAX_GENERATOR_CORES = 1 / 3  # above this the generator may be what bounds the figure: no ratio


class WrkMissing(RuntimeError):
    pass


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise WrkMissing("wrk is not installed (apt-get install wrk)")
    return found


def raw_request(request: PreparedRequest, host: str) -> tuple[bytes, bytes]:
    """The request's bytes on the wire, split at the slot (the tail is empty when there is none).
    The slot's placeholder must have the width of the number replacing it, so Content-Length holds."""
    body = request.content
    if SLOT in body:
        body = body.replace(SLOT, b"0" * SLOT_WIDTH, 1)  # measured length
    headers = {"Host": host, "Content-Length": str(len(body)), **request.headers}
    head = f"{request.method} {request.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    wire = head.encode() + b"\r\n" + request.content
    if SLOT in wire:
        before, after = wire.split(SLOT, 1)
        return before, after
    return wire, b""


def write_requests(path: Path, requests: list[PreparedRequest], host: str) -> None:
    with open(path, "wb") as f:
        for request in requests:
            head, tail = raw_request(request, host)
            f.write(f"{len(head)} {len(tail)}\n".encode())
            f.write(head)
            f.write(tail)


@dataclass
class WrkResult:
    duration: float
    requests: int
    statuses: dict[str, int]
    socket_errors: dict[str, int]
    latency_ms: dict[str, float]
    generator_cores: float
    load1: float
    cores: dict[str, float] = field(default_factory=dict)  # the machine and each role (watch.MachineCpu)
    ok_statuses: tuple[int, ...] = (200, 201)
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return sum(n for code, n in self.statuses.items() if int(code) in self.ok_statuses)

    def metrics(self) -> dict:
        errors = self.requests - self.ok + sum(v for k, v in self.socket_errors.items() if k != "status")
        return {
            "rps": round(self.ok / self.duration, 2) if self.duration else 0.0,
            **self.latency_ms,
            "requests": self.requests,
            "errors": errors,
            "gen_cores": round(self.generator_cores, 3),
            "load1": round(self.load1, 2),
            "statuses": self.statuses,
            "socket_errors": {k: v for k, v in self.socket_errors.items() if v},
            **self.cpu_metrics(),
        }

    def cpu_metrics(self) -> dict:
        """Busy cores of the machine and of each role using at least 0.02 of a core while wrk ran, and
        the machine's CPU milliseconds per answered request: when the machine is saturated, throughput
        ratios are ratios of that cost."""
        if not self.cores or not self.ok:
            return {}
        out = {f"cpu_{role}": c for role, c in self.cores.items() if c >= 0.02}
        out["machine_cpu_ms_per_request"] = round(self.cores["machine"] * self.duration * 1000 / self.ok, 2)
        return out


def _run(url: str, requests_file: Path, connections: int, duration: float, threads: int) -> WrkResult:
    command = [
        wrk_binary(),
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(duration))}s",
        "--timeout",
        "30s",
        "-s",
        str(SCRIPT),
        url,
        "--",
        str(requests_file),
    ]
    began, machine = time.monotonic(), MachineCpu()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)  # the generator's own CPU, whatever else runs
    wall, cores = time.monotonic() - began, machine.cores()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = proc.stdout.read().decode(errors="replace"), proc.stderr.read().decode(errors="replace")
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH-WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk exited {proc.returncode} without a summary: {(err or out)[-500:]}")
    summary = json.loads(line[len("BENCH-WRK ") :])
    measured = summary["duration_us"] / 1e6
    errors = summary["errors"]
    return WrkResult(
        duration=measured,
        requests=summary["requests"],
        statuses=dict(sorted(summary["statuses"].items())),
        socket_errors={k: errors[k] for k in ("connect", "read", "write", "timeout", "status")},
        latency_ms={f"p{q}_ms": round(summary[f"p{q}_us"] / 1000, 2) for q in (50, 95, 99)},
        generator_cores=(usage.ru_utime + usage.ru_stime) / wall,
        load1=os.getloadavg()[0],
        cores=cores,
    )


async def settle(run: WrkResult, concurrency: int, longest: float = 15.0) -> None:
    """wrk stops with ``concurrency`` requests still in flight; the server finishes them after it has
    gone. Wait about as long as they take at the rate just measured, so they do not count against the
    next run."""
    rate = run.ok / run.duration if run.duration else 0.0
    await asyncio.sleep(min(longest, concurrency / rate if rate > 0 else longest))


async def closed_loop(
    url: str,
    requests: list[PreparedRequest],
    *,
    concurrency: int,
    duration: float,
    warmup: float = 0.0,
    warmup_requests: list[PreparedRequest] | None = None,
    threads: int = 1,
) -> WrkResult:
    """``concurrency`` connections back to back for ``duration`` s, after a separate ``warmup`` run
    (sending ``warmup_requests``, by default the same list); requests are taken in order and cycled
    if wrk sends more (``extra["cycled"]``)."""
    host = urlsplit(url).netloc
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        path = Path(tmp) / "requests.bin"
        warm = None
        if warmup > 0:
            write_requests(path, warmup_requests or requests, host)
            warm = await asyncio.to_thread(_run, url, path, concurrency, warmup, threads)
            await settle(warm, concurrency)
        write_requests(path, requests, host)
        result = await asyncio.to_thread(_run, url, path, concurrency, duration, threads)
        await settle(result, concurrency)
    result.extra["warmup_ok"] = warm.ok if warm else 0
    result.extra["prepared"] = len(requests)
    result.extra["cycled"] = result.requests > len(requests)
    return result
