"""One use case, one transaction; retried when PostgreSQL picks it as a deadlock victim."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError

T = TypeVar("T")
RETRYABLE = {"40P01", "40001"}  # deadlock detected, serialization failure


def _retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(getattr(exc.orig, "__cause__", None), "sqlstate", None)
    return code in RETRYABLE


async def in_transaction(runtime: Any, work: Callable[[Any], Awaitable[T]], *, attempts: int = 3) -> T:
    for attempt in range(1, attempts + 1):
        try:
            async with runtime.uow() as uow:
                result = await work(uow)
                await uow.commit()
                return result
        except DBAPIError as exc:
            if attempt == attempts or not _retryable(exc):
                raise
    raise AssertionError("unreachable")
