"""The queue listing: filters and keyset pagination over (queued_at, certificate_id), oldest first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from .orm import review_items as items


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] | None  # None = any status
    depts: tuple[str, ...] | None  # None = every department (centre)
    category: int | None = None
    student: str | None = None  # a student number (prefix) or part of a name
    queued_before: datetime | None = None  # pending at least N days
    after: tuple[datetime, uuid.UUID] | None = None


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def queue_page(session: AsyncSession, f: QueueFilter, limit: int) -> list[Any]:
    query = select(items)
    if f.statuses is not None:
        # Inline (checked) values, so the planner can match the partial index of the reviewable statuses.
        query = query.where(items.c.status.in_(bindparam("statuses", list(f.statuses), expanding=True,
                                                         literal_execute=True)))
    if f.depts is not None:
        query = query.where(items.c.dept.in_(f.depts))
    if f.category is not None:
        query = query.where(items.c.category == f.category)
    if f.student:
        pattern = _like(f.student)
        query = query.where(or_(items.c.student_id.ilike(f"{pattern}%", escape="\\"),
                                items.c.student_name.ilike(f"%{pattern}%", escape="\\")))
    if f.queued_before is not None:
        query = query.where(items.c.queued_at <= f.queued_before)
    if f.after is not None:
        query = query.where(tuple_(items.c.queued_at, items.c.certificate_id) > tuple_(*f.after))
    query = query.order_by(items.c.queued_at, items.c.certificate_id).limit(limit)
    return list((await session.execute(query)).all())
