"""Standards and windows in PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import (
    LABEL_STYLE_TABLENAME_PLUS_COL,
    Integer,
    String,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from certhub_kit.errors import Conflict

from ..domain.calendar import Window
from ..domain.rules import YearRules
from ..domain.standards import RewardStandard, parse_qualifying
from .orm import applications, reward_rules, standards, windows
from .rules_repository import student_year_lock

# What an application needs first, in one statement: the student's application lock for the year (taken
# first, in the one-row subquery, so everything the application reads afterwards sees what the student's
# earlier applications committed), the year's stored window, the chosen standard and the year's stored
# rules (each row or NULLs).
_YEAR, _STANDARD = bindparam("year", type_=Integer()), bindparam("standard_id", type_=UUID(as_uuid=True))
_LOCKED = select(student_year_lock(bindparam("student", type_=String()), _YEAR).label("locked")).subquery("locked")
FOR_APPLICATION = (
    select(_LOCKED.c.locked, *windows.c, *standards.c, *reward_rules.c)
    .select_from(
        _LOCKED.outerjoin(windows, windows.c.academic_year == _YEAR)
        .outerjoin(standards, standards.c.id == _STANDARD)
        .outerjoin(reward_rules, reward_rules.c.academic_year == _YEAR)
    )
    .set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL)
)


def _standard(row) -> RewardStandard:
    return RewardStandard(
        id=row.id,
        academic_year=row.academic_year,
        scope=row.scope,
        level=row.level,
        item=row.item,
        name=row.name,
        amount=row.amount,
        required_count=row.required_count,
        qualifying=parse_qualifying(row.qualifying),
    )


def _values(standard: RewardStandard) -> dict:
    return dict(
        academic_year=standard.academic_year,
        scope=standard.scope,
        level=standard.level,
        item=standard.item,
        name=standard.name,
        amount=standard.amount,
        required_count=standard.required_count,
        qualifying=[q.as_dict() for q in standard.qualifying],
    )


def _duplicate_item(standard: RewardStandard) -> Conflict:
    return Conflict(
        f"{standard.academic_year} 學年「{standard.scope}」已有第 {standard.item} 項標準",
        f"Academic year {standard.academic_year} already has item {standard.item} for scope {standard.scope}",
        code="standard_exists",
    )


class StandardsRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def list(self, year: int, scopes: list[str] | None = None) -> list[RewardStandard]:
        query = select(standards).where(standards.c.academic_year == year)
        if scopes is not None:
            query = query.where(standards.c.scope.in_(scopes))
        rows = await self.session.execute(
            query.order_by(standards.c.scope != "school", standards.c.scope, standards.c.level, standards.c.item)
        )
        return [_standard(r) for r in rows]

    async def get(self, standard_id: uuid.UUID) -> RewardStandard | None:
        row = (await self.session.execute(select(standards).where(standards.c.id == standard_id))).first()
        return _standard(row) if row else None

    async def for_application(
        self, year: int, standard_id: uuid.UUID, student_id: str
    ) -> tuple[Window | None, RewardStandard | None, YearRules | None]:
        """The year's stored window, the standard and the year's stored rules, read together, once the
        student's application lock for the year is held (until the transaction ends)."""
        params = {"year": year, "standard_id": standard_id, "student": student_id}
        row = (await self.session.execute(FOR_APPLICATION, params)).one()._mapping

        def part(table) -> SimpleNamespace | None:
            values = {c.name: row[c] for c in table.c}
            return None if values[next(iter(table.primary_key)).name] is None else SimpleNamespace(**values)

        w, s, r = part(windows), part(standards), part(reward_rules)
        return (
            Window(w.academic_year, w.opens_at, w.closes_at) if w else None,
            _standard(s) if s else None,
            YearRules(r.academic_year, r.cap_per_student, r.budget, tuple(r.exclusions or ()), r.ranking, r.return_fee)
            if r
            else None,
        )

    async def find(self, year: int, scope: str, item: int) -> RewardStandard | None:
        row = (
            await self.session.execute(
                select(standards).where(
                    standards.c.academic_year == year, standards.c.scope == scope, standards.c.item == item
                )
            )
        ).first()
        return _standard(row) if row else None

    async def count(self, year: int) -> int:
        return (
            await self.session.scalar(
                select(func.count()).select_from(standards).where(standards.c.academic_year == year)
            )
        ) or 0

    async def add(self, standard: RewardStandard) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(standards).values(id=standard.id, **_values(standard)))
        except IntegrityError:
            raise _duplicate_item(standard) from None

    async def update(self, standard: RewardStandard) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    update(standards)
                    .where(standards.c.id == standard.id)
                    .values(**_values(standard), updated_at=func.now())
                )
        except IntegrityError:
            raise _duplicate_item(standard) from None

    async def in_use(self, standard_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(applications.c.id).where(applications.c.standard_id == standard_id).limit(1)
        )
        return found is not None

    async def delete(self, standard_id: uuid.UUID) -> None:
        await self.session.execute(delete(standards).where(standards.c.id == standard_id))


class WindowsRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, year: int) -> Window | None:
        row = (await self.session.execute(select(windows).where(windows.c.academic_year == year))).first()
        return Window(row.academic_year, row.opens_at, row.closes_at) if row else None

    async def put(self, window: Window, actor_id: str) -> None:
        values = dict(
            opens_at=window.opens_at,
            closes_at=window.closes_at,
            updated_by=actor_id,
            updated_at=datetime.now(window.opens_at.tzinfo),
        )
        await self.session.execute(
            pg_insert(windows)
            .values(academic_year=window.academic_year, **values)
            .on_conflict_do_update(index_elements=[windows.c.academic_year], set_=values)
        )
