"""The transaction boundary: one unit of work per use case, committed here and nowhere else.

``in_transaction`` runs ``work(uow)`` and commits, retrying when PostgreSQL picks the transaction as a
deadlock victim; ``each_in_own_transaction`` does that once per item of a bulk request, so one refused
item never undoes the others. ``Runtime.transaction`` and ``Runtime.each_in_own_transaction`` call these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import structlog
from sqlalchemy.exc import DBAPIError

from .errors import DomainError
from .uow import UnitOfWork

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741
U = TypeVar("U", bound=UnitOfWork)
RETRYABLE = {"40P01", "40001"}  # deadlock detected, serialization failure
log = structlog.get_logger("certhub.transactions")


def retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(getattr(exc.orig, "__cause__", None), "sqlstate", None)
    return code in RETRYABLE


async def in_transaction(uow_factory: Callable[[], U], work: Callable[[U], Awaitable[T]], *, attempts: int = 3) -> T:
    for attempt in range(1, attempts + 1):
        try:
            async with uow_factory() as uow:
                result = await work(uow)
                await uow.commit()
                return result
        except DBAPIError as exc:
            if attempt == attempts or not retryable(exc):
                raise
    raise AssertionError("unreachable")


@dataclass
class Outcome(Generic[I, T]):
    """One item of a bulk request: its result, or the domain error (or, when reported, the crash) that
    refused it."""

    item: I
    result: T | None = None
    error: DomainError | None = None
    crashed: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.crashed


async def each_in_own_transaction(
    uow_factory: Callable[[], U],
    items: Iterable[I],
    work: Callable[[U, I], Awaitable[T]],
    *,
    report_crashes: bool = False,
) -> list[Outcome[I, T]]:
    """``work(uow, item)`` for every item, each committed on its own. A :class:`DomainError` refuses only
    its item; any other exception propagates unless ``report_crashes`` (then it is logged and reported
    as ``crashed``)."""
    outcomes: list[Outcome[I, T]] = []
    for item in items:
        try:
            result = await in_transaction(uow_factory, lambda uow: work(uow, item))  # noqa: B023 (awaited here)
            outcomes.append(Outcome(item, result=result))
        except DomainError as exc:
            outcomes.append(Outcome(item, error=exc))
        except Exception:
            if not report_crashes:
                raise
            log.exception("bulk_item_failed", item=repr(item)[:200])
            outcomes.append(Outcome(item, crashed=True))
    return outcomes
