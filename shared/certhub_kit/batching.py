"""Deliveries collected into batches: up to ``size`` messages, or ``wait_s`` after the first.

The broker's callback only puts a message here; one task per consumer takes
batches off in delivery order and hands each to ``handle`` (which settles every
message of it), so a consumer runs one transaction at a time, many events each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

log = structlog.get_logger("certhub.batching")


class Batcher:
    def __init__(self, handle: Callable[[list[Any]], Awaitable[None]], *, size: int, wait_s: float, name: str):
        self._handle = handle
        self.size = max(1, size)
        self.wait_s = max(0.0, wait_s)
        self.name = name
        self._waiting: asyncio.Queue[Any] = asyncio.Queue()
        self._stopped = False

    async def put(self, message: Any) -> None:
        self._waiting.put_nowait(message)

    def stop(self) -> None:
        """Finish the batch in hand and take no more (their channel is gone: the broker
        delivers what is still waiting here again)."""
        self._stopped = True
        self._waiting.put_nowait(None)  # wakes a run() waiting for its first message

    async def run(self) -> None:
        while not self._stopped:
            batch = await self._next_batch()
            if self._stopped:
                return
            try:
                await self._handle(batch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # unsettled messages come back when their channel closes
                log.error("batch_not_settled", consumer=self.name, size=len(batch), error=repr(exc))

    async def _next_batch(self) -> list[Any]:
        batch = [await self._waiting.get()]
        deadline = asyncio.get_running_loop().time() + self.wait_s
        while len(batch) < self.size:
            if not self._waiting.empty():
                batch.append(self._waiting.get_nowait())
                continue
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            try:
                async with asyncio.timeout(remaining):  # not wait_for: it can swallow a cancel (polling.Wake)
                    batch.append(await self._waiting.get())
            except TimeoutError:
                break
        return batch


class AckCursor:
    """Settles a committed batch with one ``multiple`` ack when that cannot touch anything else.

    That is when every earlier delivery on the channel is settled (the previous batch ended
    right before this one and was settled whole) and the batch is the next deliveries, in
    order, on one channel; otherwise each message is acked on its own. One frame instead
    of a hundred: every socket write costs a system call.
    """

    def __init__(self) -> None:
        self._channel: Any = None
        self._last_tag = 0

    def _next(self, messages: list[Any]) -> bool:
        channel = messages[0].channel
        first = self._last_tag + 1 if channel is self._channel else 1
        return all(m.channel is channel and m.delivery_tag == first + i for i, m in enumerate(messages))

    async def ack(self, batch: list[Any], committed: list[Any]) -> None:
        """Acks ``committed`` (the part of ``batch`` not settled yet, in order)."""
        if committed and self._next(batch):
            await committed[-1].ack(multiple=True)
        else:
            for message in committed:
                await message.ack()

    def settled(self, batch: list[Any]) -> None:
        """Every message of ``batch`` is settled (acked, moved or nacked)."""
        if self._next(batch):
            self._channel, self._last_tag = batch[0].channel, batch[-1].delivery_tag
