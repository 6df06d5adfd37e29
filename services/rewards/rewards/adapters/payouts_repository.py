"""Payout batches; an application belongs to at most one (primary key of ``payout_items``)."""

from __future__ import annotations

import builtins
import uuid

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from certhub_kit.errors import Conflict

from .orm import applications, payout_batches, payout_items, payout_returns


class PayoutsRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, batch_id: uuid.UUID, created_by: str, application_ids: list, academic_year: int) -> None:
        """The batch is numbered within its academic year (batches of one year are made one at a time)."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('rewards.payout_batches'), :y)").bindparams(y=academic_year)
        )
        last = int(
            await self.session.scalar(
                select(func.coalesce(func.max(payout_batches.c.year_seq), 0)).where(
                    payout_batches.c.academic_year == academic_year
                )
            )
            or 0
        )
        await self.session.execute(
            insert(payout_batches).values(
                id=batch_id, created_by=created_by, academic_year=academic_year, year_seq=last + 1
            )
        )
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    insert(payout_items), [{"application_id": a, "batch_id": batch_id} for a in application_ids]
                )
        except IntegrityError:
            raise Conflict(
                "有申請已在其他撥款批次中", "An application is already in another payout batch", code="already_batched"
            ) from None

    async def get(self, batch_id: uuid.UUID, *, lock: bool = False):
        query = select(payout_batches).where(payout_batches.c.id == batch_id)
        if lock:
            query = query.with_for_update()
        return (await self.session.execute(query)).first()

    async def application_ids(self, batch_id: uuid.UUID) -> list:
        rows = await self.session.execute(
            select(payout_items.c.application_id)
            .join(applications, applications.c.id == payout_items.c.application_id)
            .where(payout_items.c.batch_id == batch_id)
            .order_by(applications.c.seq)
        )
        return [r[0] for r in rows]

    async def list(self) -> list:
        """Batches, newest first, each with its count, total and application ids (in application order)."""
        ids = func.array_agg(aggregate_order_by(applications.c.id, applications.c.seq)).filter(
            applications.c.id.isnot(None)
        )
        query = (
            select(
                payout_batches,
                func.count(applications.c.id).label("count"),
                func.coalesce(func.sum(applications.c.amount), 0).label("total"),
                ids.label("application_ids"),
            )
            .select_from(
                payout_batches.outerjoin(payout_items, payout_items.c.batch_id == payout_batches.c.id).outerjoin(
                    applications, applications.c.id == payout_items.c.application_id
                )
            )
            .group_by(payout_batches.c.id)
            .order_by(payout_batches.c.seq.desc())
        )
        return list(await self.session.execute(query))

    async def mark_paid(self, batch_id: uuid.UUID, paid_by: str, paid_at) -> None:
        await self.session.execute(
            update(payout_batches).where(payout_batches.c.id == batch_id).values(paid_at=paid_at, paid_by=paid_by)
        )

    async def record_return(
        self, batch_id: uuid.UUID, application_id: uuid.UUID, amount: int, fee: int, reason: str, by: str
    ) -> None:
        """The application leaves the batch (so a later batch may pay it); the return stays on record."""
        await self.session.execute(
            insert(payout_returns).values(
                batch_id=batch_id, application_id=application_id, amount=amount, fee=fee, reason=reason, returned_by=by
            )
        )
        await self.session.execute(delete(payout_items).where(payout_items.c.application_id == application_id))

    async def returns_of(self, batch_id: uuid.UUID) -> builtins.list:
        return list(
            await self.session.execute(
                select(payout_returns).where(payout_returns.c.batch_id == batch_id).order_by(payout_returns.c.seq)
            )
        )
