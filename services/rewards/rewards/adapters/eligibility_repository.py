"""The projection of students' certificates that rewards keeps from certificate events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.applications import ELIGIBLE_CERTIFICATE_STATUSES, CandidateCertificate
from .orm import application_certificates
from .orm import eligible_certificates as certs
from .rules_repository import claimed_sum


class EligibilityRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def lock(self, certificate_id: uuid.UUID):
        """The projected row (locked for this transaction), or None."""
        return (
            await self.session.execute(select(certs).where(certs.c.certificate_id == certificate_id).with_for_update())
        ).first()

    async def held_versions(self, certificate_ids: list[uuid.UUID]) -> dict[uuid.UUID, int | None]:
        """The versions held for these certificates (None: deleted), read in one statement."""
        rows = await self.session.execute(_HELD_VERSIONS, {"ids": sorted(certificate_ids)})
        return {r.certificate_id: None if r.deleted else r.version for r in rows}

    async def save_many(self, snapshots: list[dict]) -> None:
        """Stores snapshots of distinct certificates unless the row is deleted or holds the same or
        a newer version; one multi-row statement (rows stay locked until commit)."""
        if snapshots:
            await self.session.execute(_SAVE_NEWER, snapshots)

    async def mark_deleted(self, certificate_id: uuid.UUID, student_id: str) -> None:
        await self.session.execute(
            pg_insert(certs)
            .values(certificate_id=certificate_id, student_id=student_id, deleted=True)
            .on_conflict_do_update(
                index_elements=[certs.c.certificate_id], set_={"deleted": True, "updated_at": func.now()}
            )
        )

    async def candidates(self, student_id: str) -> list[CandidateCertificate]:
        """The student's known certificates, each with whether it may and can still be used."""
        return [_candidate(r) for r in await self.session.execute(_CANDIDATES, {"student": student_id})]

    async def candidates_and_claimed(
        self, student_id: str, year: int, statuses: Iterable[str]
    ) -> tuple[list[CandidateCertificate], int]:
        """``candidates`` and what the student's applications of ``year`` in ``statuses`` already claim
        (rules_repository.claimed_sum), read by one statement."""
        rows = (
            await self.session.execute(
                _CANDIDATES_AND_CLAIMED, {"student": student_id, "year": year, "statuses": sorted(statuses)}
            )
        ).all()
        return [_candidate(r) for r in rows if r.certificate_id is not None], int(rows[0].claimed)


def _candidate(r) -> CandidateCertificate:
    return CandidateCertificate(
        certificate_id=r.certificate_id,
        student_id=r.student_id,
        entry_key=r.entry_key or "",
        entry_name=r.entry_name or "",
        level_name=r.level_name,
        eligible=(not r.deleted) and r.status in ELIGIBLE_CERTIFICATE_STATUSES,
        used=bool(r.used),
        expires_on=r.expires_on,
    )


def _candidates_statements():
    """Built once: the student's candidates; and the same with the claimed sum, one row at least (a
    one-row subquery outer-joined to the candidates, so a student without certificates still gets it)."""
    student = bindparam("student", type_=certs.c.student_id.type)
    used = (
        select(application_certificates.c.certificate_id)
        .where(application_certificates.c.certificate_id == certs.c.certificate_id)
        .exists()
        .label("used")
    )
    order = (certs.c.entry_name, certs.c.certificate_id)
    candidates = select(certs, used).where(certs.c.student_id == student).order_by(*order)
    claimed = claimed_sum(student, bindparam("year"), bindparam("statuses", expanding=True)).subquery("claimed")
    with_claimed = (
        select(claimed.c.claimed, certs, used)
        .select_from(claimed.outerjoin(certs, certs.c.student_id == student))
        .order_by(*order)
    )
    return candidates, with_claimed


_CANDIDATES, _CANDIDATES_AND_CLAIMED = _candidates_statements()


def _save_newer_statement():
    names = (
        "certificate_id",
        "student_id",
        "student_name",
        "dept",
        "entry_key",
        "entry_name",
        "level_name",
        "status",
        "version",
        "expires_on",
    )
    stmt = pg_insert(certs).values({name: bindparam(name, type_=certs.c[name].type) for name in names})
    changes = {name: stmt.excluded[name] for name in names if name != "certificate_id"}
    return stmt.on_conflict_do_update(
        index_elements=[certs.c.certificate_id],
        set_={**changes, "updated_at": func.now()},
        where=and_(certs.c.deleted.is_(False), certs.c.version < stmt.excluded.version),
    ).returning(certs.c.certificate_id)


_SAVE_NEWER = _save_newer_statement()
_HELD_VERSIONS = select(certs.c.certificate_id, certs.c.version, certs.c.deleted).where(
    certs.c.certificate_id == func.any(bindparam("ids", type_=ARRAY(certs.c.certificate_id.type)))
)
