"""Watching the stack's processes during a run: their CPU, pausing them (SIGSTOP) for a floor measured
without them, and a consumer's queue draining after a burst."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from contextlib import contextmanager

from certhub_kit.services import SERVICES


def _processes(pids: list[int]):
    import psutil

    found = []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            found.append(proc)
            found.extend(proc.children(recursive=True))
        except psutil.NoSuchProcess:
            pass
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User+system CPU used so far by these processes and their children."""
    total = 0.0
    for proc in _processes(pids):
        try:
            t = proc.cpu_times()
            total += t.user + t.system
        except Exception:
            pass
    return total


def stack_pids(stack, services: tuple[str, ...] | None = None) -> list[int]:
    return [p.pid for s, procs in stack.processes.items() if services is None or s in services for p in procs]


class ServiceCpu:
    """CPU seconds a service's processes used since this object was made."""

    def __init__(self, stack, *services: str):
        self.pids = stack_pids(stack, services or None)
        self.began = cpu_seconds(self.pids)
        self.wall = time.monotonic()

    def seconds(self) -> float:
        return cpu_seconds(self.pids) - self.began

    def cores(self) -> float:
        wall = time.monotonic() - self.wall
        return self.seconds() / wall if wall > 0 else 0.0


@contextmanager
def paused(stack):
    """SIGSTOP every service process of ``stack`` (None: do nothing) for the block, SIGCONT after."""
    procs = _processes(stack_pids(stack)) if stack is not None else []
    for proc in procs:
        os.kill(proc.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for proc in procs:
            try:
                os.kill(proc.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass


async def queue_depth(amqp: str, queue: str) -> int | None:
    import aio_pika

    connection = await aio_pika.connect(amqp)
    async with connection:
        channel = await connection.channel()
        try:
            declared = await channel.declare_queue(queue, passive=True)
        except Exception:
            return None
        return declared.declaration_result.message_count


async def drain_queue(infra, service: str, timeout: float) -> dict:
    """The service's queue right after a burst (ready messages) and the seconds until it is empty
    (None when it did not drain within ``timeout``)."""
    from certhub_kit.events.topology import queue_name

    queue = queue_name(service, f"{infra.tag}.")
    began = time.monotonic()
    queued = await queue_depth(infra.amqp, queue)
    depth = queued
    while depth and time.monotonic() - began < timeout:
        await asyncio.sleep(0.25)
        depth = await queue_depth(infra.amqp, queue)
    return {
        f"{service}_queued_after": queued,
        f"{service}_drain_s": round(time.monotonic() - began, 2) if not depth else None,
    }


async def backend_pids(infra) -> list[int]:
    """PostgreSQL's server processes connected to this run's databases (the server is shared: its
    CPU is attributed per backend, the way ``top`` would show it)."""
    import asyncpg

    from .infra import plain_dsn

    conn = await asyncpg.connect(plain_dsn(f"{infra.pg}/postgres"))
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname LIKE $1", f"{infra.tag}%")
    finally:
        await conn.close()
    return [r["pid"] for r in rows]


class PostgresCpu:
    """CPU seconds of the run's PostgreSQL backends between ``start`` and ``stop`` (backends that
    ended in between are not counted: the pools keep theirs open)."""

    def __init__(self, infra):
        self.infra = infra
        self.began: dict[int, float] = {}

    @staticmethod
    def _each(pids: list[int]) -> dict[int, float]:
        import psutil

        out = {}
        for pid in pids:
            try:
                t = psutil.Process(pid).cpu_times()
                out[pid] = t.user + t.system
            except Exception:
                pass
        return out

    async def start(self) -> PostgresCpu:
        self.began = self._each(await backend_pids(self.infra))
        return self

    async def stop(self) -> float:
        now = self._each(await backend_pids(self.infra))
        return sum(v - self.began.get(pid, 0.0) for pid, v in now.items())


async def idle_cost(infra, seconds: float) -> dict:
    """CPU of every service process and of the run's PostgreSQL backends over ``seconds`` with no
    load at all, in cores."""
    stack = infra.stack
    services = ServiceCpu(stack)
    per_service = {s: ServiceCpu(stack, s) for s in stack.processes}
    from . import statements

    window = await statements.Window(infra).start()
    pg = await PostgresCpu(infra).start()
    began = time.monotonic()
    await asyncio.sleep(seconds)
    pg_s = await pg.stop()
    taken = await window.stop()
    wall = time.monotonic() - began
    out = {"services_cores": round(services.seconds() / wall, 4), "postgres_cores": round(pg_s / wall, 4)}
    out["total_cores"] = round(out["services_cores"] + out["postgres_cores"], 4)
    out.update({f"cores_{s}": round(c.seconds() / wall, 4) for s, c in per_service.items()})
    out["load1"] = round(os.getloadavg()[0], 2)
    if taken is not None:
        out["statements"] = stored = window.profile(taken, None)
        out.update(statements.metrics(stored))
    return out


def role_of(name: str, cmdline: list[str]) -> str:
    """What a process is to the run, from its name and command line: a service (``python -m review
    serve``), the floor, moto, PostgreSQL, RabbitMQ, nginx, wrk, this benchmark (its SMTP sink), other."""
    if name.startswith("postgres"):
        return "postgresql"
    if name in ("beam.smp", "erl_child_setup", "epmd", "inet_gethost"):
        return "rabbitmq"
    if name in ("nginx", "wrk"):
        return name
    if "-m" in cmdline[:-1]:
        module = cmdline[cmdline.index("-m") + 1]
        if module in SERVICES:
            return module
        return {"bench.floor": "floor", "moto.server": "moto", "bench.run": "bench"}.get(module, "other")
    return "other"


class MachineCpu:
    """The whole machine's CPU over a window, split by role (:func:`role_of`): which process was busy
    while a workload ran is what bounds it. ``cores()`` gives ``machine`` (busy cores, all processes)
    and one entry per role, in cores."""

    def __init__(self) -> None:
        import psutil

        self._psutil = psutil
        self.began, self.machine_began, self.wall = self._by_pid(), self._busy(), time.monotonic()

    def _busy(self) -> float:
        t = self._psutil.cpu_times()
        return sum(t) - t.idle - getattr(t, "iowait", 0.0)

    def _by_pid(self) -> dict[int, tuple[str, float]]:
        out = {}
        for proc in self._psutil.process_iter(["name", "cmdline", "cpu_times"]):
            info = proc.info
            if info["cpu_times"] is None:
                continue
            role = role_of(info["name"] or "", info["cmdline"] or [])
            out[proc.pid] = (role, info["cpu_times"].user + info["cpu_times"].system)
        return out

    def cores(self) -> dict[str, float]:
        wall = time.monotonic() - self.wall
        if wall <= 0:
            return {}
        roles: dict[str, float] = {}
        for pid, (role, seconds) in self._by_pid().items():
            roles[role] = roles.get(role, 0.0) + seconds - self.began.get(pid, (role, 0.0))[1]
        out = {"machine": (self._busy() - self.machine_began) / wall}
        out.update({role: s / wall for role, s in sorted(roles.items(), key=lambda kv: -kv[1])})
        return {k: round(v, 3) for k, v in out.items()}
