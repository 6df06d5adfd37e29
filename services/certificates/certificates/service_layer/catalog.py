"""Catalog use cases: search, admin create/update/deactivate, CSV import."""

from __future__ import annotations

import uuid
from dataclasses import asdict, fields
from typing import Any

from certhub_kit.auth import ADMIN, Principal
from certhub_kit.errors import Conflict, not_found

from ..adapters.catalog_cache import CatalogCache
from ..domain.catalog import EntrySpec, LevelSpec, check_entry, check_level, key_for, search_term
from ..domain.catalog_import import parse_catalog_csv
from ..domain.errors import FieldInvalid
from .unit_of_work import CertificatesUnitOfWork
from .views import entry_item

EDITABLE = (
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


def parse_id(value: str | None, field: str, what_zh: str, what_en: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise FieldInvalid(field, f"找不到{what_zh}", f"{what_en} not found", code="unknown_id") from None


async def search(
    uow: CertificatesUnitOfWork,
    user: Principal,
    *,
    q: str | None,
    category: int | None,
    include_inactive: bool,
    limit: int,
    offset: int,
    cache: CatalogCache | None = None,
) -> dict:
    """From the process's in-memory catalog when there is one (same answers as the SQL query)."""
    term = search_term(q)
    inactive = include_inactive and user.has(ADMIN)
    if cache is not None:
        rows = await cache.search(
            uow.catalog, term, category=category, include_inactive=inactive, limit=limit + 1, offset=offset
        )
    else:
        rows = await uow.catalog.search(
            term, category=category, include_inactive=inactive, limit=limit + 1, offset=offset
        )
    more = len(rows) > limit
    return {"items": [entry_item(e) for e in rows[:limit]], "next_offset": offset + limit if more else None}


async def create_entry(uow: CertificatesUnitOfWork, user: Principal, spec: EntrySpec) -> dict:
    user.require(ADMIN)
    if not spec.key:
        spec.key = key_for(spec.national_code, spec.name, uuid.uuid4().hex[:12])
    check_entry(spec, {c["code"] for c in await uow.catalog.categories()})
    await _ensure_unique(uow, spec.key, spec.national_code)
    entry_id = await uow.catalog.add_entry(spec)
    await uow.audit("catalog.entry_created", actor_id=user.sub, subject=str(entry_id), details={"key": spec.key})
    return entry_item(await _present_entry(uow, entry_id))


async def _ensure_unique(
    uow: CertificatesUnitOfWork, key: str | None, code: str | None, exclude: uuid.UUID | None = None
) -> None:
    if code and (await uow.catalog.entry_ids_by("national_code", [code])).get(code, exclude) != exclude:
        raise Conflict(f"證照代號 {code} 已存在", f"The national code {code} already exists", code="duplicate_code")
    if key and (await uow.catalog.entry_ids_by("key", [key])).get(key, exclude) != exclude:
        raise Conflict(f"代稱 {key} 已被使用", f"The key {key} is already used", code="duplicate_key")


async def update_entry(
    uow: CertificatesUnitOfWork,
    user: Principal,
    entry_id: uuid.UUID,
    changes: dict[str, Any],
    levels: list[LevelSpec] | None,
) -> dict:
    """Partial update; ``active: false`` deactivates. Levels with an ``id`` are updated, others added;
    levels are never removed (certificates refer to them)."""
    user.require(ADMIN)
    entry = await uow.catalog.entry(entry_id, for_update=True)
    if entry is None:
        raise not_found("這筆證照目錄", "Catalog entry")
    merged = EntrySpec(**{f.name: entry[f.name] for f in fields(EntrySpec) if f.name in entry and f.name != "levels"})
    for name, value in changes.items():
        setattr(merged, name, value)
    check_entry(merged, {c["code"] for c in await uow.catalog.categories()})
    await _ensure_unique(uow, None, merged.national_code, exclude=entry_id)
    values = {name: getattr(merged, name) for name in EDITABLE if getattr(merged, name) != entry[name]}
    await uow.catalog.update_entry(entry_id, values)
    await _merge_levels(uow, entry, levels or [])
    await uow.audit(
        "catalog.entry_updated",
        actor_id=user.sub,
        subject=str(entry_id),
        details={"fields": sorted(values), "levels": len(levels or [])},
    )
    return entry_item(await _present_entry(uow, entry_id))


async def _merge_levels(uow: CertificatesUnitOfWork, entry: dict, levels: list[LevelSpec]) -> None:
    existing = {str(level["id"]): level for level in entry["levels"]}
    names = {level["name"]: str(level["id"]) for level in entry["levels"]}
    position = len(existing)
    for level in levels:
        check_level(level)
        if level.id is not None and level.id not in existing:
            raise FieldInvalid("levels", "等級不屬於這張證照", "A level id does not belong to this entry")
        clash = names.get(level.name)
        if clash is not None and clash != level.id:
            raise FieldInvalid("levels", f"等級「{level.name}」已存在", f"The level {level.name!r} already exists")
        if level.id is not None:
            await uow.catalog.update_level(uuid.UUID(level.id), level)
        else:
            await uow.catalog.add_level(entry["id"], level, position)
            position += 1
        names[level.name] = level.id or "new"


async def _present_entry(uow: CertificatesUnitOfWork, entry_id: uuid.UUID) -> dict:
    """An entry this transaction has just written."""
    entry = await uow.catalog.entry(entry_id)
    if entry is None:
        raise LookupError(f"catalog entry {entry_id} is missing")
    return entry


async def import_csv(uow: CertificatesUnitOfWork, user: Principal, data: bytes) -> dict:
    """Idempotent by national code: new codes are created, changed rows updated, equal rows untouched.
    The whole file is parsed and checked first; one bad row → 422 with its line, nothing applied."""
    user.require(ADMIN)
    specs = parse_catalog_csv(data, await uow.catalog.category_lookup())
    existing = await uow.catalog.entries_by_code([s.national_code or "" for s in specs])  # required by the CSV
    taken_keys = await uow.catalog.entry_ids_by("key", [s.key for s in specs if s.national_code not in existing])
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for spec in specs:
        current = existing.get(spec.national_code or "")
        if current is None:
            if spec.key in taken_keys:
                spec.key = f"{spec.key[:60]}-{uuid.uuid4().hex[:8]}"
            await uow.catalog.add_entry(spec)
            counts["created"] += 1
        elif await _apply_import_row(uow, current, spec):
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    await uow.audit("catalog.imported", actor_id=user.sub, details={**counts, "rows": len(specs)})
    return {**counts, "rows": len(specs)}


async def _apply_import_row(uow: CertificatesUnitOfWork, current: dict, spec: EntrySpec) -> bool:
    columns = (
        ("name", "name_en", "issuer", "category", "foreign", "it_certificate", "bundle")
        + (("validity",) if spec.validity_given else ())
        + (("aliases",) if spec.aliases_given else ())
    )
    values = {c: getattr(spec, c) for c in columns if getattr(spec, c) != current[c]}
    await uow.catalog.update_entry(current["id"], values)
    known = {level["name"]: level for level in current["levels"]}
    changed = bool(values)
    for position, level in enumerate(spec.levels, start=len(known)):
        old = known.get(level.name)
        if old is None:
            await uow.catalog.add_level(current["id"], level, position)
            changed = True
        elif (old["cefr"], old["min_score"], old["max_score"]) != (level.cefr, level.min_score, level.max_score):
            await uow.catalog.update_level(old["id"], LevelSpec(**{**asdict(level), "name_en": old["name_en"]}))
            changed = True
    return changed
