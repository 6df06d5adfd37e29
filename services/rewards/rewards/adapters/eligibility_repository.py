"""The projection of students' certificates that rewards keeps from certificate events."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.applications import ELIGIBLE_CERTIFICATE_STATUSES, CandidateCertificate
from .orm import application_certificates, eligible_certificates as certs


class EligibilityRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def lock(self, certificate_id: uuid.UUID):
        """The projected row (locked for this transaction), or None."""
        return (await self.session.execute(
            select(certs).where(certs.c.certificate_id == certificate_id).with_for_update())).first()

    async def save_snapshot(self, certificate_id: uuid.UUID, values: dict) -> None:
        values = {**values, "deleted": False, "updated_at": func.now()}
        await self.session.execute(
            pg_insert(certs).values(certificate_id=certificate_id, **values)
            .on_conflict_do_update(index_elements=[certs.c.certificate_id], set_=values))

    async def mark_deleted(self, certificate_id: uuid.UUID, student_id: str) -> None:
        await self.session.execute(
            pg_insert(certs).values(certificate_id=certificate_id, student_id=student_id, deleted=True)
            .on_conflict_do_update(index_elements=[certs.c.certificate_id],
                                   set_={"deleted": True, "updated_at": func.now()}))

    async def candidates(self, student_id: str, *, lock: bool = False) -> list[CandidateCertificate]:
        """The student's known certificates, each with whether it may and can still be used."""
        used = select(application_certificates.c.certificate_id).where(
            application_certificates.c.certificate_id == certs.c.certificate_id).exists()
        query = (select(certs, used.label("used")).where(certs.c.student_id == student_id)
                 .order_by(certs.c.entry_name, certs.c.certificate_id))
        if lock:
            query = query.with_for_update(of=certs)
        rows = await self.session.execute(query)
        return [CandidateCertificate(
            certificate_id=r.certificate_id, student_id=r.student_id, entry_key=r.entry_key or "",
            entry_name=r.entry_name or "", level_name=r.level_name,
            eligible=(not r.deleted) and r.status in ELIGIBLE_CERTIFICATE_STATUSES, used=bool(r.used),
        ) for r in rows]

