"""Queries of the credentials database, all in one place."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from .orm import certificate_facts as F
from .orm import credentials as C
from .orm import signing_keys as K

IN_FORCE = ("active", "suspended")


class CredentialRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, values: dict[str, Any]) -> None:
        await self.session.execute(insert(C).values(**values))

    async def get(self, public_id: str, *, for_update: bool = False) -> dict | None:
        query = select(C).where(C.c.id == public_id)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).mappings().first()
        return dict(row) if row else None

    async def in_force(self, certificate_id: uuid.UUID) -> dict | None:
        row = (
            (
                await self.session.execute(
                    select(C).where(C.c.certificate_id == certificate_id, C.c.state.in_(IN_FORCE)).with_for_update()
                )
            )
            .mappings()
            .first()
        )
        return dict(row) if row else None

    async def of_student(self, student_id: str, certificate_id: uuid.UUID | None) -> list[dict]:
        query = select(C).where(C.c.student_id == student_id)
        if certificate_id is not None:
            query = query.where(C.c.certificate_id == certificate_id)
        rows = await self.session.execute(query.order_by(C.c.issued_at.desc()).limit(200))
        return [dict(r) for r in rows.mappings()]

    async def of_certificate(self, certificate_id: uuid.UUID) -> list[dict]:
        rows = await self.session.execute(
            select(C).where(C.c.certificate_id == certificate_id).order_by(C.c.issued_at.desc()).limit(200)
        )
        return [dict(r) for r in rows.mappings()]

    async def set_state(self, public_id: str, values: dict[str, Any]) -> None:
        await self.session.execute(update(C).where(C.c.id == public_id).values(**values))

    async def count_verification(self, public_id: str) -> None:
        await self.session.execute(update(C).where(C.c.id == public_id).values(verifications=C.c.verifications + 1))

    # --- status lists -------------------------------------------------------------------
    async def lock_lists(self) -> None:
        """Serialises index allocation (two replicas never race for the same list's fill count)."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('credentials.status_list'))"))

    async def newest_list(self) -> tuple[int, int]:
        """(list number, entries used) of the newest list, (1, 0) before the first credential."""
        row = (
            await self.session.execute(
                select(C.c.status_list, func.count())
                .group_by(C.c.status_list)
                .order_by(C.c.status_list.desc())
                .limit(1)
            )
        ).first()
        return (row[0], row[1]) if row else (1, 0)

    async def slot_taken(self, status_list: int, index: int) -> bool:
        return (
            (
                await self.session.scalar(
                    select(func.count()).where(C.c.status_list == status_list, C.c.status_index == index)
                )
            )
            or 0
        ) > 0

    async def revoked_indexes(self, status_list: int) -> list[int]:
        rows = await self.session.scalars(
            select(C.c.status_index).where(C.c.status_list == status_list, C.c.state == "revoked")
        )
        return list(rows)

    async def list_exists(self, status_list: int) -> bool:
        return ((await self.session.scalar(select(func.count()).where(C.c.status_list == status_list))) or 0) > 0


class FactRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def original_checked(self, certificate_id: uuid.UUID, at: datetime) -> None:
        statement = pg_insert(F).values(certificate_id=certificate_id, original_checked_at=at)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[F.c.certificate_id],
                set_={"original_checked_at": statement.excluded.original_checked_at},
            )
        )

    async def seen(self, certificate_id: uuid.UUID, version: int) -> None:
        statement = pg_insert(F).values(certificate_id=certificate_id, version=version)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[F.c.certificate_id], set_={"version": statement.excluded.version}
            )
        )

    async def get(self, certificate_id: uuid.UUID) -> dict | None:
        row = (await self.session.execute(select(F).where(F.c.certificate_id == certificate_id))).mappings().first()
        return dict(row) if row else None


class KeyStore:
    """Generated keys of relaxed environments (production keys come from settings only)."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def seeds(self) -> list[str]:
        return list(await self.session.scalars(select(K.c.seed).order_by(K.c.id.desc())))

    async def lock(self) -> None:
        await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('credentials.signing_keys'))"))

    async def add(self, seed: str) -> None:
        await self.session.execute(insert(K).values(seed=seed))
