"""The one loop of the kit's background workers (the outbox relay, the mail sender): do a batch of
work, go again at once while batches come back full, poll every ``interval`` while there is work,
and back off — doubling up to ``idle`` — while there is none. Whoever adds work after a commit sets
the ``Wake``, which ends a wait at once; so an idle stack hardly queries its database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger("certhub.polling")


class Wake:
    """Set after commit by whoever adds work; the worker waits on it between polls. A set that comes
    while the worker is busy is kept, so the next wait returns at once."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.woken = True  # whether the last wait ended because somebody set it (at first: look)

    def set(self) -> None:
        self._event.set()

    async def wait(self, timeout: float) -> None:
        """``asyncio.timeout``, not ``wait_for``: Python 3.11's ``wait_for`` returns normally when the
        task is cancelled just as the event is set, and the worker's loop would then run for ever (a
        service that never stops; a test teardown that hangs)."""
        try:
            async with asyncio.timeout(timeout):
                await self._event.wait()
        except TimeoutError:
            pass
        self.woken = self._event.is_set()
        self._event.clear()


async def poll_forever(
    step: Callable[[], Awaitable[int]],
    *,
    wake: Wake,
    full: int,
    interval: float,
    idle: float,
    busy: Callable[[], bool] = lambda: False,
    name: str,
) -> None:
    """Runs ``step`` (it returns how many items it handled) until cancelled. ``busy()`` keeps the short
    interval while work waits for a retry that is due soon. A failing step (the database is down) is
    logged and tried again a second later: the loop never dies."""
    idle = max(interval, idle)
    wait = interval
    while True:
        try:
            done = await step()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("worker_step_failed", worker=name, error=repr(exc))
            done = 0
            await asyncio.sleep(1.0)
        if done >= full:
            continue
        wait = interval if done or busy() else min(idle, wait * 2)
        await wake.wait(wait)
