"""The kit's polling loop stops when it is cancelled, whatever wakes it at the same moment."""

from __future__ import annotations

import asyncio

import pytest

from certhub_kit.polling import Wake, poll_forever


async def test_a_cancel_that_comes_with_a_wake_still_stops_the_loop():
    """Python 3.11's ``wait_for`` returned normally when the task was cancelled as the event was set:
    the relay or mail sender then polled for ever and its service (or a test's teardown) never stopped."""
    wake, steps = Wake(), []

    async def step() -> int:
        steps.append(1)
        return 0

    worker = asyncio.create_task(poll_forever(step, wake=wake, full=10, interval=10, idle=10, name="test"))
    for _ in range(3):  # the worker has done its first step and waits on the wake
        await asyncio.sleep(0)
    assert len(steps) == 1
    wake.set()
    worker.cancel()
    done, _ = await asyncio.wait([worker], timeout=2)
    assert done, f"the loop kept running after its cancel ({len(steps)} steps)"
    with pytest.raises(asyncio.CancelledError):
        worker.result()


async def test_a_wake_ends_the_wait_at_once_and_a_timeout_ends_it_quietly():
    wake = Wake()
    wake.set()
    await asyncio.wait_for(wake.wait(60), 1)  # returns at once: it was set
    assert wake.woken
    await wake.wait(0.01)  # nobody set it: the timeout ends the wait without an error
    assert not wake.woken
