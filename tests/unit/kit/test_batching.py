"""Batches: collected in delivery order; one ``multiple`` ack only when it cannot touch another message."""

from __future__ import annotations

import asyncio

from certhub_kit.batching import AckCursor, Batcher


class Delivery:
    def __init__(self, channel: object, tag: int):
        self.channel = channel
        self.delivery_tag = tag
        self.acks: list[bool] = []

    async def ack(self, multiple: bool = False) -> None:
        self.acks.append(multiple)


def deliveries(channel: object, first: int, count: int) -> list[Delivery]:
    return [Delivery(channel, tag) for tag in range(first, first + count)]


async def test_next_deliveries_of_a_channel_are_acked_with_one_frame():
    cursor, channel = AckCursor(), object()
    batch = deliveries(channel, 1, 5)
    await cursor.ack(batch, batch)
    cursor.settled(batch)
    assert [m.acks for m in batch] == [[], [], [], [], [True]]
    following = deliveries(channel, 6, 3)
    await cursor.ack(following, following[1:])  # the first was dead-lettered on its own
    assert [m.acks for m in following] == [[], [], [True]]


async def test_an_unsettled_earlier_delivery_forces_single_acks():
    cursor, channel = AckCursor(), object()
    first = deliveries(channel, 1, 3)
    await cursor.ack(first, first)  # settling failed half-way: settled() never called
    later = deliveries(channel, 4, 3)
    await cursor.ack(later, later)
    cursor.settled(later)
    assert [m.acks for m in later] == [[False], [False], [False]]
    after = deliveries(channel, 7, 2)
    await cursor.ack(after, after)
    assert [m.acks for m in after] == [[False], [False]], "tags 1-3 may still be unsettled"


async def test_a_new_channel_starts_again_and_mixed_batches_ack_singly():
    cursor, old, new = AckCursor(), object(), object()
    mixed = deliveries(old, 40, 2) + deliveries(new, 1, 2)
    await cursor.ack(mixed, mixed)
    assert [m.acks for m in mixed] == [[False]] * 4
    fresh = deliveries(new, 1, 3)
    await cursor.ack(fresh, fresh)
    assert [m.acks for m in fresh] == [[], [], [True]]


async def test_batcher_hands_over_up_to_size_in_order_and_waits_briefly_for_more():
    seen: list[list[int]] = []

    async def handle(batch):
        seen.append(batch)

    batcher = Batcher(handle, size=3, wait_s=0.05, name="t")
    for n in range(7):
        await batcher.put(n)
    task = asyncio.create_task(batcher.run())
    await asyncio.sleep(0.2)
    await batcher.put(7)
    await asyncio.sleep(0.2)
    task.cancel()
    assert seen == [[0, 1, 2], [3, 4, 5], [6], [7]]
