"""P5: ``certificate.status_changed.v1`` events queued while the consumers are stopped, then drained.

The event goes to three queues (review, rewards, notify); deliveries/s counts all three. The
credentials service also subscribes to it (it signs a record per approval, a different workload): it is
stopped for the run and its copy of the backlog purged, so P5 keeps measuring what it always did.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime

from .infra import ROOT, Infra, NotAvailable, plain_dsn

CONSUMERS = ("review", "rewards", "notify")
SET_ASIDE = ("credentials",)  # subscribed too, but not part of P5


def envelope_body(n: int) -> tuple[bytes, str]:
    from certhub_kit.events import Envelope
    from certhub_kit.events.certificates import CertificateSnapshot, CertificateStatusChanged, StudentRef

    now = datetime.now(UTC)
    student = StudentRef(
        id=f"s3{n % 50000:06d}",
        name="壓測",
        email=f"s3{n % 50000:06d}@bench.test",
        dept="IM",
        division="day",
        program="bachelor",
        class_="IM3A",
    )
    snapshot = CertificateSnapshot(
        certificate_id=uuid.uuid4(),
        student=student,
        entry_id=uuid.uuid4(),
        entry_key="bench",
        entry_name="壓測證照",
        category=1,
        issued_on=date(2026, 1, 5),
        status="approved",
        version=2,
        registered_at=now,
        submitted_at=now,
    )
    data = CertificateStatusChanged(
        certificate=snapshot, from_status="submitted", to_status="approved", actor_id="rev-im", actor_name="林審核"
    )
    envelope = Envelope.wrap(data, source="bench", subject=str(snapshot.certificate_id))
    return envelope.model_dump_json().encode(), str(envelope.id)


async def _depths(channel, names: list[str]) -> int:
    total = 0
    for name in names:
        q = await channel.declare_queue(name, passive=True)
        total += q.declaration_result.message_count or 0
    return total


async def _publish(exchange, routing_key: str, events: int) -> float:
    """Publishes ``events`` status changes with confirms; returns the seconds it took."""
    import aio_pika

    began, window = time.monotonic(), 1000
    for start in range(0, events, window):
        batch = [envelope_body(n) for n in range(start, min(events, start + window))]
        await asyncio.gather(
            *(
                exchange.publish(
                    aio_pika.Message(
                        body=body,
                        message_id=mid,
                        type="certificate.status_changed.v1",
                        content_type="application/cloudevents+json",
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    ),
                    routing_key=routing_key,
                    mandatory=True,
                )
                for body, mid in batch
            )
        )
    return time.monotonic() - began


async def _drain(
    channel,
    queues: list[str],
    queued: int,
    alive,
    timeout: float,
    processes: dict | None = None,
    on_first_ack=lambda: None,
) -> dict:
    """Waits until the queues are empty. ``drain_s``: first ack to empty; ``to_first_s``: start to
    first ack; ``empty_after_s``: when each queue (with its retry queue) emptied, from the first ack;
    ``cpu_ms_per_delivery``: each process's CPU from the first ack to empty, per delivery it had."""
    spawned, first_drop, depth, emptied, cpu_at = time.monotonic(), None, queued, {}, {}

    def cpu():
        return {n: sum(p.cpu_times()[:2]) for n, p in (processes or {}).items()}

    while depth > 0 and time.monotonic() - spawned < timeout:
        alive()
        await asyncio.sleep(0.1)
        each = {name: await _depths(channel, [name]) for name in queues}
        depth = sum(each.values())
        if first_drop is None and depth < queued:
            first_drop, cpu_at = time.monotonic(), cpu()
            on_first_ack()
        for name in queues:
            if first_drop and name not in emptied and not each[name] and not each.get(f"{name}.retry"):
                emptied[name] = round(time.monotonic() - first_drop, 2)
    ended = time.monotonic()
    used = {n: c - cpu_at.get(n, c) for n, c in cpu().items()}
    share = queued / max(1, len(used))
    return {
        "drain_s": ended - (first_drop or spawned),
        "to_first_s": (first_drop or ended) - spawned,
        "depth": depth,
        "empty_after_s": {n: t for n, t in emptied.items() if not n.endswith(".retry")},
        "cpu_ms_per_delivery": {n: round(c / share * 1000, 3) for n, c in used.items()},
    }


