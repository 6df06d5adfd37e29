"""A generated catalog for comparing the in-memory search with the SQL query, entry for entry."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal

from sqlalchemy import insert

from certificates.adapters.tables import catalog_entries, catalog_levels

CJK = [
    "資訊",
    "管理",
    "電機",
    "英語",
    "檢定",
    "會計",
    "證券",
    "程式",
    "設計",
    "網路",
    "雲端",
    "資料",
    "分析",
    "資",
    "訊",
]
LATIN = [
    "Cloud",
    "cloud",
    "CLOUD",
    "Network",
    "Java",
    "Python",
    "Office",
    "Data",
    "Excel",
    "TQC",
    "tqc",
    "Linux",
    "Straße",
    "İstanbul",
    "ΣΟΦΙΑ",
    "ﬁle",
    "50%",
    "a_b",
    "back\\slash",
]
ISSUERS = [
    "財團法人電腦技能基金會",
    "勞動部",
    "Microsoft",
    "Cloud Academy",
    "資訊協會",
    "ETS 美國教育測驗服務社",
    "ATQC-1 考試中心",
]  # issuer-only matches (rank 4) next to code substrings (rank 3)
# Names equal to, starting with and containing the terms the tests ask for.
FIXED_NAMES = [
    "資訊",
    "資訊管理",
    "電腦資訊",
    "TQC",
    "tqc excel",
    "Excel TQC",
    "cloud",
    "Cloud 架構師",
    "多雲 cloud",
    "50%",
    "a_b",
    "back\\slash",
    "資訊 ",
    "Straße",
    "strasse",
    "ß",
]


def generated_entries(count: int, seed: int = 4) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    entries, levels = [], []
    for i in range(count):
        name = FIXED_NAMES[i] if i < len(FIXED_NAMES) else _name(rng, i)
        entry_id = uuid.uuid4()
        entries.append(
            {
                "id": entry_id,
                "key": f"gen-{i}",
                "name": name,
                "name_en": rng.choice([None, "", f"{rng.choice(LATIN)} {rng.choice(LATIN)}", rng.choice(LATIN)]),
                "issuer": rng.choice(ISSUERS),
                "category": rng.randint(1, 5),
                "foreign": rng.random() < 0.3,
                "national_code": _code(rng, i),
                "it_certificate": rng.random() < 0.5,
                "bundle": rng.choice([None, None, "TQC", "MOS"]),
                "active": rng.random() > 0.15,
            }
        )
        for position in range(rng.choice([0, 1, 2, 3])):
            levels.append(
                {
                    "id": uuid.uuid4(),
                    "entry_id": entry_id,
                    "name": rng.choice(["初級", "中級", "高級", "甲"]) + str(position),
                    "name_en": rng.choice([None, "Level"]),
                    "cefr": rng.choice([None, "B1"]),
                    "min_score": rng.choice([None, Decimal("60.50"), Decimal(100)]),
                    "max_score": None,
                    "position": rng.choice([position, 0]),
                }
            )
    return entries, levels


def _name(rng: random.Random, i: int) -> str:
    shape = rng.random()
    if shape < 0.4:
        return f"{rng.choice(CJK)}{rng.choice(CJK)}{rng.choice(['', str(i % 50)])}"
    if shape < 0.7:
        return f"{rng.choice(LATIN)} {rng.choice(CJK)}"
    if shape < 0.85:
        return f"{rng.choice(CJK)}{rng.choice(LATIN)}{i % 7}"
    return rng.choice(FIXED_NAMES)  # duplicate names: the tie-break by category, name, id matters


def _code(rng: random.Random, i: int) -> str | None:
    if rng.random() < 0.2:
        return None
    return rng.choice([f"A{i:04d}", f"b{i:05d}", f"TQC-{i}", f"{i}", f"資{i}", f"%{i}", f"x_{i}", f"\\{i}"])


async def insert_generated(engine, count: int) -> list[dict]:
    entries, levels = generated_entries(count)
    async with engine.begin() as conn:
        await conn.execute(insert(catalog_entries), entries)
        await conn.execute(insert(catalog_levels), levels)
    return entries
