"""Catalog queries: entries with their levels, ranked Chinese-friendly search, requests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import and_, bindparam, case, func, insert, literal, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.catalog import EntrySpec, LevelSpec, SearchTerm, like_escape
from ..domain.registration import LevelRule
from .catalog_index import EntryRow, LevelRow
from .tables import catalog_entries as E
from .tables import catalog_levels as L
from .tables import catalog_requests as R
from .tables import categories as C

ENTRY = [c for c in E.c if c.name != "search_text"]  # the search column is the index's, not an answer's
# The in-memory catalog, in the database's own order, with the database's own lower/upper of each field.
INDEX_ROWS = text("""
    WITH e AS (SELECT *, row_number() OVER (ORDER BY national_code, category, name, id) AS code_order
               FROM catalog_entries)
    SELECT e.id, e.key, e.name, e.name_en, e.issuer, e.category, e."foreign", e.national_code, e.it_certificate,
           e.bundle, e.active, e.search_text, lower(e.name), lower(e.name_en), lower(e.national_code),
           upper(e.national_code), upper(e.name), upper(e.name_en), e.code_order,
           l.id, l.name, l.name_en, l.cefr, l.min_score, l.max_score, e.validity, e.aliases
    FROM e LEFT JOIN catalog_levels l ON l.entry_id = e.id
    ORDER BY e.category, e.name, e.id, l.position, l.name""")
# EntryRow's first twelve fields, in order, are INDEX_ROWS' first twelve columns.
ENTRY_ROW_HEAD = tuple(f.name for f in fields(EntryRow))[:12]
# An entry and its levels, one row per level (the entry's columns repeated), in _attach_levels' order.
ENTRY_WITH_LEVELS = (
    select(*ENTRY, *L.c)
    .select_from(E.outerjoin(L, L.c.entry_id == E.c.id))
    .where(E.c.id == bindparam("id"))
    .order_by(L.c.position, L.c.name)
)
REVISION = text("SELECT revision, lower(CAST(:t AS text)) FROM catalog_revision")
ENTRY_COLUMNS = (
    "key",
    "name",
    "name_en",
    "issuer",
    "category",
    "foreign",
    "national_code",
    "it_certificate",
    "bundle",
    "active",
    "validity",
    "aliases",
)


class CatalogRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    # --- categories ------------------------------------------------------
    async def categories(self) -> list[dict]:
        rows = await self.session.execute(select(C).order_by(C.c.code))
        return [dict(r) for r in rows.mappings()]

    async def category_lookup(self) -> dict[str, int]:
        """Codes (as text) and names (zh and en) → code, for imports."""
        lookup: dict[str, int] = {}
        for c in await self.categories():
            lookup[str(c["code"])] = c["code"]
            lookup[c["name"]] = c["code"]
            if c["name_en"]:
                lookup[c["name_en"]] = c["code"]
        return lookup

    # --- entries ---------------------------------------------------------
    async def search(
        self, term: SearchTerm | None, *, category: int | None, include_inactive: bool, limit: int, offset: int
    ) -> list[dict]:
        """Exact matches first, then prefixes, then substrings (name, then code, then issuer)."""
        query = select(*ENTRY)
        conditions: list[Any] = []
        if not include_inactive:
            conditions.append(E.c.active.is_(True))
        if category is not None:
            conditions.append(E.c.category == category)
        order: list[Any] = []
        if term is not None:
            text = term.text
            prefix = like_escape(text.upper()) + "%"
            if term.codes_only:
                conditions.append(func.upper(E.c.national_code).like(prefix))
                order.append(E.c.national_code)
            else:
                pattern = f"%{like_escape(text)}%"
                conditions.append(E.c.search_text.like(f"%{like_escape(text.lower())}%"))
                lowered = text.lower()
                rank = case(
                    (
                        or_(
                            func.lower(E.c.name) == lowered,
                            func.lower(E.c.national_code) == lowered,
                            func.lower(E.c.name_en) == lowered,
                        ),
                        literal(0),
                    ),
                    (
                        or_(
                            func.upper(E.c.national_code).like(prefix),
                            func.upper(E.c.name).like(prefix),
                            func.upper(E.c.name_en).like(prefix),
                        ),
                        literal(1),
                    ),
                    (or_(E.c.name.ilike(pattern), E.c.name_en.ilike(pattern)), literal(2)),
                    (E.c.national_code.ilike(pattern), literal(3)),
                    else_=literal(4),
                )
                order += [rank, func.length(E.c.name)]
        order += [E.c.category, E.c.name, E.c.id]
        rows = await self.session.execute(query.where(and_(*conditions)).order_by(*order).limit(limit).offset(offset))
        entries = [dict(r) for r in rows.mappings()]
        await self._attach_levels(entries)
        return entries

    # --- the in-memory catalog's reads -------------------------------------
    async def revision(self, term: str) -> tuple[int | None, str]:
        """The catalog's revision, and PostgreSQL's ``lower`` of the term (ILIKE's), in one round trip."""
        row = (await self.session.execute(REVISION, {"t": term})).first()
        return (row[0], row[1]) if row else (None, term.lower())

    async def entry_count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(E)) or 0)

    async def index_rows(self, batch: int = 2000) -> AsyncIterator[EntryRow | LevelRow]:
        """Each entry (position order) followed by its levels, streamed in one statement (one snapshot)."""
        result = await self.session.stream(INDEX_ROWS)
        last = None
        async for rows in result.partitions(batch):
            for r in rows:
                if r[0] != last:
                    last = r[0]
                    yield EntryRow(
                        **dict(zip(ENTRY_ROW_HEAD, r[:12], strict=True)),
                        lowered=tuple(r[12:15]),
                        uppered=tuple(r[15:18]),
                        code_order=r[18],
                        validity=r[25],
                        aliases=r[26],
                    )
                if r[19] is not None:
                    yield LevelRow(*r[19:25])

    async def _attach_levels(self, entries: list[dict]) -> None:
        if not entries:
            return
        rows = await self.session.execute(
            select(L).where(L.c.entry_id.in_([e["id"] for e in entries])).order_by(L.c.position, L.c.name)
        )
        by_entry: dict[uuid.UUID, list[dict]] = {e["id"]: [] for e in entries}
        for level in rows.mappings():
            by_entry[level["entry_id"]].append(dict(level))
        for entry in entries:
            entry["levels"] = by_entry[entry["id"]]

    async def entry(self, entry_id: uuid.UUID, *, for_update: bool = False) -> dict | None:
        """The entry with its levels (as ``_attach_levels`` lists them); read in one statement unless locked."""
        if for_update:
            row = (await self.session.execute(select(*ENTRY).where(E.c.id == entry_id).with_for_update())).first()
            if row is None:
                return None
            entry = dict(row._mapping)
            await self._attach_levels([entry])
            return entry
        rows = (await self.session.execute(ENTRY_WITH_LEVELS, {"id": entry_id})).all()
        if not rows:
            return None
        entry = {c.name: rows[0][i] for i, c in enumerate(ENTRY)}
        width = len(ENTRY)
        entry["levels"] = [
            {c.name: row[width + i] for i, c in enumerate(L.c)} for row in rows if row[width] is not None
        ]
        return entry

    async def entry_ids_by(self, column: str, values: Sequence[str]) -> dict[str, uuid.UUID]:
        if not values:
            return {}
        col = E.c[column]
        rows = await self.session.execute(select(col, E.c.id).where(col.in_(list(values))))
        return {r[0]: r[1] for r in rows}

    async def entries_by_key(self, keys: Sequence[str]) -> list[dict]:
        """Entries (with levels) whose key is one of ``keys``, in key order; unknown keys are left out."""
        if not keys:
            return []
        rows = (await self.session.execute(select(*ENTRY).where(E.c.key.in_(list(keys))).order_by(E.c.key))).mappings()
        entries = [dict(r) for r in rows]
        await self._attach_levels(entries)
        return entries

    async def entries_by_code(self, codes: Sequence[str]) -> dict[str, dict]:
        rows = await self.session.execute(select(*ENTRY).where(E.c.national_code.in_(list(codes))))
        entries = [dict(r) for r in rows.mappings()]
        await self._attach_levels(entries)
        return {e["national_code"]: e for e in entries}

    async def add_entry(self, spec: EntrySpec) -> uuid.UUID:
        entry_id = uuid.uuid4()
        await self.session.execute(insert(E).values(id=entry_id, **{c: getattr(spec, c) for c in ENTRY_COLUMNS}))
        for position, level in enumerate(spec.levels):
            await self.add_level(entry_id, level, position)
        return entry_id

    async def update_entry(self, entry_id: uuid.UUID, values: dict[str, Any]) -> None:
        if values:
            await self.session.execute(update(E).where(E.c.id == entry_id).values(**values, updated_at=func.now()))

    async def add_level(self, entry_id: uuid.UUID, level: LevelSpec, position: int) -> uuid.UUID:
        level_id = uuid.uuid4()
        await self.session.execute(
            insert(L).values(
                id=level_id,
                entry_id=entry_id,
                name=level.name,
                name_en=level.name_en,
                cefr=level.cefr,
                min_score=level.min_score,
                max_score=level.max_score,
                position=position,
            )
        )
        return level_id

    async def update_level(self, level_id: uuid.UUID, level: LevelSpec) -> None:
        await self.session.execute(
            update(L)
            .where(L.c.id == level_id)
            .values(
                name=level.name,
                name_en=level.name_en,
                cefr=level.cefr,
                min_score=level.min_score,
                max_score=level.max_score,
            )
        )

    async def level_rule(self, level_id: uuid.UUID) -> LevelRule | None:
        row = (await self.session.execute(select(L).where(L.c.id == level_id))).mappings().first()
        if row is None:
            return None
        return LevelRule(
            id=str(row["id"]),
            entry_id=str(row["entry_id"]),
            name=row["name"],
            min_score=row["min_score"],
            max_score=row["max_score"],
        )

    # --- requests --------------------------------------------------------
    async def add_request(self, values: dict[str, Any]) -> dict:
        row = await self.session.execute(insert(R).values(id=uuid.uuid4(), **values).returning(R))
        return dict(row.mappings().one())

    async def request(self, request_id: uuid.UUID, *, for_update: bool = False) -> dict | None:
        query = select(R).where(R.c.id == request_id)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).mappings().first()
        return dict(row) if row else None

    async def requests(self, *, student_id: str | None, status: str | None, limit: int, offset: int) -> list[dict]:
        query = select(R)
        if student_id is not None:
            query = query.where(R.c.student_id == student_id)
        if status:
            query = query.where(R.c.status == status)
        rows = await self.session.execute(query.order_by(R.c.created_at.desc(), R.c.id).limit(limit).offset(offset))
        return [dict(r) for r in rows.mappings()]

    async def answer_request(self, request_id: uuid.UUID, values: dict[str, Any]) -> dict:
        row = await self.session.execute(
            update(R).where(R.c.id == request_id).values(**values, answered_at=func.now()).returning(R)
        )
        return dict(row.mappings().one())
