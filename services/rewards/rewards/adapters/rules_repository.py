"""Reward rules per academic year and the claims the budget and the cap count."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Integer, Select, func, literal, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.rules import Claim, YearRules
from .orm import applications, reward_rules


class RulesRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, year: int) -> YearRules | None:
        row = (await self.session.execute(select(reward_rules).where(reward_rules.c.academic_year == year))).first()
        if row is None:
            return None
        return YearRules(
            row.academic_year, row.cap_per_student, row.budget, tuple(row.exclusions or ()), row.ranking, row.return_fee
        )

    async def put(self, rules: YearRules, by: str) -> None:
        values = dict(
            cap_per_student=rules.cap_per_student,
            budget=rules.budget,
            exclusions=list(rules.exclusions),
            ranking=rules.ranking,
            return_fee=rules.return_fee,
            updated_by=by,
            updated_at=func.now(),
        )
        await self.session.execute(
            pg_insert(reward_rules)
            .values(academic_year=rules.academic_year, **values)
            .on_conflict_do_update(index_elements=[reward_rules.c.academic_year], set_=values)
        )

    async def lock_year(self, year: int) -> None:
        """Budget decisions of one year happen one at a time (until the transaction ends)."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": 0x5245574152440000 + year})

    async def claims(self, year: int, statuses: Iterable[str], committed: Iterable[str]) -> list[Claim]:
        """The year's applications in ``statuses``, oldest first."""
        c = applications.c
        committed = list(committed)
        query = (
            select(c.id, c.seq, c.student_id, c.student_name, c.label, c.amount, c.level, c.status)
            .where(c.academic_year == year, c.status.in_(list(statuses)))
            .order_by(c.seq)
        )
        return [
            Claim(r.id, r.seq, r.student_id, r.student_name, r.label, r.amount, r.level, r.status in committed)
            for r in await self.session.execute(query)
        ]


def student_year_lock(student_id, year) -> ColumnElement:
    """The SQL taking one student's application lock for one year: a two-key advisory lock, in a key space
    apart from ``lock_year``'s; held until the transaction ends."""
    return func.pg_advisory_xact_lock(literal(0x52570000, Integer) + year, func.hashtext(student_id))


def claimed_sum(student_id, year, statuses) -> Select:
    """What one student's applications of one year in ``statuses`` claim together (0 without any)."""
    c = applications.c
    return select(func.coalesce(func.sum(c.amount), 0).label("claimed")).where(
        c.student_id == student_id, c.academic_year == year, c.status.in_(statuses)
    )
