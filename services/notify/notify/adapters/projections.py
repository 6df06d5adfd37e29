"""Notify's own small view of certificates and reward use (for reminders and digests)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.mail import ELIGIBLE_STATUSES, PENDING_REVIEW_STATUSES
from ..domain.overdue import TrackSla
from .orm import certificate_view, reward_use, track_sla


@dataclass(frozen=True)
class CertificateFacts:
    """The part of a certificate snapshot a mail or reminder needs."""

    certificate_id: uuid.UUID
    student_id: str
    student_name: str
    email: str | None
    dept: str | None
    entry_name: str
    level_name: str | None
    status: str
    version: int
    changed_at: datetime
    expires_on: date | None = None
    category: int | None = None


class CertificateBook:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def held_versions(self, certificate_ids: list[uuid.UUID]) -> dict[uuid.UUID, int | None]:
        """The versions held for these certificates (None: deleted), read in one statement."""
        rows = await self.session.execute(_HELD_VERSIONS, {"ids": sorted(certificate_ids)})
        return {r.certificate_id: None if r.deleted else r.version for r in rows}

    async def record(self, facts: Iterable[CertificateFacts]) -> None:
        """Keep the newest snapshot of each (distinct) certificate, unless it is older than what is
        held or deleted; one multi-row statement. ``changed_at`` is when the status became this one."""
        params = [{**{name: getattr(f, name) for name in _RECORDED}, "status_since": f.changed_at} for f in facts]
        if params:
            await self.session.execute(_RECORD, params)

    async def forget(self, certificate_id: uuid.UUID, student_id: str, at: datetime) -> None:
        """A deleted certificate keeps only a tombstone, so a late snapshot cannot bring it back."""
        v = certificate_view
        stmt = insert(v).values(
            certificate_id=certificate_id,
            student_id=student_id,
            student_name="",
            email=None,
            entry_name="",
            status="deleted",
            version=0,
            status_since=at,
            deleted=True,
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[v.c.certificate_id],
                set_={
                    "deleted": True,
                    "status": "deleted",
                    "student_name": "",
                    "email": None,
                    "entry_name": "",
                    "level_name": None,
                },
            )
        )

    async def unused_eligible(self) -> list[Any]:
        """Certificates a student could still use for a reward, with where to write to them."""
        v = certificate_view.c
        query = (
            select(v.certificate_id, v.student_id, v.student_name, v.email, v.entry_name, v.level_name)
            .select_from(certificate_view.outerjoin(reward_use, reward_use.c.certificate_id == v.certificate_id))
            .where(
                v.deleted.is_(False),
                v.status.in_(ELIGIBLE_STATUSES),
                v.email.is_not(None),
                reward_use.c.certificate_id.is_(None),
            )
            .order_by(v.student_id, v.entry_name)
        )
        return list((await self.session.execute(query)).all())

    async def expiring_on(self, days: list[date]) -> list[Any]:
        """Passed certificates (approved, recorded, credit pending) whose last valid day is one of ``days``."""
        v = certificate_view.c
        query = (
            select(v.certificate_id, v.student_id, v.student_name, v.email, v.entry_name, v.level_name, v.expires_on)
            .where(v.deleted.is_(False), v.status.in_(ELIGIBLE_STATUSES), v.email.is_not(None), v.expires_on.in_(days))
            .order_by(v.student_id, v.expires_on, v.entry_name)
        )
        return list((await self.session.execute(query)).all())

    async def pending_review(self) -> list[Any]:
        v = certificate_view.c
        query = (
            select(
                v.certificate_id,
                v.dept,
                v.category,
                v.student_id,
                v.student_name,
                v.entry_name,
                v.level_name,
                v.status,
                v.status_since,
            )
            .where(v.deleted.is_(False), v.status.in_(PENDING_REVIEW_STATUSES), v.dept.is_not(None))
            .order_by(v.dept, v.status_since)
        )
        return list((await self.session.execute(query)).all())


_RECORDED = (
    "certificate_id",
    "student_id",
    "student_name",
    "email",
    "dept",
    "entry_name",
    "level_name",
    "status",
    "version",
    "expires_on",
    "category",
)


def _record_statement():
    """Built once (bound parameters): the newest snapshot wins, a tombstone stays."""
    v = certificate_view
    stmt = insert(v).values({name: bindparam(name, type_=v.c[name].type) for name in (*_RECORDED, "status_since")})
    stmt = stmt.on_conflict_do_update(
        index_elements=[v.c.certificate_id],
        set_={
            "student_name": stmt.excluded.student_name,
            "email": stmt.excluded.email,
            "dept": stmt.excluded.dept,
            "entry_name": stmt.excluded.entry_name,
            "level_name": stmt.excluded.level_name,
            "status": stmt.excluded.status,
            "category": stmt.excluded.category,
            "version": stmt.excluded.version,
            "expires_on": stmt.excluded.expires_on,
            "status_since": case(
                (v.c.status == stmt.excluded.status, v.c.status_since), else_=stmt.excluded.status_since
            ),
        },
        where=and_(v.c.deleted.is_(False), v.c.version <= stmt.excluded.version),
    )
    return stmt.returning(v.c.certificate_id)


_RECORD = _record_statement()
_HELD_VERSIONS = select(
    certificate_view.c.certificate_id, certificate_view.c.version, certificate_view.c.deleted
).where(
    certificate_view.c.certificate_id == func.any(bindparam("ids", type_=ARRAY(certificate_view.c.certificate_id.type)))
)


class TrackSlaBook:
    """The SLA of each category's track, replaced whole by every review.tracks_updated.v1."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def replace(self, slas: list[TrackSla]) -> None:
        await self.session.execute(delete(track_sla))
        if slas:
            await self.session.execute(
                insert(track_sla),
                [{"category": s.category, "dept": s.dept or "", "sla_days": s.sla_days} for s in slas],
            )

    async def all(self) -> list[TrackSla]:
        rows = await self.session.execute(select(track_sla))
        return [TrackSla(category=r.category, dept=r.dept or None, sla_days=r.sla_days) for r in rows]


class RewardUse:
    """Which certificates an active reward application holds."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def hold_each(self, held: dict[uuid.UUID, uuid.UUID]) -> None:
        """``{certificate_id: application_id}``: each certificate now held by that application."""
        if not held:
            return
        stmt = insert(reward_use).values([{"certificate_id": c, "application_id": a} for c, a in held.items()])
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[reward_use.c.certificate_id], set_={"application_id": stmt.excluded.application_id}
            )
        )

    async def release(self, application_id: uuid.UUID) -> None:
        await self.session.execute(delete(reward_use).where(reward_use.c.application_id == application_id))
