"""The department registry's table."""

from __future__ import annotations

import builtins

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.departments import Department
from .tables import departments as D


class DepartmentRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def list(self, *, include_inactive: bool) -> list[Department]:
        query = select(D.c.code, D.c.name, D.c.name_en, D.c.active, D.c.position).order_by(D.c.position, D.c.code)
        if not include_inactive:
            query = query.where(D.c.active)
        return [Department(**r._mapping) for r in await self.session.execute(query)]

    async def get(self, code: str, *, for_update: bool = False) -> Department | None:
        query = select(D.c.code, D.c.name, D.c.name_en, D.c.active, D.c.position).where(D.c.code == code)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        return Department(**row._mapping) if row else None

    async def next_position(self) -> int:
        return int(await self.session.scalar(select(func.coalesce(func.max(D.c.position), 0))) or 0) + 1

    async def put(self, dept: Department) -> None:
        values = dept.as_dict()
        changes = {k: v for k, v in values.items() if k != "code"}
        await self.session.execute(
            insert(D)
            .values(**values)
            .on_conflict_do_update(index_elements=[D.c.code], set_={**changes, "updated_at": func.now()})
        )

    async def names(self) -> dict[str, builtins.list[str]]:
        """code → [zh-TW, English] of every department (reports name them in words)."""
        return {d.code: [d.name, d.name_en or d.name] for d in await self.list(include_inactive=True)}
