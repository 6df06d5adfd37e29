"""The queue listing: filters and keyset pagination, oldest first (or soonest due), with each item's SLA."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, bindparam, cast, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.statuses import REVIEWABLE
from ..domain.tracks import DEFAULT_SLA_DAYS
from .orm import review_items as items
from .orm import review_tracks as tracks

SLA_DAYS = func.coalesce(tracks.c.sla_days, DEFAULT_SLA_DAYS)
# domain.sla.deadline in SQL: the Taipei day the stage began plus the track's SLA
DUE_ON = (cast(func.timezone("Asia/Taipei", items.c.stage_since), Date) + SLA_DAYS).label("due_on")
WITH_SLA = items.outerjoin(tracks, tracks.c.name == items.c.track)


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] | None  # None = any status
    depts: tuple[str, ...] | None  # None = every department (centre)
    category: int | None = None
    student: str | None = None  # a student number (prefix) or part of a name
    queued_before: datetime | None = None  # in its current stage for at least N days
    overdue: bool | None = None  # None = either
    today: date | None = None  # the Taipei day "overdue" is judged on
    by_due: bool = False  # soonest due first instead of oldest queued
    after: tuple[Any, uuid.UUID] | None = None  # (queued_at or due_on, id) of the last item seen


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _overdue_clause(today: date):
    return (items.c.status.in_(sorted(REVIEWABLE))) & (today > DUE_ON)


def with_sla():
    return select(
        items,
        SLA_DAYS.label("sla_days"),
        DUE_ON,
        func.coalesce(tracks.c.original_check_required, False).label("original_required"),
    ).select_from(WITH_SLA)


async def queue_page(session: AsyncSession, f: QueueFilter, limit: int) -> list[Any]:
    query = with_sla()
    if f.statuses is not None:
        # Inline (checked) values, so the planner can match the partial index of the reviewable statuses.
        query = query.where(
            items.c.status.in_(bindparam("statuses", list(f.statuses), expanding=True, literal_execute=True))
        )
    if f.depts is not None:
        query = query.where(items.c.dept.in_(f.depts))
    if f.category is not None:
        query = query.where(items.c.category == f.category)
    if f.student:
        pattern = _like(f.student)
        query = query.where(
            or_(
                items.c.student_id.ilike(f"{pattern}%", escape="\\"),
                items.c.student_name.ilike(f"%{pattern}%", escape="\\"),
            )
        )
    if f.queued_before is not None:
        query = query.where(items.c.stage_since <= f.queued_before)
    if f.overdue is not None and f.today is not None:
        clause = _overdue_clause(f.today)
        query = query.where(clause if f.overdue else ~clause)
    key = DUE_ON if f.by_due else items.c.queued_at
    if f.after is not None:
        query = query.where(tuple_(key, items.c.certificate_id) > tuple_(*f.after))
    query = query.order_by(key, items.c.certificate_id).limit(limit)
    return list((await session.execute(query)).all())


async def item_with_sla(session: AsyncSession, certificate_id: uuid.UUID) -> Any:
    return (await session.execute(with_sla().where(items.c.certificate_id == certificate_id))).first()


async def student_items(session: AsyncSession, student_id: str) -> list[Any]:
    query = with_sla().where(items.c.student_id == student_id).order_by(items.c.registered_at.desc())
    return list((await session.execute(query)).all())
