"""The demo catalog (real public certificates with their levels), loaded idempotently by ``key``.

File format (``demo_catalog.json``): a list of ``{"key", "name", "name_en", "issuer", "category",
"foreign", "national_code", "it_certificate", "bundle", "aliases": [names people type], "levels": [{"name",
"cefr", "min_score", "max_score"}]}``; other keys are ignored.
"""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path

import structlog

from ..domain.catalog import EntrySpec, LevelSpec, check_entry

log = structlog.get_logger("certificates.demo")

DEMO_CATALOG = Path(__file__).with_name("demo_catalog.json")


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def entry_specs(raw: list[dict], categories: set[int]) -> list[EntrySpec]:
    specs = []
    for item in raw:
        levels = [
            LevelSpec(
                name=lvl["name"],
                name_en=lvl.get("name_en"),
                cefr=lvl.get("cefr"),
                min_score=_decimal(lvl.get("min_score")),
                max_score=_decimal(lvl.get("max_score")),
            )
            for lvl in item.get("levels", [])
        ]
        specs.append(
            check_entry(
                EntrySpec(
                    key=item["key"],
                    name=item["name"],
                    name_en=item.get("name_en"),
                    issuer=item["issuer"],
                    category=int(item["category"]),
                    foreign=bool(item.get("foreign")),
                    national_code=item.get("national_code"),
                    it_certificate=bool(item.get("it_certificate")),
                    bundle=item.get("bundle"),
                    levels=levels,
                    aliases=item.get("aliases"),
                ),
                categories,
            )
        )
    return specs


async def load_catalog(uow, specs: list[EntrySpec]) -> int:
    """Adds entries whose key is missing and levels missing by name; changes nothing else. No commit."""
    existing = await uow.catalog.entry_ids_by("key", [s.key for s in specs])
    added = 0
    for spec in specs:
        entry_id = existing.get(spec.key)
        if entry_id is None:
            await uow.catalog.add_entry(spec)
            added += 1
            continue
        entry = await uow.catalog.entry(entry_id)
        names = {level["name"] for level in entry["levels"]}
        for position, level in enumerate(spec.levels):
            if level.name not in names:
                await uow.catalog.add_level(entry_id, level, position)
    return added


async def load_demo_catalog(runtime, path: Path = DEMO_CATALOG) -> None:
    """``on_start`` hook: runs only when ``settings.demo_data`` is on."""
    if not getattr(runtime.settings, "demo_data", False):
        return
    if not await asyncio.to_thread(path.exists):
        log.warning("demo_catalog_missing", path=str(path))
        return
    raw = json.loads(await asyncio.to_thread(path.read_text, encoding="utf-8"))

    async def load(uow) -> tuple[int, int]:
        specs = entry_specs(raw, {c["code"] for c in await uow.catalog.categories()})
        return len(specs), await load_catalog(uow, specs)

    entries, added = await runtime.transaction(load)
    log.info("demo_catalog_loaded", entries=entries, added=added)
