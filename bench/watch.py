"""Watching the stack's processes during a run: their CPU, pausing them (SIGSTOP) for a floor measured
without them, and a consumer's queue draining after a burst."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from contextlib import contextmanager


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
    return {f"{service}_queued_after": queued,
            f"{service}_drain_s": round(time.monotonic() - began, 2) if not depth else None}
