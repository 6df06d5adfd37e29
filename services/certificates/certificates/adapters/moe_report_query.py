"""The rows of the MOE certificate report: passed certificates applied for within a term."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.moe_report import REPORTED_STATUSES
from .tables import catalog_entries as E
from .tables import catalog_levels as L
from .tables import categories as C
from .tables import certificates as T

REPORT_ROWS = select(
    T.c.id,
    T.c.student_id,
    T.c.dept,
    T.c.division,
    T.c.program,
    T.c.klass,
    T.c.issued_on,
    T.c.submitted_at,
    T.c.created_at,
    E.c.id.label("entry_id"),
    E.c.name.label("entry_name"),
    E.c.issuer.label("entry_issuer"),
    E.c.national_code,
    E.c.foreign,
    C.c.name.label("category_name"),
    L.c.name.label("level_name"),
).select_from(T.join(E, E.c.id == T.c.entry_id).join(C, C.c.code == E.c.category).outerjoin(L, L.c.id == T.c.level_id))


async def reported_certificates(session: AsyncSession, start: datetime, end: datetime) -> list[dict]:
    """Every approved/recorded/credit-pending certificate whose application falls in [start, end),
    by department, class, student, then issue date."""
    applied = func.coalesce(T.c.submitted_at, T.c.created_at)
    query = REPORT_ROWS.where(T.c.status.in_(REPORTED_STATUSES), applied >= start, applied < end).order_by(
        T.c.dept, T.c.klass, T.c.student_id, T.c.issued_on, T.c.id
    )
    return [dict(r) for r in (await session.execute(query)).mappings()]
