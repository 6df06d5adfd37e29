"""Waiting for asynchronous effects (events consumed, mails sent) without fixed sleeps."""

from __future__ import annotations

import asyncio


async def eventually(check, timeout: float = 10.0, interval: float = 0.05):
    """Polls ``check`` (sync or async) until it returns something truthy, and returns it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last value {result!r})")
        await asyncio.sleep(interval)
