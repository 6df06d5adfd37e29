"""A service's copy of the department registry (review, rewards and notify): the table, its repository, and
the handler of ``department.changed.v1`` (the certificates service owns the registry)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from .departments import DEMO_DEPARTMENTS, in_words
from .events.certificates import DepartmentChanged


def department_table(metadata: MetaData) -> Table:
    return Table(
        "departments",
        metadata,
        Column("code", String(20), primary_key=True),
        Column("name", String(100), nullable=False),
        Column("name_en", String(200)),
        Column("active", Boolean, nullable=False, server_default=text("true")),
        Column("position", Integer, nullable=False, server_default=text("0")),
    )


class DepartmentNames:
    """code → (zh-TW, English), read once per use; unknown codes are shown as themselves."""

    def __init__(self, names: dict[str, tuple[str, str]]):
        self.names = names

    def zh(self, code: str | None) -> str:
        return in_words(self.names, code)

    def en(self, code: str | None) -> str:
        return in_words(self.names, code, english=True)


DEMO_NAMES = DepartmentNames(dict(DEMO_DEPARTMENTS))


class DepartmentCopy:
    def __init__(self, session: AsyncSession, table: Table):
        self.session = session
        self.table = table

    async def names(self) -> DepartmentNames:
        t = self.table
        rows = await self.session.execute(select(t.c.code, t.c.name, t.c.name_en))
        return DepartmentNames({r.code: (r.name, r.name_en or r.name) for r in rows})

    async def put(self, change: DepartmentChanged) -> None:
        values = {
            "code": change.code,
            "name": change.name,
            "name_en": change.name_en,
            "active": change.active,
            "position": change.position,
        }
        stmt = insert(self.table).values(**values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[self.table.c.code], set_={k: v for k, v in values.items() if k != "code"}
            )
        )


async def on_department_changed(payload: DepartmentChanged, envelope: Any, uow: Any) -> None:
    """Inbox handler: the unit of work has ``departments`` (a :class:`DepartmentCopy`)."""
    await uow.departments.put(payload)
