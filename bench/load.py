"""An asyncio + httpx open-loop load generator (a fixed rate, for P2's end-to-end latency); closed-loop
throughput is driven by wrk (``bench/wrk.py``).

Bodies are encoded once by the caller (``PreparedRequest``) so the client spends its CPU on
sending, not on building multipart bodies 50 times a second.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from .stats import latency_ms


@dataclass
class PreparedRequest:
    method: str
    path: str
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def encode(cls, method: str, path: str, *, headers: dict | None = None, **kwargs) -> PreparedRequest:
        """Let httpx build the body (json=, data=, files=) once and keep the bytes and content type."""
        request = httpx.Request(method, "http://x" + path, **kwargs)
        body = request.read()
        wanted = {k: v for k, v in request.headers.items() if k.lower() == "content-type"}
        return cls(method, path, body, {**wanted, **(headers or {})})


@dataclass
class Outcome:
    started: float
    finished: float
    status: int  # 0 = transport error
    body: bytes = b""
    tag: object = None


@dataclass
class LoadResult:
    duration: float
    outcomes: list[Outcome]
    ok_statuses: tuple[int, ...] = (200, 201)

    @property
    def ok(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in self.ok_statuses]

    @property
    def errors(self) -> int:
        return len(self.outcomes) - len(self.ok)

    def statuses(self) -> dict[str, int]:
        return {str(k): v for k, v in sorted(Counter(o.status for o in self.outcomes).items())}

    def first_error(self) -> str | None:
        for o in self.outcomes:
            if o.status not in self.ok_statuses:
                return f"{o.status}: {o.body[:300].decode(errors='replace')}"
        return None

    def metrics(self) -> dict:
        ok = self.ok
        return {
            "rps": round(len(ok) / self.duration, 2) if self.duration else 0.0,
            **latency_ms([o.finished - o.started for o in ok]),
            "requests": len(self.outcomes),
            "errors": self.errors,
        }


def client(base_url: str, connections: int, timeout: float = 30.0) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout)


async def _send(http: httpx.AsyncClient, request: PreparedRequest, tag: object = None) -> Outcome:
    started = time.monotonic()
    try:
        response = await http.request(request.method, request.path, content=request.content, headers=request.headers)
        status, body = response.status_code, response.content
    except httpx.HTTPError as exc:
        status, body = 0, repr(exc).encode()
    return Outcome(started, time.monotonic(), status, body if status not in (200, 201) else body[:2000], tag)


async def open_loop(
    base_url: str,
    next_request: Callable[[int], tuple[PreparedRequest, object]],
    *,
    rate: float,
    duration: float,
    connections: int = 64,
) -> LoadResult:
    """Start one request every 1/rate s (regardless of answers) for ``duration`` s."""
    tasks: list[asyncio.Task] = []
    async with client(base_url, connections) as http:
        begin = time.monotonic()
        count = max(1, int(rate * duration))
        for i in range(count):
            delay = begin + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            request, tag = next_request(i)
            tasks.append(asyncio.create_task(_send(http, request, tag)))
        outcomes = list(await asyncio.gather(*tasks))
    return LoadResult(duration, outcomes)
