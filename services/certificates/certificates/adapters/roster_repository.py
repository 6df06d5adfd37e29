"""Class rosters: pre-registered certificates waiting for their students, and what a roster is checked against."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from .tables import catalog_entries as E
from .tables import catalog_levels as L
from .tables import certificates as T
from .tables import roster_prefills as P

PENDING = select(
    P,
    E.c.key.label("entry_key"),
    E.c.name.label("entry_name"),
    E.c.name_en.label("entry_name_en"),
    E.c.national_code,
    L.c.name.label("level_name"),
).select_from(P.join(E, E.c.id == P.c.entry_id).outerjoin(L, L.c.id == P.c.level_id))


class RosterRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def entries_by(self, texts: Sequence[str]) -> dict[str, uuid.UUID]:
        """Each typed entry text (id, key or national code, case-insensitive code) → the entry's id."""
        ids = [t for t in texts if _is_uuid(t)]
        folded = [t.upper() for t in texts]
        rows = await self.session.execute(
            select(E.c.id, E.c.key, E.c.national_code).where(
                or_(E.c.id.in_(ids), E.c.key.in_(list(texts)), func.upper(E.c.national_code).in_(folded))
            )
        )
        found: dict[str, uuid.UUID] = {}
        for entry_id, key, code in rows:
            for text in texts:
                if text in (str(entry_id), key) or (code and text.upper() == code.upper()):
                    found.setdefault(text, entry_id)
        return found

    async def known_depts(self, students: Sequence[str]) -> dict[str, str | None]:
        """The department each student last registered a certificate under (students the service has seen)."""
        latest = (
            select(T.c.student_id, T.c.dept)
            .where(T.c.student_id.in_(list(students)))
            .order_by(T.c.student_id, T.c.created_at.desc())
            .distinct(T.c.student_id)
        )
        return {s: d for s, d in await self.session.execute(latest)}

    async def imported_keys(self, keys: Sequence[str]) -> frozenset[str]:
        rows = await self.session.execute(select(P.c.row_key).where(P.c.row_key.in_(list(keys))))
        return frozenset(r[0] for r in rows)

    async def registered(self, triples: Sequence[tuple[str, str, str]]) -> frozenset[tuple[str, str, str]]:
        if not triples:
            return frozenset()
        wanted = [(s, uuid.UUID(e), n) for s, e, n in triples]
        rows = await self.session.execute(
            select(T.c.student_id, T.c.entry_id, T.c.certificate_no).where(
                tuple_(T.c.student_id, T.c.entry_id, T.c.certificate_no).in_(wanted)
            )
        )
        return frozenset((s, str(e), n) for s, e, n in rows)

    async def add_prefills(self, rows: list[dict[str, Any]]) -> int:
        """Rows whose key is already there (a concurrent upload of the same roster) are skipped."""
        if not rows:
            return 0
        result = await self.session.execute(
            pg_insert(P).values(rows).on_conflict_do_nothing(index_elements=["row_key"]).returning(P.c.id)
        )
        return len(result.all())

    async def pending_of(self, student_id: str) -> list[dict]:
        query = PENDING.where(P.c.student_id == student_id, P.c.certificate_id.is_(None)).order_by(
            P.c.created_at, P.c.row
        )
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    async def prefill(self, prefill_id: uuid.UUID, *, for_update: bool = False) -> dict | None:
        if for_update:
            await self.session.execute(select(P.c.id).where(P.c.id == prefill_id).with_for_update())
        row = (await self.session.execute(PENDING.where(P.c.id == prefill_id))).mappings().first()
        return dict(row) if row else None

    async def completed(self, prefill_id: uuid.UUID, certificate_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(P).where(P.c.id == prefill_id).values(certificate_id=certificate_id, completed_at=at)
        )


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
