"""The floor of P5, measured in the same run: the unavoidable work of draining a backlog — deliver,
record each event id in an inbox table (one transaction per batch, as the services do), ack — with no
handler, no model parsing and no framework, by one process per queue like the three services.

Run by ``bench.backlog.run_floor``: ``python -m bench.drain_floor`` with BENCH_DRAIN_{DSN,AMQP,QUEUE,BATCH}.
"""

from __future__ import annotations

import asyncio
import json
import os

INBOX = (
    "CREATE TABLE IF NOT EXISTS drain_inbox (queue text NOT NULL, event_id text NOT NULL, "
    "PRIMARY KEY (queue, event_id))"
)


async def main() -> None:
    import aio_pika
    import asyncpg

    env = os.environ
    queue_name, batch_size = env["BENCH_DRAIN_QUEUE"], int(env.get("BENCH_DRAIN_BATCH", "100"))
    db = await asyncpg.connect(env["BENCH_DRAIN_DSN"])
    await db.execute(INBOX)
    connection = await aio_pika.connect(env["BENCH_DRAIN_AMQP"])
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=batch_size * 2)
    queue = await channel.get_queue(queue_name)
    pending: asyncio.Queue = asyncio.Queue()
    await queue.consume(pending.put)
    print(json.dumps({"ready": True}), flush=True)
    while True:
        batch = [await pending.get()]
        while len(batch) < batch_size:
            try:
                batch.append(await asyncio.wait_for(pending.get(), 0.005))
            except TimeoutError:
                break
        async with db.transaction():
            await db.execute(
                "INSERT INTO drain_inbox SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
                queue_name,
                [m.message_id for m in batch],
            )
        await batch[-1].ack(multiple=True)


if __name__ == "__main__":
    asyncio.run(main())
