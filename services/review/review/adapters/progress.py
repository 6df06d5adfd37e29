"""Bundle progress (locked per student and bundle) and credit-waiver holders."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.bundles import BundleProgress
from .orm import bundle_progress, credit_waivers


class BundleRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def lock(self, student_id: str, bundle: str) -> BundleProgress:
        """The progress row, created if missing, held with ``SELECT … FOR UPDATE`` until commit:
        two members of one bundle passing at once are counted one after the other."""
        await self.session.execute(
            pg_insert(bundle_progress).values(student_id=student_id, bundle=bundle).on_conflict_do_nothing()
        )
        row = (
            await self.session.execute(
                select(bundle_progress)
                .where(bundle_progress.c.student_id == student_id, bundle_progress.c.bundle == bundle)
                .with_for_update()
            )
        ).one()
        return BundleProgress(student_id, bundle, members=list(row.members), complete=row.complete)

    async def peek(self, student_id: str, bundle: str) -> BundleProgress:
        row = (
            await self.session.execute(
                select(bundle_progress).where(
                    bundle_progress.c.student_id == student_id, bundle_progress.c.bundle == bundle
                )
            )
        ).first()
        if row is None:
            return BundleProgress(student_id, bundle)
        return BundleProgress(student_id, bundle, members=list(row.members), complete=row.complete)

    async def save(self, progress: BundleProgress) -> None:
        await self.session.execute(
            update(bundle_progress)
            .where(
                bundle_progress.c.student_id == progress.student_id,
                bundle_progress.c.bundle == progress.bundle,
            )
            .values(members=progress.members, complete=progress.complete, updated_at=func.now())
        )


class CreditRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def holder(self, student_id: str) -> str | None:
        found = await self.session.scalar(
            select(credit_waivers.c.certificate_id).where(credit_waivers.c.student_id == student_id)
        )
        return str(found) if found else None

    async def claim(self, student_id: str, certificate_id: uuid.UUID) -> str:
        """Claims the student's waiver for this certificate unless another holds it; returns the holder."""
        await self.session.execute(
            pg_insert(credit_waivers)
            .values(student_id=student_id, certificate_id=certificate_id)
            .on_conflict_do_nothing()
        )
        return await self.holder(student_id) or str(certificate_id)

    async def release(self, student_id: str, certificate_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(credit_waivers).where(
                credit_waivers.c.student_id == student_id, credit_waivers.c.certificate_id == certificate_id
            )
        )
