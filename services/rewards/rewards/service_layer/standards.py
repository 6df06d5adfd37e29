"""Reward standards: admin CRUD, CSV import, the demo table."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace

import structlog

from certhub_kit.auth import ADMIN, Principal
from certhub_kit.errors import Conflict, Invalid, not_found

from ..adapters.reference_data import demo_standard_rows
from ..domain.csv_files import csv_rows
from ..domain.standards import RewardStandard, check_standard, parse_qualifying
from .unit_of_work import RewardsUnitOfWork

log = structlog.get_logger("rewards.standards")
FIELDS = ("academic_year", "scope", "level", "item", "name", "amount", "required_count")


def standard_view(standard: RewardStandard) -> dict:
    return {
        "id": str(standard.id),
        "academic_year": standard.academic_year,
        "scope": standard.scope,
        "level": standard.level,
        "item": standard.item,
        "name": standard.name,
        "label": standard.label,
        "amount": standard.amount,
        "required_count": standard.required_count,
        "qualifying": [q.as_dict() for q in standard.qualifying],
    }


def build_standard(values: Mapping, *, standard_id: uuid.UUID | None = None) -> RewardStandard:
    try:
        standard = RewardStandard(
            id=standard_id or uuid.uuid4(),
            academic_year=int(values["academic_year"]),
            scope=str(values["scope"]).strip(),
            level=int(values["level"]),
            item=int(values["item"]),
            name=str(values["name"]).strip(),
            amount=int(values["amount"]),
            required_count=int(values["required_count"]),
            qualifying=parse_qualifying(values.get("qualifying") or []),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid(
            "獎勵標準欄位不完整或格式錯誤", f"A standard field is missing or malformed ({exc})", code="invalid_standard"
        ) from None
    if not 1 <= standard.academic_year <= 999:
        raise Invalid("學年必須是民國年（例如 114）", "The academic year is a ROC year (e.g. 114)", code="invalid_year")
    check_standard(
        scope=standard.scope,
        level=standard.level,
        item=standard.item,
        name=standard.name,
        amount=standard.amount,
        required_count=standard.required_count,
        qualifying=standard.qualifying,
    )
    return standard


async def list_standards(uow: RewardsUnitOfWork, year: int) -> list[dict]:
    return [standard_view(s) for s in await uow.standards.list(year)]


async def create_standard(uow: RewardsUnitOfWork, principal: Principal, values: Mapping) -> dict:
    principal.require(ADMIN)
    standard = build_standard(values)
    await uow.standards.add(standard)
    await uow.audit(
        "standard.created", actor_id=principal.sub, subject=str(standard.id), details={"label": standard.label}
    )
    return standard_view(standard)


async def _existing(uow: RewardsUnitOfWork, standard_id: uuid.UUID) -> RewardStandard:
    standard = await uow.standards.get(standard_id)
    if standard is None:
        raise not_found("獎勵標準", "Standard")
    return standard


async def update_standard(
    uow: RewardsUnitOfWork, principal: Principal, standard_id: uuid.UUID, changes: Mapping
) -> dict:
    """Applications keep the label and amount they were made with; edits affect new ones."""
    principal.require(ADMIN)
    current = await _existing(uow, standard_id)
    merged = {**standard_view(current), **{k: v for k, v in changes.items() if v is not None}}
    standard = build_standard(merged, standard_id=standard_id)
    await uow.standards.update(standard)
    await uow.audit(
        "standard.updated",
        actor_id=principal.sub,
        subject=str(standard_id),
        details={"from": current.label, "to": standard.label},
    )
    return standard_view(standard)


async def delete_standard(uow: RewardsUnitOfWork, principal: Principal, standard_id: uuid.UUID) -> None:
    principal.require(ADMIN)
    standard = await _existing(uow, standard_id)
    if await uow.standards.in_use(standard_id):
        raise Conflict(
            "已有學生以此標準申請，無法刪除（可修改名稱或金額）",
            "Students have applied under this standard; it cannot be deleted",
            code="standard_in_use",
        )
    await uow.standards.delete(standard_id)
    await uow.audit(
        "standard.deleted", actor_id=principal.sub, subject=str(standard_id), details={"label": standard.label}
    )


def parse_qualifying_cell(cell: str) -> list[dict]:
    """``gept:中高級|高級;toeic-lr:金色證書;securities-specialist`` → qualifying entries."""
    entries = []
    for part in (p.strip() for p in (cell or "").split(";")):
        if not part:
            continue
        key, _, levels = part.partition(":")
        entries.append(
            {"certificate_key": key.strip(), "levels": [lv.strip() for lv in levels.split("|") if lv.strip()] or None}
        )
    return entries


def parse_standards_csv(data: bytes) -> list[RewardStandard]:
    """All rows or none: the first bad row is reported by its line number."""
    reader = csv_rows(data, zh="CSV 必須是 UTF-8 編碼", en="The CSV must be UTF-8 encoded", code="invalid_csv")
    missing = [f for f in (*FIELDS, "qualifying") if f not in (reader.fieldnames or [])]
    if missing:
        raise Invalid(
            f"CSV 缺少欄位：{'、'.join(missing)}", f"The CSV lacks columns: {', '.join(missing)}", code="invalid_csv"
        )
    parsed = []
    for line, row in enumerate(reader, start=2):
        try:
            parsed.append(build_standard({**row, "qualifying": parse_qualifying_cell(row.get("qualifying") or "")}))
        except Invalid as exc:
            raise Invalid(f"第 {line} 行：{exc.message}", f"Line {line}: {exc.message_en}", code=exc.code) from None
    if not parsed:
        raise Invalid("CSV 沒有任何資料列", "The CSV has no rows", code="invalid_csv")
    return parsed


async def import_standards(uow: RewardsUnitOfWork, principal: Principal, data: bytes) -> dict:
    """Creates new standards and updates those with the same year, scope and item."""
    principal.require(ADMIN)
    created = updated = 0
    for standard in parse_standards_csv(data):
        existing = await uow.standards.find(standard.academic_year, standard.scope, standard.item)
        if existing is None:
            await uow.standards.add(standard)
            created += 1
        else:
            await uow.standards.update(replace(standard, id=existing.id))
            updated += 1
    await uow.audit("standard.imported", actor_id=principal.sub, details={"created": created, "updated": updated})
    return {"created": created, "updated": updated}


async def seed_demo_standards(uow: RewardsUnitOfWork, years: list[int]) -> None:
    """The demo table, for each given academic year that has no standards yet."""
    for year in sorted(set(years)):
        if await uow.standards.count(year):
            continue
        for row in demo_standard_rows():
            await uow.standards.add(build_standard({**row, "academic_year": year}))
        log.info("demo_standards_loaded", academic_year=year)
