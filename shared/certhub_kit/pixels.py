"""How many pixels a process may decode at once.

A 170 KB PNG can claim 6300 × 6300 pixels: 160 MB once decoded, several copies while a thumbnail is
made. So an image's size is read from its header first and refused above ``max_pixels`` before any
pixel is decoded, and every decode holds its pixels from one per-process budget while it runs —
weighted by pixels, not a count of uploads: many small scans decode together, two large ones wait
for each other. Decoded memory is handed back to the operating system afterwards (``malloc_trim``),
so a burst does not leave the process at its peak. The budget is shared by everything in the process
(the standalone system's four services too); settings: ``CERTHUB_SCAN_MAX_PIXELS``,
``CERTHUB_SCAN_PIXELS_IN_FLIGHT`` (certhub_kit.settings).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
from collections.abc import AsyncIterator

DEFAULT_MAX_PIXELS = 20_000_000  # 4:3 at 5164 × 3873, an A4 page at 450 dpi; Pillow holds 4 bytes a pixel
DEFAULT_IN_FLIGHT = 20_000_000  # ≈ 80 MB of decoded pixels per process at most
TRIM_ABOVE = 2_000_000  # pixels: smaller decodes are not worth a malloc_trim


class PixelBudget:
    """A weighted semaphore on the event loop: ``async with budget.held(pixels)``."""

    def __init__(self, limit: int = DEFAULT_IN_FLIGHT, max_pixels: int = DEFAULT_MAX_PIXELS):
        self.limit = limit
        self.max_pixels = max_pixels
        self.in_flight = 0
        self.peak = 0
        self._waiters: list[asyncio.Future] = []

    def configure(self, *, limit: int, max_pixels: int) -> None:
        self.limit, self.max_pixels = limit, max_pixels

    @contextlib.asynccontextmanager
    async def held(self, pixels: int) -> AsyncIterator[None]:
        pixels = max(0, min(pixels, self.limit))  # one image never waits for more than the whole budget
        while self.in_flight and self.in_flight + pixels > self.limit:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            finally:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
        self.in_flight += pixels
        self.peak = max(self.peak, self.in_flight)
        try:
            yield
        finally:
            self.in_flight -= pixels
            for waiter in list(self._waiters):  # each re-checks whether it fits now
                if not waiter.done():
                    with contextlib.suppress(RuntimeError):  # its loop is gone (a finished test)
                        waiter.set_result(None)


PIXELS = PixelBudget()
"""The process's budget (configured from the settings by the runtime on start)."""


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _libc()


def release_memory(pixels: int) -> None:
    """Give freed heap back to the operating system after a large decode (glibc; elsewhere nothing)."""
    if _LIBC is not None and pixels >= TRIM_ABOVE:
        _LIBC.malloc_trim(0)
