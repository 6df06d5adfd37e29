"""Students' certificates, their confirmation tokens and the local copy of review tracks."""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, literal, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.catalog import like_escape
from ..domain.certificate import Certificate
from ..domain.confirmation import TrackRule
from .tables import catalog_entries as E
from .tables import catalog_levels as L
from .tables import certificates as T
from .tables import confirmation_resends as R
from .tables import confirmation_tokens as K
from .tables import track_rules as TR


def joined(rows: Any = T) -> Any:
    """Certificate rows (the table, or the rows an INSERT … RETURNING gave) together with what the
    catalog says about their entry and level."""
    return select(
        rows,
        E.c.key.label("entry_key"),
        E.c.name.label("entry_name"),
        E.c.name_en.label("entry_name_en"),
        E.c.issuer.label("entry_issuer"),
        E.c.category,
        E.c.it_certificate,
        E.c.bundle,
        E.c.national_code,
        E.c.validity.label("entry_validity"),
        L.c.name.label("level_name"),
        L.c.name_en.label("level_name_en"),
        L.c.cefr,
    ).select_from(rows.join(E, E.c.id == rows.c.entry_id).outerjoin(L, L.c.id == rows.c.level_id))


JOINED = joined()
_ADDS: dict[tuple[str, ...], Any] = {}


def _add_statement(names: tuple[str, ...]) -> Any:
    """INSERT … RETURNING in a CTE, joined to the catalog; built once per set of columns (building the
    CTE's column collection costs more CPU than the statement does in PostgreSQL)."""
    statement = _ADDS.get(names)
    if statement is None:
        values = {n: bindparam(f"v_{n}", type_=T.c[n].type) for n in names}
        statement = _ADDS[names] = joined(insert(T).values(values).returning(*T.c).cte("added"))
    return statement


@dataclass(frozen=True)
class ListFilter:
    student_id: str | None = None  # a student: exactly their own
    depts: tuple[str, ...] | None = None  # a reviewer: only these; None = every department
    status: str | None = None
    student: str | None = None  # staff search: student number or name
    after: tuple[datetime, uuid.UUID] | None = None  # keyset cursor (created_at, id), newest first


class CertificateRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, values: dict[str, Any]) -> Certificate:
        """Inserts the certificate and returns it as ``get`` would, in one statement."""
        names = tuple(sorted(values))
        row = await self.session.execute(_add_statement(names), {f"v_{n}": values[n] for n in names})
        return Certificate.from_row(row.mappings().one())

    async def get(self, certificate_id: uuid.UUID, *, for_update: bool = False) -> Certificate | None:
        if for_update:  # lock the certificate row only, then read it joined
            locked = await self.session.execute(select(T.c.id).where(T.c.id == certificate_id).with_for_update())
            if locked.first() is None:
                return None
        row = (await self.session.execute(JOINED.where(T.c.id == certificate_id))).mappings().first()
        return Certificate.from_row(row) if row else None

    async def get_present(self, certificate_id: uuid.UUID, *, for_update: bool = False) -> Certificate:
        """A certificate this transaction has just written, or that a row it holds refers to."""
        cert = await self.get(certificate_id, for_update=for_update)
        if cert is None:
            raise LookupError(f"certificate {certificate_id} is missing")
        return cert

    async def update(self, certificate_id: uuid.UUID, values: dict[str, Any]) -> None:
        """Every change bumps ``version`` so consumers can ignore stale snapshots."""
        await self.session.execute(
            update(T).where(T.c.id == certificate_id).values(**values, version=T.c.version + 1, updated_at=func.now())
        )

    async def delete(self, certificate_id: uuid.UUID) -> None:
        await self.session.execute(delete(T).where(T.c.id == certificate_id))

    async def list(self, filters: ListFilter, *, limit: int) -> builtins.list[Certificate]:
        conditions = []
        if filters.student_id is not None:
            conditions.append(T.c.student_id == filters.student_id)
        if filters.depts is not None:
            conditions.append(T.c.dept.in_(filters.depts))
        if filters.status:
            conditions.append(T.c.status == filters.status)
        if filters.student:
            conditions.append(
                or_(T.c.student_id == filters.student, T.c.student_name.ilike(f"%{like_escape(filters.student)}%"))
            )
        if filters.after is not None:
            conditions.append(tuple_(T.c.created_at, T.c.id) < tuple_(*filters.after))
        query = JOINED.where(and_(*conditions)).order_by(T.c.created_at.desc(), T.c.id.desc()).limit(limit)
        return [Certificate.from_row(r) for r in (await self.session.execute(query)).mappings()]

    # --- confirmation tokens --------------------------------------------
    async def add_token(self, certificate_id: uuid.UUID, token_hash: str, expires_at: datetime) -> None:
        await self.session.execute(
            insert(K).values(token_hash=token_hash, certificate_id=certificate_id, expires_at=expires_at)
        )

    async def revoke_tokens(self, certificate_id: uuid.UUID) -> None:
        await self.session.execute(
            update(K)
            .where(
                K.c.certificate_id == certificate_id,
                K.c.used_at.is_(None),
                K.c.revoked_at.is_(None),
            )
            .values(revoked_at=func.now())
        )

    async def token(self, token_hash: str) -> dict | None:
        row = (await self.session.execute(select(K).where(K.c.token_hash == token_hash))).mappings().first()
        return dict(row) if row else None

    async def consume_token(self, token_hash: str) -> uuid.UUID | None:
        """Atomic single use: only one concurrent caller gets the certificate id back."""
        row = await self.session.execute(
            update(K)
            .where(
                K.c.token_hash == token_hash,
                K.c.used_at.is_(None),
                K.c.revoked_at.is_(None),
                K.c.expires_at > func.now(),
            )
            .values(used_at=func.now())
            .returning(K.c.certificate_id)
        )
        return row.scalar_one_or_none()

    # --- the resend throttle ---------------------------------------------------
    async def lock_student_resends(self, student_id: str) -> None:
        """Serialises one student's resends (any certificate) until the transaction ends."""
        await self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(literal("resend:") + student_id))))

    async def mail_times(
        self, certificate_id: uuid.UUID, student_id: str
    ) -> tuple[datetime, datetime | None, builtins.list[datetime]]:
        """The database's clock (after the locks were taken, not the transaction's start), the newest
        confirmation mail of the certificate (its newest token) and the student's resends of the last hour."""
        newest = select(func.max(K.c.created_at)).where(K.c.certificate_id == certificate_id).scalar_subquery()
        now, last = (await self.session.execute(select(func.clock_timestamp(), newest))).one()
        recent = await self.session.scalars(
            select(R.c.sent_at).where(R.c.student_id == student_id, R.c.sent_at > now - timedelta(hours=1))
        )
        return now, last, list(recent)

    async def record_resend(self, student_id: str, certificate_id: uuid.UUID) -> None:
        await self.session.execute(insert(R).values(student_id=student_id, certificate_id=certificate_id))

    # --- review tracks (local copy) ---------------------------------------
    async def track_rules(self) -> builtins.list[TrackRule]:
        rows = await self.session.execute(select(TR))
        return [
            TrackRule(category=r.category, dept=r.dept or None, confirmation_required=r.confirmation_required)
            for r in rows
        ]

    async def tracks_as_of(self) -> datetime | None:
        return await self.session.scalar(select(func.max(TR.c.as_of)))

    async def replace_track_rules(self, rules: builtins.list[dict[str, Any]], as_of: datetime) -> None:
        await self.session.execute(delete(TR))
        if rules:
            await self.session.execute(insert(TR), [{**r, "as_of": as_of} for r in rules])
