"""Applications, the certificates they use, and their sealed bank accounts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from certhub_kit.errors import Conflict

from ..domain.applications import Application
from .orm import application_certificates as used
from .orm import applications, bank_accounts, payout_items

COLUMNS = [c.name for c in applications.columns]


def certificate_taken() -> Conflict:
    return Conflict(
        "所選證照已用於其他獎勵申請（每張證照只能申請一次）",
        "A chosen certificate is already used by another application (each may be used once)",
        code="certificate_used",
    )


def _used_rows(application_id: uuid.UUID, chosen: list) -> list[dict]:
    return [
        dict(
            certificate_id=c.certificate_id,
            application_id=application_id,
            entry_name=c.entry_name,
            level_name=c.level_name,
        )
        for c in chosen
    ]


_ADD_USING: dict[tuple[tuple[str, ...], int], Any] = {}
USED_COLUMNS = ("certificate_id", "application_id", "entry_name", "level_name")


def _add_using_statement(names: tuple[str, ...], count: int) -> Any:
    """Built once per set of columns and number of certificates (building the CTEs' column collections
    costs more CPU than the statement does in PostgreSQL)."""
    key = (names, count)
    statement = _ADD_USING.get(key)
    if statement is None:
        values = {n: bindparam(f"v_{n}", type_=applications.c[n].type) for n in names}
        added = insert(applications).values(values).returning(*applications.c).cte("added")
        rows = [{k: bindparam(f"u{i}_{k}", type_=used.c[k].type) for k in USED_COLUMNS} for i in range(count)]
        claimed = _claim(rows).cte("claimed")
        claimed_count = select(func.count()).select_from(claimed).scalar_subquery().label("claimed")
        statement = _ADD_USING[key] = select(added, claimed_count)
    return statement


def _claim(rows: list[dict]):
    # one row as a plain VALUES dict: SQLAlchemy caches that statement's compiled form (not a list's)
    return (
        pg_insert(used)
        .values(rows[0] if len(rows) == 1 else rows)
        .on_conflict_do_nothing()
        .returning(used.c.certificate_id)
    )


@dataclass
class ApplicationFilter:
    year: int | None = None
    division: str | None = None
    program: str | None = None
    dept: str | None = None
    klass: str | None = None
    student: str | None = None
    name: str | None = None
    status: str | None = None
    only_student: str | None = None  # a student sees their own only
    only_depts: tuple[str, ...] | None = None  # a reviewer sees their departments only
    ids: list = field(default_factory=list)


@dataclass(frozen=True)
class BankSummary:
    method: str
    code: str | None
    account_last4: str | None
    account_name: str | None
    sealed: bytes
    passbook_key: str | None
    passbook_content_type: str | None
    other_acknowledged_by: str | None = None  # method "other": the centre accepted the reason
    other_acknowledged_at: object = None


class ApplicationsRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, values: dict) -> Application:
        row = (await self.session.execute(insert(applications).values(**values).returning(applications))).one()
        return Application(**row._mapping)

    async def add_using(self, values: dict, chosen: list) -> tuple[Application, list[dict]]:
        """``add`` and ``use_certificates`` in one statement (two inserts, one a CTE of the other)."""
        rows = _used_rows(values["id"], chosen)
        if not rows:
            return await self.add(values), await self.use_certificates(values["id"], chosen)
        names = tuple(sorted(values))
        params = {f"v_{n}": values[n] for n in names}
        for i, r in enumerate(rows):
            params.update({f"u{i}_{k}": v for k, v in r.items()})
        row = (await self.session.execute(_add_using_statement(names, len(rows)), params)).one()
        if row.claimed != len(rows):
            raise certificate_taken()
        application = Application(**{name: row._mapping[name] for name in COLUMNS})
        return application, await self._listed(values["id"], rows)

    async def use_certificates(self, application_id: uuid.UUID, chosen: list) -> list[dict]:
        """Claims the certificates; the primary key refuses any already used (even concurrently: the
        second insert waits for the first to commit, then claims nothing and the caller rolls back).
        Returns them as ``certificates_of`` lists them (read back only when there are several)."""
        rows = _used_rows(application_id, chosen)
        claimed = await self.session.execute(_claim(rows)) if rows else None
        if claimed is not None and len(claimed.all()) != len(rows):
            raise certificate_taken()
        return await self._listed(application_id, rows)

    async def _listed(self, application_id: uuid.UUID, rows: list[dict]) -> list[dict]:
        if len(rows) != 1:  # ordered by the database's collation, as always listed
            return (await self.certificates_of([application_id]))[application_id]
        return [{k: str(v) if k == "certificate_id" else v for k, v in rows[0].items() if k != "application_id"}]

    async def release_certificates(self, application_id: uuid.UUID) -> None:
        await self.session.execute(delete(used).where(used.c.application_id == application_id))

    async def get(self, application_id: uuid.UUID, *, lock: bool = False) -> Application | None:
        query = select(applications).where(applications.c.id == application_id)
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return Application(**row._mapping) if row else None

    async def get_listed(self, application_id: uuid.UUID, *, lock: bool = False) -> Application:
        """An application a payout batch lists (its items reference applications, which are never deleted
        once paid out)."""
        application = await self.get(application_id, lock=lock)
        if application is None:
            raise LookupError(f"application {application_id} is listed but missing")
        return application

    async def change(self, application_id: uuid.UUID, **values) -> None:
        await self.session.execute(
            update(applications).where(applications.c.id == application_id).values(**values, updated_at=func.now())
        )

    async def delete(self, application_id: uuid.UUID) -> None:
        await self.session.execute(delete(applications).where(applications.c.id == application_id))

    async def certificates_of(self, ids: list) -> dict:
        """``{application_id: [ {certificate_id, entry_name, level_name} ]}``."""
        found: dict = {i: [] for i in ids}
        if not ids:
            return found
        rows = await self.session.execute(
            select(used).where(used.c.application_id.in_(ids)).order_by(used.c.entry_name, used.c.certificate_id)
        )
        for r in rows:
            found[r.application_id].append(
                {"certificate_id": str(r.certificate_id), "entry_name": r.entry_name, "level_name": r.level_name}
            )
        return found

    async def using_certificate(self, certificate_id: uuid.UUID) -> Application | None:
        row = (
            await self.session.execute(
                select(applications)
                .join(used, used.c.application_id == applications.c.id)
                .where(used.c.certificate_id == certificate_id)
                .with_for_update(of=applications)
            )
        ).first()
        return Application(**row._mapping) if row else None

    async def search(self, f: ApplicationFilter, *, limit: int | None, after_seq: int | None) -> list[Application]:
        query = select(applications)
        for condition in _conditions(f):
            query = query.where(condition)
        if after_seq is not None:
            query = query.where(applications.c.seq < after_seq)
        query = query.order_by(applications.c.seq.desc())
        if limit is not None:
            query = query.limit(limit)
        return [Application(**r._mapping) for r in await self.session.execute(query)]

    async def report(self, year: int, statuses: list[str], depts: tuple[str, ...] | None) -> list:
        query = (
            select(applications.c.dept, applications.c.label, func.count(), func.sum(applications.c.amount))
            .where(applications.c.academic_year == year, applications.c.status.in_(statuses))
            .group_by(applications.c.dept, applications.c.label)
            .order_by(applications.c.dept, applications.c.label)
        )
        if depts is not None:
            query = query.where(applications.c.dept.in_(depts))
        return list(await self.session.execute(query))

    # --- bank accounts ---------------------------------------------------
    async def bank_accounts_of(self, ids: list) -> dict:
        if not ids:
            return {}
        rows = await self.session.execute(select(bank_accounts).where(bank_accounts.c.application_id.in_(ids)))
        return {
            r.application_id: BankSummary(
                r.method,
                r.code,
                r.account_last4,
                r.account_name,
                r.sealed,
                r.passbook_key,
                r.passbook_content_type,
                r.other_acknowledged_by,
                r.other_acknowledged_at,
            )
            for r in rows
        }

    async def put_bank_account(self, application_id: uuid.UUID, values: dict) -> None:
        values = {**values, "updated_at": func.now()}
        await self.session.execute(
            pg_insert(bank_accounts)
            .values(application_id=application_id, **values)
            .on_conflict_do_update(index_elements=[bank_accounts.c.application_id], set_=values)
        )

    async def acknowledge_other(self, application_id: uuid.UUID, by: str, at) -> None:
        await self.session.execute(
            update(bank_accounts)
            .where(bank_accounts.c.application_id == application_id)
            .values(other_acknowledged_by=by, other_acknowledged_at=at)
        )

    async def in_batch(self, application_id: uuid.UUID) -> bool:
        return (
            await self.session.scalar(
                select(payout_items.c.batch_id).where(payout_items.c.application_id == application_id)
            )
            is not None
        )


def _conditions(f: ApplicationFilter) -> list:
    c = applications.c
    conditions = []
    exact = [
        (f.year, c.academic_year),
        (f.division, c.division),
        (f.program, c.program),
        (f.dept, c.dept),
        (f.klass, c.class_),
        (f.status, c.status),
        (f.only_student, c.student_id),
    ]
    conditions += [column == value for value, column in exact if value is not None and value != ""]
    if f.student:
        conditions.append(func.lower(c.student_id).like(f"{_escape(f.student.lower())}%", escape="\\"))
    if f.name:
        conditions.append(c.student_name.ilike(f"%{_escape(f.name)}%", escape="\\"))
    if f.only_depts is not None:
        conditions.append(c.dept.in_(f.only_depts))
    if f.ids:
        conditions.append(c.id.in_(f.ids))
    return conditions


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