def _profilers(stack, profile_dir: str | None) -> list[subprocess.Popen]:
    """``py-spy record`` of each consumer from the first ack until it is stopped (collapsed stacks, one
    file per service)."""
    if not profile_dir:
        return []
    os.makedirs(profile_dir, exist_ok=True)
    spy = os.path.join(os.path.dirname(sys.executable), "py-spy")
    return [
        subprocess.Popen(
            [
                spy,
                "record",
                "-p",
                str(stack.processes[s][0].pid),
                "-r",
                "250",
                "-f",
                "raw",
                "-o",
                os.path.join(profile_dir, f"p5-{s}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for s in CONSUMERS
    ]


async def run_p5(infra: Infra, events: int, timeout: float = 600.0, profile_dir: str | None = None) -> dict:
    """``profile_dir``: record the consumers with py-spy (``pip install py-spy``) while they drain."""
    import aio_pika

    from certhub_kit.events.topology import queue_name

    stack = infra.stack
    for service in (*CONSUMERS, *SET_ASIDE):
        for proc in stack.processes.pop(service, []):
            proc.terminate()
            await asyncio.to_thread(proc.wait, 15)
        stack.ports.pop(service, None)
    mains = [queue_name(s, f"{infra.tag}.") for s in CONSUMERS]
    queues = mains + [f"{m}.retry" for m in mains]
    connection = await aio_pika.connect(infra.amqp)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(f"certhub.events.{infra.tag}")
        if await _depths(channel, queues):
            for name in queues:
                await (await channel.get_queue(name)).purge()
        publish_s = await _publish(exchange, "certificate.status_changed.v1", events)
        queued = await _depths(channel, mains)
        if queued < events * len(CONSUMERS) * 0.99:
            raise NotAvailable(f"only {queued} of {events * len(CONSUMERS)} deliveries queued")
        dead_before = await _depths(channel, [f"{m}.dead" for m in mains])
        for service in CONSUMERS:
            stack._spawn(service)
        profilers: list[subprocess.Popen] = []

        def alive() -> None:
            for service in CONSUMERS:
                if stack.processes[service][0].poll() is not None:
                    raise NotAvailable(f"{service} exited: {stack.log_tail(service, 500)}")

        import psutil

        try:
            drained = await _drain(
                channel,
                queues,
                queued,
                alive,
                timeout,
                {s: psutil.Process(stack.processes[s][0].pid) for s in CONSUMERS},
                on_first_ack=lambda: profilers.extend(_profilers(stack, profile_dir)),
            )
        finally:
            for spy in profilers:
                spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
                await asyncio.to_thread(spy.wait, 30)
        dead = await _depths(channel, [f"{m}.dead" for m in mains]) - dead_before
        for service in SET_ASIDE:
            await (await channel.get_queue(queue_name(service, f"{infra.tag}."))).purge()
    drain, to_first, depth = drained["drain_s"], drained["to_first_s"], drained["depth"]
    if depth > 0:
        raise NotAvailable(f"{depth} deliveries still queued after {timeout}s")
    return {
        "events": events,
        "deliveries": queued,
        "publish_per_s": round(events / publish_s, 1),
        "empty_after_s": drained["empty_after_s"],
        "cpu_ms_per_delivery": drained["cpu_ms_per_delivery"],
        "drain_s": round(drain, 2),
        "deliveries_per_s": round(queued / drain, 1) if drain else None,
        "events_per_s": round(events / drain, 1) if drain else None,
        "start_to_first_ack_s": round(to_first, 2),
        "dead_lettered": dead,
    }


async def run_floor(infra: Infra, events: int, timeout: float = 600.0) -> dict:
    """The same backlog on three plain queues drained by ``bench.drain_floor`` processes."""
    import aio_pika

    from certhub_kit.db import ensure_database

    db = infra.database("drainfloor")
    await ensure_database(db)
    import asyncpg

    from .drain_floor import INBOX

    admin = await asyncpg.connect(plain_dsn(db))  # made here once: three consumers creating it at once race
    try:
        await admin.execute(INBOX)
    finally:
        await admin.close()
    exchange_name = f"bench.drain.{infra.tag}"
    names = [f"bench.drain.{infra.tag}.{c}" for c in CONSUMERS]
    connection = await aio_pika.connect(infra.amqp)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        if exchange_name not in infra.extra_exchanges:
            infra.extra_exchanges.append(exchange_name)
            infra.extra_queues.extend(names)
        for name in names:
            queue = await channel.declare_queue(name, durable=True, arguments={"x-queue-type": "quorum"})
            await queue.bind(exchange, routing_key="#")
            await queue.purge()
        await _publish(exchange, "floor", events)
        queued = await _depths(channel, names)
        env = {**os.environ, "BENCH_DRAIN_DSN": plain_dsn(db), "BENCH_DRAIN_AMQP": infra.amqp}
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "bench.drain_floor"],
                cwd=ROOT,
                env={**env, "BENCH_DRAIN_QUEUE": name},
                stdout=subprocess.DEVNULL,
            )
            for name in names
        ]

        def alive() -> None:
            if any(p.poll() is not None for p in procs):
                raise NotAvailable("a drain-floor consumer exited")

        try:
            import psutil

            drained = await _drain(
                channel,
                names,
                queued,
                alive,
                timeout,
                {c: psutil.Process(p.pid) for c, p in zip(CONSUMERS, procs, strict=True)},
            )
        finally:
            for proc in procs:
                proc.terminate()
                await asyncio.to_thread(proc.wait, 15)
    drain, depth = drained["drain_s"], drained["depth"]
    if depth > 0:
        raise NotAvailable(f"{depth} floor deliveries still queued after {timeout}s")
    return {
        "deliveries": queued,
        "drain_s": round(drain, 2),
        "cpu_ms_per_delivery": drained["cpu_ms_per_delivery"],
        "deliveries_per_s": round(queued / drain, 1) if drain else None,
    }
