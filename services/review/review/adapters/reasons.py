"""The rejection reasons list and the rejections counted by reason."""

from __future__ import annotations

import uuid

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.reasons import RejectReason
from .orm import reject_reasons as R
from .orm import rejections as J

FIELDS = ("label", "label_en", "instruction", "instruction_en", "active")


class ReasonRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def all(self) -> list[RejectReason]:
        rows = await self.session.execute(select(R).order_by(R.c.position, R.c.code))
        return [RejectReason(code=r.code, **{f: getattr(r, f) for f in FIELDS}) for r in rows]

    async def replace(self, reasons: list[RejectReason], by: str) -> None:
        """The list becomes ``reasons`` in this order; codes left out are retired (kept for old rejections)."""
        await self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext("review_reject_reasons"))))
        codes = [r.code for r in reasons]  # an empty list retires every code
        await self.session.execute(
            update(R).where(R.c.code.not_in(codes)).values(active=False, updated_by=by, updated_at=func.now())
        )
        for position, reason in enumerate(reasons):
            values = {f: getattr(reason, f) for f in FIELDS} | {"position": position, "updated_by": by}
            stmt = upsert(R).values(code=reason.code, **values)
            await self.session.execute(
                stmt.on_conflict_do_update(index_elements=[R.c.code], set_={**values, "updated_at": func.now()})
            )

    async def record_rejection(
        self, certificate_id: uuid.UUID, dept: str | None, reason_code: str | None, academic_year: int
    ) -> None:
        await self.session.execute(
            insert(J).values(
                certificate_id=certificate_id, dept=dept, reason_code=reason_code, academic_year=academic_year
            )
        )

    async def rejections_by_reason(self, academic_year: int, depts: tuple[str, ...] | None) -> list[tuple]:
        """(reason_code, dept, count) of the year's rejections, for the departments asked (None: all)."""
        query = select(J.c.reason_code, J.c.dept, func.count()).where(J.c.academic_year == academic_year)
        if depts is not None:
            query = query.where(J.c.dept.in_(depts))
        query = query.group_by(J.c.reason_code, J.c.dept).order_by(J.c.reason_code, J.c.dept)
        return [tuple(r) for r in await self.session.execute(query)]
