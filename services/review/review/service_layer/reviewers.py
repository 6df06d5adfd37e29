"""Staff seen using the review API, told to notify (``review.reviewer_seen.v1``) for its digests.

What is told is what the verified access token said (name, email, departments, roles). A person is
recorded when first seen, when any of that changed, and otherwise at most once an hour (per process
in memory, across replicas by the table's own condition), so requests cost no database work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import structlog

from certhub_kit.auth import STAFF, Principal
from certhub_kit.events.review import ReviewerSeen

from .unit_of_work import ReviewUnitOfWork

log = structlog.get_logger("review.reviewers")
REFRESH = timedelta(hours=1)


async def record_reviewer(uow: ReviewUnitOfWork, who: Principal, at: datetime, refresh: timedelta = REFRESH) -> bool:
    """Upsert the person and emit the event when the row changed; the caller commits."""
    depts, roles = sorted(who.depts), sorted(who.roles & STAFF)
    changed = await uow.reviewers.record(
        reviewer_id=who.sub, name=who.name, email=who.email, depts=depts, roles=roles, at=at, refresh=refresh
    )
    if changed:
        await uow.emit(
            ReviewerSeen(reviewer_id=who.sub, name=who.name, email=who.email, depts=depts, roles=roles, seen_at=at),
            subject=who.sub,
        )
    return changed


class SeenReviewers:
    """Remembers whom this process recorded, and when (bounded: forgotten wholesale past ``remember``)."""

    def __init__(
        self,
        *,
        refresh: timedelta = REFRESH,
        remember: int = 10_000,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.refresh = refresh
        self.remember = remember
        self.clock = clock
        self._noted: dict[str, tuple[tuple, datetime]] = {}

    async def note(
        self, transaction: Callable[[Callable[[ReviewUnitOfWork], Awaitable[bool]]], Awaitable[bool]], who: Principal
    ) -> None:
        """``transaction``: the boundary (``Runtime.transaction``) that runs and commits the recording."""
        if not who.has(*STAFF):
            return
        facts = (who.name, who.email, tuple(sorted(who.depts)), tuple(sorted(who.roles)))
        now = self.clock()
        last = self._noted.get(who.sub)
        if last is not None and last[0] == facts and now - last[1] < self.refresh:
            return
        try:
            await transaction(lambda uow: record_reviewer(uow, who, now, self.refresh))
        except Exception:  # bookkeeping for the digests must never fail the reviewer's request
            log.warning("reviewer_not_recorded", reviewer=who.sub, exc_info=True)
            return
        if len(self._noted) >= self.remember:
            self._noted.clear()
        self._noted[who.sub] = (facts, now)
